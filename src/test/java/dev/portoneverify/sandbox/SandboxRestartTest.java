package dev.portoneverify.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portoneverify.sandbox.SandboxHarness.Answer;
import dev.portoneverify.testsupport.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sandbox keeps what PortOne would keep across a restart, in a SQLite file of its own. */
class SandboxRestartTest {
    private final MutableClock clock = MutableClock.startingNow();

    @Test
    void payments_cancels_registrations_and_the_token_survive_a_restart(@TempDir Path dir) {
        Path file = dir.resolve("sandbox.db");
        String card;
        String vbank;
        String token;
        JsonNode cardBefore;
        try (SandboxHarness first = new SandboxHarness(clock, file)) {
            card = first.payByCard("order_k1", 10000);
            first.clock.advance(Duration.ofSeconds(5));
            assertEquals(0, first.cancel(Map.of("imp_uid", card, "amount", 3000, "reason", "부분 환불")).body().get("code").intValue());
            vbank = first.issueVbank("order_k2", 20000);
            token = first.token();
            assertEquals(0, first.v1Json("POST", "/payments/prepare", token,
                    Map.of("merchant_uid", "order_k3", "amount", 5000, "currency", "KRW")).body().get("code").intValue());
            cardBefore = first.getPayment(card).body().get("response");
        }
        clock.advance(Duration.ofMinutes(10));

        try (SandboxHarness second = new SandboxHarness(clock, file)) {
            Answer sameToken = second.v1Json("GET", "/payments/" + card, token, null);
            assertEquals(200, sameToken.status(), "a token issued before the restart is valid until its expiry: " + sameToken);
            assertEquals(cardBefore, sameToken.body().get("response"), "the payment, its cancel and history, unchanged");
            assertEquals("ready", second.getPayment(vbank).body().at("/response/status").asText());
            assertEquals(5000, second.v1Json("GET", "/payments/prepare/order_k3", token, null).body().at("/response/amount").intValue());

            // and the rules go on from where they were: the balance left is 7000, the account can be paid into
            JsonNode rest = second.cancel(Map.of("imp_uid", card, "checksum", 7000)).body();
            assertEquals(0, rest.get("code").intValue(), rest.toString());
            assertEquals(10000, rest.at("/response/cancel_amount").intValue());
            assertEquals(2, rest.at("/response/cancel_history").size());
            assertEquals(200, second.control("POST", "/payments/" + vbank + "/deposit", null).status());
            assertEquals(400, second.control("POST", "/payments", Map.of("merchant_uid", "order_k3", "amount", 4000)).status(),
                    "the registered amount still guards the window");
            String later = second.payByCard("order_k1", 10000);
            assertNotEquals(card, later);
            assertEquals(later, second.v1Json("GET", "/payments/find/order_k1", token, null).body().at("/response/imp_uid").asText(),
                    "payments made after the restart are newer than those before it");
        }

        clock.advance(Duration.ofMinutes(30));
        try (SandboxHarness third = new SandboxHarness(clock, file)) {
            assertEquals(401, third.v1Json("GET", "/payments/" + card, token, null).status(), "and expires when it would have");
            JsonNode list = third.v1Json("GET", "/payments/findAll/order_k1", third.token(), null).body().get("response");
            assertEquals(2, list.get("total").intValue());
        }
    }

    @Test
    void a_sandbox_in_memory_forgets_everything() {
        String impUid;
        try (SandboxHarness first = new SandboxHarness(clock, null)) {
            impUid = first.payByCard("order_k4", 1000);
        }
        try (SandboxHarness second = new SandboxHarness(clock, null)) {
            assertEquals(404, second.getPayment(impUid).status());
        }
    }

    @Test
    void a_file_that_is_no_sandbox_database_stops_the_start_with_a_clear_message(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("not-a-database.db");
        java.nio.file.Files.writeString(file, "this is a text file, not SQLite ".repeat(100));

        SandboxStoreException e = org.junit.jupiter.api.Assertions.assertThrows(SandboxStoreException.class,
                () -> new SandboxHarness(clock, file));
        assertTrue(e.getMessage().startsWith("the sandbox database " + file + " cannot be opened"), e.getMessage());
    }
}
