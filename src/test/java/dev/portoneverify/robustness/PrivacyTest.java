package dev.portoneverify.robustness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portoneverify.testsupport.FakePortOne;
import dev.portoneverify.testsupport.TestServer;
import dev.portoneverify.testsupport.TestServer.Answer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, item 4: a buyer can be read, or ordered for, only by whoever created them (their token)
 * or the shop's backend (ADMIN_TOKEN); phone numbers are masked.
 */
class PrivacyTest {
    private static final String ADMIN = "privacy-test-admin-token-0123456789";

    @Test
    void a_buyer_is_read_only_with_their_own_token_and_a_wrong_one_looks_like_no_buyer() {
        try (TestServer server = TestServer.start()) {
            long victim = server.createUser("피해자", "010-1111-2222");
            long attacker = server.createUser("공격자", "010-3333-4444");

            Answer anonymous = server.get("/users/" + victim, Map.of());
            assertEquals(401, anonymous.status(), anonymous.raw());
            Answer other = server.get("/users/" + victim, bearer(server.buyerToken(attacker)));
            Answer missing = server.get("/users/99999", bearer(server.buyerToken(attacker)));
            assertEquals(404, other.status());
            assertEquals(missing.raw().replace("99999", "ID"), other.raw().replace(Long.toString(victim), "ID"));
            assertFalse(other.raw().contains("010-1111-2222") || other.raw().contains("피해자"), other.raw());

            Answer own = server.get("/users/" + victim, bearer(server.buyerToken(victim)));
            assertEquals(200, own.status());
            assertEquals("*******2222", own.text("phone"));
        }
    }

    @Test
    void nobody_can_order_for_a_buyer_whose_token_they_lack_so_no_account_or_sms_lands_on_them() throws Exception {
        try (TestServer server = TestServer.start()) {
            long victim = server.createUser("피해자", "010-1111-2222");
            long attacker = server.createUser("공격자", "010-3333-4444");
            Map<String, Object> order = Map.of("user_id", victim, "name", "x", "amount", 15000);

            assertEquals(401, server.postJson("/orders", order, Map.of()).status());
            Answer forged = server.postJson("/orders", order, bearer(server.buyerToken(attacker)));
            assertEquals(422, forged.status(), forged.raw());
            assertEquals("unknown_user", forged.text("status"));
            assertEquals(0, server.rows("orders"));
            assertTrue(server.portone.requests().isEmpty(), "nothing was pre-registered");

            // the attacker's own virtual account lands on the attacker only
            String own = server.createOrder(attacker, Map.of("user_id", attacker, "name", "x", "amount", 15000));
            server.portone.putPayment(FakePortOne.vbankReady("imp_800000000001", own, 15000));
            assertEquals("vbankIssued", server.complete("imp_800000000001", own).text("status"));
            assertTrue(server.get("/users/" + victim, bearer(server.buyerToken(victim))).body().get("vbank_num").isNull());
            assertFalse(server.get("/users/" + attacker, bearer(server.buyerToken(attacker))).body().get("vbank_num").isNull());
            server.wakeSmsDispatcher();
            Thread.sleep(200);
            assertTrue(server.sms.sent().stream().noneMatch(sms -> sms.phone().equals("010-1111-2222")),
                    "the victim got an SMS: " + server.sms.sent());
        }
    }

    @Test
    void the_shops_backend_may_act_for_any_buyer_with_the_admin_token() {
        try (TestServer server = TestServer.start(Map.of("ADMIN_TOKEN", ADMIN))) {
            long buyer = server.createUser("홍길동", "010-1234-5678");
            assertEquals(200, server.get("/users/" + buyer, bearer(ADMIN)).status());
            Answer order = server.postJson("/orders", Map.of("user_id", buyer, "name", "x", "amount", 1000), bearer(ADMIN));
            assertEquals(201, order.status(), order.raw());
            // still masked: only the admin API itself shows the whole number
            assertEquals("*******5678", server.get("/users/" + buyer, bearer(ADMIN)).text("phone"));
        }
    }

    @Test
    void phones_are_masked_in_the_answer_that_creates_the_buyer_and_the_token_is_shown_only_there() {
        try (TestServer server = TestServer.start()) {
            Answer created = server.postJson("/users", Map.of("name", "홍길동", "phone", "010-9876-5432"));
            assertEquals(201, created.status());
            assertEquals("*******5432", created.text("phone"));
            assertFalse(created.raw().contains("9876"), created.raw());
            String token = created.text("token");
            assertTrue(token != null && token.length() >= 40, "a long random token: " + token);
            Answer read = server.get("/users/" + created.body().get("id").asLong(), bearer(token));
            assertTrue(read.body().path("token").isMissingNode(), read.raw());
            // only a hash is stored
            int stored = server.db().withHandle(h -> h.createQuery(
                    "SELECT count(*) FROM buyer_tokens WHERE token_hash = :t").bind("t", token).mapTo(Integer.class).one());
            assertEquals(0, stored);
        }
    }

    private static Map<String, String> bearer(String token) {
        return Map.of("Authorization", "Bearer " + token);
    }
}
