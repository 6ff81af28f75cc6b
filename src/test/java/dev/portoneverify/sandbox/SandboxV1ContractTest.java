package dev.portoneverify.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portoneverify.sandbox.SandboxHarness.Answer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The V1 surface against docs/portone-v1-api.md: envelope, tokens, status codes, Payment fields and types. */
class SandboxV1ContractTest {
    /** Fields of docs §3.1 that are a string or null. */
    private static final List<String> STRING_OR_NULL = List.of("pay_method", "channel", "pg_provider",
            "emb_pg_provider", "pg_tid", "pg_id", "apply_num", "bank_code", "bank_name", "card_code", "card_name",
            "card_issuer_code", "card_issuer_name", "card_publisher_code", "card_publisher_name", "card_number",
            "vbank_code", "vbank_name", "vbank_num", "vbank_holder", "name", "buyer_name", "buyer_email", "buyer_tel",
            "buyer_addr", "buyer_postcode", "custom_data", "user_agent", "fail_reason", "cancel_reason", "receipt_url",
            "customer_uid", "customer_uid_usage");
    /** UNIX-second timestamps: always integers, 0 when the event did not happen. */
    private static final List<String> TIMESTAMPS = List.of("started_at", "paid_at", "failed_at", "cancelled_at",
            "vbank_date", "vbank_issued_at");

    private final SandboxHarness h = new SandboxHarness();

    @AfterEach
    void stop() {
        h.close();
    }

    private long now() {
        return h.clock.instant().getEpochSecond();
    }

    private static void assertEnvelope(Answer a, int httpStatus, int code) {
        assertEquals(httpStatus, a.status(), a.toString());
        assertTrue(a.body().path("code").isInt(), "code must be a JSON integer: " + a);
        assertEquals(code, a.body().get("code").intValue(), a.toString());
        assertTrue(a.body().has("message") && a.body().has("response"), a.toString());
    }

    private static void assertError(Answer a, int httpStatus, String message) {
        assertEnvelope(a, httpStatus, -1);
        assertEquals(message, a.body().get("message").asText());
        assertTrue(a.body().get("response").isNull());
    }

    // ---- getToken

    @Test
    void getToken_answers_a_40_hex_token_with_integer_times_30_minutes_apart() {
        Answer a = h.v1Json("POST", "/users/getToken", null,
                Map.of("imp_key", h.sandbox.apiKey(), "imp_secret", h.sandbox.apiSecret()));

        assertEnvelope(a, 200, 0);
        assertTrue(a.body().get("message").isNull());
        JsonNode r = a.body().get("response");
        assertTrue(r.get("access_token").asText().matches("[0-9a-f]{40}"), r.toString());
        assertTrue(r.get("expired_at").isIntegralNumber() && r.get("now").isIntegralNumber());
        assertEquals(now(), r.get("now").longValue());
        assertEquals(now() + 1800, r.get("expired_at").longValue());
    }

    @Test
    void getToken_accepts_a_form_body() {
        Answer a = h.v1Form("/users/getToken", null,
                Map.of("imp_key", h.sandbox.apiKey(), "imp_secret", h.sandbox.apiSecret()));

        assertEnvelope(a, 200, 0);
        assertTrue(a.body().at("/response/access_token").isTextual());
    }

    @Test
    void getToken_with_a_wrong_key_or_secret_is_401_and_without_them_is_400_code_minus_1() {
        assertError(h.v1Json("POST", "/users/getToken", null,
                Map.of("imp_key", h.sandbox.apiKey(), "imp_secret", "wrong")), 401, "Unauthorized");
        assertError(h.v1Json("POST", "/users/getToken", null,
                Map.of("imp_key", "0000000000000000", "imp_secret", h.sandbox.apiSecret())), 401, "Unauthorized");
        assertError(h.v1Json("POST", "/users/getToken", null, Map.of("imp_key", h.sandbox.apiKey())), 400,
                "imp_key, imp_secret 파라메터가 누락되었습니다.");
        assertError(h.v1Form("/users/getToken", null, Map.of()), 400, "imp_key, imp_secret 파라메터가 누락되었습니다.");
    }

    @Test
    void a_valid_token_is_reissued_unchanged_and_extended_by_five_minutes_only_in_its_last_minute() {
        String impUid = h.payByCard("order_t0", 1000);
        JsonNode first = tokenResponse();

        h.clock.advance(Duration.ofMinutes(10));
        JsonNode again = tokenResponse();
        assertEquals(first.get("access_token"), again.get("access_token"));
        assertEquals(first.get("expired_at"), again.get("expired_at"));

        h.clock.advance(Duration.ofMinutes(19).plusSeconds(30));   // 30 s left
        JsonNode lastMinute = tokenResponse();
        assertEquals(first.get("access_token"), lastMinute.get("access_token"));
        assertEquals(first.get("expired_at").longValue() + 300, lastMinute.get("expired_at").longValue());

        h.clock.advance(Duration.ofMinutes(4));   // past the first expiry, within the extension
        assertEnvelope(h.v1Get("/payments/" + impUid, "Authorization", first.get("access_token").asText()), 200, 0);
    }

    @Test
    void a_token_answers_401_after_its_30_minutes_and_getToken_then_issues_a_new_one() {
        String first = tokenResponse().get("access_token").asText();
        String impUid = h.payByCard("order_t1", 1000);
        assertEquals(200, h.v1Get("/payments/" + impUid, "Authorization", "Bearer " + first).status());

        h.clock.advance(Duration.ofMinutes(30));

        assertError(h.v1Get("/payments/" + impUid, "Authorization", "Bearer " + first), 401, "Unauthorized");
        String second = tokenResponse().get("access_token").asText();
        assertNotEquals(first, second);
        assertEquals(200, h.v1Get("/payments/" + impUid, "Authorization", "Bearer " + second).status());
    }

    private JsonNode tokenResponse() {
        Answer a = h.v1Json("POST", "/users/getToken", null,
                Map.of("imp_key", h.sandbox.apiKey(), "imp_secret", h.sandbox.apiSecret()));
        assertEnvelope(a, 200, 0);
        return a.body().get("response");
    }

    // ---- sending the token

    @Test
    void bearer_bare_and_X_ImpTokenHeader_tokens_are_accepted_and_anything_else_is_401() {
        String impUid = h.payByCard("order_h1", 1000);
        String token = h.token();
        String path = "/payments/" + impUid;

        assertEnvelope(h.v1Get(path, "Authorization", "Bearer " + token), 200, 0);
        assertEnvelope(h.v1Get(path, "Authorization", token), 200, 0);
        assertEnvelope(h.v1Get(path, "X-ImpTokenHeader", token), 200, 0);

        assertError(h.v1Get(path, "Authorization", "Bearer 0123456789abcdef0123456789abcdef01234567"), 401, "Unauthorized");
        assertError(h.v1Get(path, "Accept", "application/json"), 401, "Unauthorized");
        assertError(h.v1Json("POST", "/payments/cancel", null, Map.of("imp_uid", impUid)), 401, "Unauthorized");
        assertError(h.v1Json("POST", "/payments/prepare", null, Map.of("merchant_uid", "o", "amount", 1)), 401,
                "Unauthorized");
    }

    // ---- GET /payments/{imp_uid}

    @Test
    void an_unknown_imp_uid_is_404_with_code_minus_1() {
        assertError(h.getPayment("imp_999999999999"), 404, "존재하지 않는 결제정보입니다.");
    }

    @Test
    void a_card_payment_carries_every_documented_field_with_its_real_json_type() {
        Answer created = h.control("POST", "/payments", Map.of("merchant_uid", "order_f1", "amount", 15000,
                "name", "노트북 거치대", "buyer_tel", "010-1234-5678", "custom_data", Map.of("coupon", "X1")));
        Answer a = h.getPayment(created.text("imp_uid"));

        assertEnvelope(a, 200, 0);
        JsonNode p = a.body().get("response");
        assertEquals(created.body(), p, "the control API answers the very object the V1 API serves");
        assertEveryFieldTyped(p);
        assertTrue(p.get("imp_uid").asText().matches("imp_\\d{12}"));
        assertEquals("order_f1", p.get("merchant_uid").asText());
        assertEquals(15000, p.get("amount").intValue());
        assertEquals(0, p.get("cancel_amount").intValue());
        assertEquals("KRW", p.get("currency").asText());
        assertEquals("paid", p.get("status").asText());
        assertEquals("card", p.get("pay_method").asText());
        assertFalse(p.get("sandbox").booleanValue());
        assertEquals(now(), p.get("paid_at").longValue());
        assertEquals(0, p.get("failed_at").longValue());
        assertEquals(0, p.get("cancelled_at").longValue());
        assertEquals(0, p.get("vbank_date").longValue());
        assertEquals("{\"coupon\":\"X1\"}", p.get("custom_data").textValue());
        assertTrue(p.get("cancel_history").isEmpty());
        assertTrue(p.get("receipt_url").isTextual());
    }

    @Test
    void a_virtual_account_is_ready_with_its_account_a_deadline_and_zero_paid_at() {
        String impUid = h.issueVbank("order_v1", 20000);
        JsonNode p = h.getPayment(impUid).body().get("response");

        assertEveryFieldTyped(p);
        assertEquals("ready", p.get("status").asText());
        assertEquals("vbank", p.get("pay_method").asText());
        assertEquals(0, p.get("paid_at").longValue());
        assertTrue(p.get("vbank_num").isTextual() && p.get("vbank_name").isTextual() && p.get("vbank_code").isTextual());
        assertEquals(now(), p.get("vbank_issued_at").longValue());
        assertEquals(now() + 3 * 24 * 3600, p.get("vbank_date").longValue());
        assertTrue(p.get("custom_data").isNull());
    }

    static void assertEveryFieldTyped(JsonNode p) {
        for (String f : STRING_OR_NULL) {
            assertTrue(p.has(f), "missing " + f);
            assertTrue(p.get(f).isTextual() || p.get(f).isNull(), f + " must be a string or null: " + p.get(f));
        }
        for (String f : TIMESTAMPS) {
            assertTrue(p.path(f).isIntegralNumber(), f + " must be an integer: " + p.get(f));
            assertTrue(p.get(f).longValue() >= 0, f);
        }
        for (String f : List.of("imp_uid", "merchant_uid", "currency", "status")) {
            assertTrue(p.path(f).isTextual(), f + " is a required string");
        }
        assertTrue(p.path("amount").isNumber() && p.path("cancel_amount").isNumber());
        assertTrue(p.path("sandbox").isBoolean());
        assertTrue(p.path("escrow").isBoolean() && p.path("cash_receipt_issued").isBoolean());
        for (String f : List.of("card_quota", "card_type")) {
            assertTrue(p.path(f).isInt() || p.path(f).isNull(), f);
        }
        assertTrue(p.path("cancel_history").isArray() && p.path("cancel_receipt_urls").isArray());
        for (String f : List.of("deposit_history", "promotion")) {
            assertTrue(p.has(f), "missing " + f);
        }
        for (JsonNode c : p.get("cancel_history")) {
            assertTrue(c.path("pg_tid").isTextual() && c.path("amount").isNumber() && c.path("cancelled_at").isIntegralNumber()
                    && c.path("reason").isTextual() && c.path("cancellation_id").isTextual(), c.toString());
        }
    }

    @Test
    void a_test_channel_payment_is_404_unless_include_sandbox_is_true() {
        Answer created = h.control("POST", "/payments", Map.of("merchant_uid", "order_s1", "amount", 1000,
                "test_channel", true));
        String impUid = created.text("imp_uid");
        String token = h.token();

        assertError(h.v1Json("GET", "/payments/" + impUid, token, null), 404, "존재하지 않는 결제정보입니다.");
        assertError(h.v1Json("GET", "/payments/" + impUid + "?include_sandbox=false", token, null), 404,
                "존재하지 않는 결제정보입니다.");
        Answer shown = h.v1Json("GET", "/payments/" + impUid + "?include_sandbox=true", token, null);
        assertEnvelope(shown, 200, 0);
        assertTrue(shown.body().at("/response/sandbox").booleanValue());
    }

    // ---- find

    @Test
    void find_answers_the_newest_payment_of_an_order_optionally_in_one_status() {
        String failed = h.created(h.control("POST", "/payments", Map.of("merchant_uid", "order_n1", "amount", 1000,
                "fail", true)));
        h.clock.advance(Duration.ofSeconds(5));
        String paid = h.payByCard("order_n1", 1000);
        h.payByCard("order_other", 1000);
        String token = h.token();

        assertEquals(paid, h.v1Json("GET", "/payments/find/order_n1", token, null).body().at("/response/imp_uid").asText());
        assertEquals(paid, h.v1Json("GET", "/payments/find/order_n1/paid", token, null).body().at("/response/imp_uid").asText());
        assertEquals(failed, h.v1Json("GET", "/payments/find/order_n1/failed", token, null).body().at("/response/imp_uid").asText());
        assertError(h.v1Json("GET", "/payments/find/order_n1/cancelled", token, null), 404, "존재하지 않는 결제정보입니다.");
        assertError(h.v1Json("GET", "/payments/find/order_none", token, null), 404, "존재하지 않는 결제정보입니다.");
        assertEnvelope(h.v1Json("GET", "/payments/find/order_n1/bogus", token, null), 400, -1);
    }

    @Test
    void within_one_second_the_later_payment_is_the_newest() {
        h.payByCard("order_n2", 1000);
        String second = h.payByCard("order_n2", 1000);

        assertEquals(second, h.v1Json("GET", "/payments/find/order_n2", h.token(), null).body().at("/response/imp_uid").asText());
    }

    // ---- prepare

    @Test
    void prepare_registers_an_amount_that_get_answers_and_a_second_post_replaces() {
        String token = h.token();
        Answer registered = h.v1Json("POST", "/payments/prepare", token, Map.of("merchant_uid", "order_p1", "amount", 15000));
        assertEnvelope(registered, 200, 0);
        assertEquals("order_p1", registered.body().at("/response/merchant_uid").asText());
        assertTrue(registered.body().at("/response/amount").isNumber());
        assertEquals(15000, registered.body().at("/response/amount").intValue());
        assertTrue(registered.body().at("/response/currency").isNull());

        assertEnvelope(h.v1Form("/payments/prepare", token, Map.of("merchant_uid", "order_p1", "amount", "17000",
                "currency", "KRW")), 200, 0);

        Answer got = h.v1Json("GET", "/payments/prepare/order_p1", token, null);
        assertEnvelope(got, 200, 0);
        assertEquals(17000, got.body().at("/response/amount").intValue());
        assertEquals("KRW", got.body().at("/response/currency").asText());
    }

    @Test
    void prepare_without_amount_is_400_and_an_unknown_registration_is_404() {
        String token = h.token();
        assertEnvelope(h.v1Json("POST", "/payments/prepare", token, Map.of("merchant_uid", "order_p2")), 400, -1);
        assertEnvelope(h.v1Json("POST", "/payments/prepare", token, Map.of("merchant_uid", "order_p2", "amount", "abc")),
                400, -1);

        Answer unknown = h.v1Json("GET", "/payments/prepare/order_p2", token, null);
        assertEnvelope(unknown, 404, -1);
        assertEquals("사전등록된 결제정보가 존재하지 않습니다.", unknown.text("message"));
    }

    @Test
    void put_prepare_changes_an_existing_registration_and_is_404_for_an_unknown_one() {
        String token = h.token();
        assertEnvelope(h.v1Json("POST", "/payments/prepare", token, Map.of("merchant_uid", "order_p3", "amount", 15000)), 200, 0);

        Answer changed = h.v1Json("PUT", "/payments/prepare", token, Map.of("merchant_uid", "order_p3", "amount", 12000,
                "currency", "krw"));
        assertEnvelope(changed, 200, 0);
        assertEquals(12000, changed.body().at("/response/amount").intValue());
        assertEquals("KRW", changed.body().at("/response/currency").asText());
        assertEquals(12000, h.v1Json("GET", "/payments/prepare/order_p3", token, null).body().at("/response/amount").intValue());
        assertEquals(400, h.control("POST", "/payments", Map.of("merchant_uid", "order_p3", "amount", 15000)).status(),
                "the old amount no longer opens the payment window");
        assertEquals(201, h.control("POST", "/payments", Map.of("merchant_uid", "order_p3", "amount", 12000)).status());

        assertError(h.v1Json("PUT", "/payments/prepare", token, Map.of("merchant_uid", "order_p4", "amount", 1000)), 404,
                "사전등록된 결제정보가 존재하지 않습니다.");
        assertError(h.v1Json("GET", "/payments/prepare/order_p4", token, null), 404, "사전등록된 결제정보가 존재하지 않습니다.");
        assertEnvelope(h.v1Json("PUT", "/payments/prepare", token, Map.of("merchant_uid", "order_p3")), 400, -1);
        assertEquals(401, h.v1Json("PUT", "/payments/prepare", null, Map.of("merchant_uid", "order_p3", "amount", 1)).status());
    }

    @Test
    void prepare_refuses_a_merchant_uid_over_40_characters_or_a_malformed_currency() {
        String token = h.token();
        assertEnvelope(h.v1Json("POST", "/payments/prepare", token, Map.of("merchant_uid", "o".repeat(41), "amount", 1000)),
                400, -1);
        assertEnvelope(h.v1Json("POST", "/payments/prepare", token, Map.of("merchant_uid", "order_p5", "amount", 1000,
                "currency", "won!")), 400, -1);
        assertEnvelope(h.v1Json("GET", "/payments/prepare/order_p5", token, null), 404, -1);
    }

    @Test
    void an_endpoint_the_sandbox_does_not_simulate_is_501_never_a_404() {
        String impUid = h.payByCard("order_u1", 1000);
        String token = h.token();

        for (String[] call : new String[][] {{"GET", "/payments/" + impUid + "/naver/product-orders"},
                {"POST", "/subscribe/payments/onetime"}, {"PUT", "/vbanks/" + impUid}, {"POST", "/vbanks"},
                {"GET", "/no/such/thing"}, {"DELETE", "/payments/" + impUid}}) {
            Answer a = h.v1Json(call[0], call[1], token, null);
            assertEnvelope(a, 501, -1);
            assertTrue(a.text("message").contains("not simulated") && a.text("message").contains(call[1]), a.toString());
        }
        assertError(h.getPayment("imp_999999999999"), 404, "존재하지 않는 결제정보입니다.");
    }
}
