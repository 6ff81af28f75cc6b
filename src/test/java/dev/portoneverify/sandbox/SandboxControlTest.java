package dev.portoneverify.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portoneverify.sandbox.SandboxHarness.Answer;
import dev.portoneverify.sandbox.SandboxHarness.Webhook;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The control API under /sandbox, and the webhooks it makes the simulated PortOne send (docs §7). */
class SandboxControlTest {
    @RegisterExtension
    final SandboxHarness h = new SandboxHarness();

    private static void assertWebhook(Webhook w, String impUid, String merchantUid, String status) {
        assertNotNull(w, "no webhook arrived");
        Map<String, String> f = w.fields();
        assertEquals(impUid, f.get("imp_uid"), f.toString());
        assertEquals(merchantUid, f.get("merchant_uid"), f.toString());
        assertEquals(status, f.get("status"), f.toString());
    }

    @Test
    void paying_by_card_answers_201_with_the_paid_payment_and_sends_a_json_paid_webhook() {
        Answer a = h.control("POST", "/payments", Map.of("merchant_uid", "order_w1", "amount", 15000));

        assertEquals(201, a.status(), a.toString());
        assertEquals("paid", a.text("status"));
        assertTrue(a.text("imp_uid").matches("imp_\\d{12}"));
        Webhook w = h.nextWebhook();
        assertWebhook(w, a.text("imp_uid"), "order_w1", "paid");
        assertTrue(w.contentType().startsWith("application/json"), w.contentType());
        assertFalse(w.fields().containsKey("cancellation_id"));
    }

    @Test
    void webhooks_can_be_form_encoded() {
        h.sandbox.webhookFormat(WebhookFormat.FORM);

        String impUid = h.payByCard("order_w2", 15000);

        Webhook w = h.nextWebhook();
        assertWebhook(w, impUid, "order_w2", "paid");
        assertTrue(w.contentType().startsWith("application/x-www-form-urlencoded"), w.contentType());
    }

    @Test
    void a_payment_can_be_given_its_imp_uid_once() {
        Answer first = h.control("POST", "/payments", Map.of("merchant_uid", "order_w9", "amount", 1000, "imp_uid", "imp_100000000001"));
        Answer again = h.control("POST", "/payments", Map.of("merchant_uid", "order_w9", "amount", 1000, "imp_uid", "imp_100000000001"));

        assertEquals(201, first.status(), first.toString());
        assertEquals("imp_100000000001", first.text("imp_uid"));
        assertEquals(409, again.status(), again.toString());
        assertEquals("imp_uid_taken", again.text("status"));
        assertEquals(1, h.control("GET", "/payments", null).body().size());
    }

    @Test
    void every_payment_gets_a_new_imp_uid() {
        String first = h.payByCard("order_w3", 1000);
        String second = h.payByCard("order_w3", 1000);

        assertFalse(first.equals(second));
        assertEquals(2, h.control("GET", "/payments", null).body().size());
    }

    @Test
    void a_virtual_account_sends_ready_then_paid_when_the_buyer_deposits() {
        String impUid = h.issueVbank("order_w4", 20000);
        assertWebhook(h.nextWebhook(), impUid, "order_w4", "ready");
        h.clock.advance(Duration.ofHours(5));

        Answer deposited = h.control("POST", "/payments/" + impUid + "/deposit", null);

        assertEquals(200, deposited.status(), deposited.toString());
        assertEquals("paid", deposited.text("status"));
        assertEquals(h.clock.instant().getEpochSecond(), deposited.body().get("paid_at").longValue());
        assertWebhook(h.nextWebhook(), impUid, "order_w4", "paid");
        assertEquals(409, h.control("POST", "/payments/" + impUid + "/deposit", null).status(), "paid already");
    }

    @Test
    void only_a_ready_virtual_account_takes_a_deposit() {
        String impUid = h.payByCard("order_w5", 1000);

        Answer a = h.control("POST", "/payments/" + impUid + "/deposit", null);

        assertEquals(409, a.status());
        assertEquals("not_awaiting_deposit", a.text("status"));
    }

    @Test
    void a_declined_card_is_failed_and_sends_no_webhook() {
        Answer a = h.control("POST", "/payments", Map.of("merchant_uid", "order_w6", "amount", 1000, "fail", true));

        assertEquals(201, a.status());
        assertEquals("failed", a.text("status"));
        assertEquals(h.clock.instant().getEpochSecond(), a.body().get("failed_at").longValue());
        assertEquals(0, a.body().get("paid_at").longValue());
        assertTrue(a.body().get("fail_reason").isTextual());
        assertEquals(List.of(), h.remainingWebhooks());
        assertEquals(0, h.control("GET", "/webhooks", null).body().size());
    }

    @Test
    void failing_a_ready_virtual_account_records_the_reason_and_sends_no_webhook() {
        String impUid = h.issueVbank("order_w7", 1000);
        assertWebhook(h.nextWebhook(), impUid, "order_w7", "ready");

        Answer a = h.control("POST", "/payments/" + impUid + "/fail", Map.of("reason", "입금기한 만료"));

        assertEquals(200, a.status(), a.toString());
        assertEquals("failed", a.text("status"));
        assertEquals("입금기한 만료", a.text("fail_reason"));
        assertTrue(a.body().get("failed_at").longValue() > 0);
        assertEquals(List.of(), h.remainingWebhooks());
        assertEquals(409, h.control("POST", "/payments/" + h.payByCard("order_w8", 1000) + "/fail", null).status());
    }

    @Test
    void a_console_cancel_sends_a_cancelled_webhook_with_the_cancellation_id() {
        String impUid = h.payByCard("order_w9", 10000);
        h.nextWebhook();

        Answer partial = h.control("POST", "/payments/" + impUid + "/cancel", Map.of("amount", 4000, "reason", "부분 환불"));

        assertEquals(200, partial.status(), partial.toString());
        assertEquals("cancelled", partial.text("status"));
        assertEquals(4000, partial.body().get("cancel_amount").intValue());
        Webhook w = h.nextWebhook();
        assertWebhook(w, impUid, "order_w9", "cancelled");
        assertEquals(partial.body().at("/cancel_history/0/cancellation_id").asText(), w.fields().get("cancellation_id"));

        Answer rest = h.control("POST", "/payments/" + impUid + "/cancel", null);
        assertEquals(10000, rest.body().get("cancel_amount").intValue());
        assertEquals(rest.body().at("/cancel_history/1/cancellation_id").asText(), h.nextWebhook().fields().get("cancellation_id"));
        assertEquals(409, h.control("POST", "/payments/" + impUid + "/cancel", null).status(), "nothing left");
    }

    @Test
    void an_api_cancel_sends_a_webhook_only_with_enable_webhook_true() {
        String impUid = h.payByCard("order_w10", 10000);
        h.nextWebhook();

        assertEquals(0, h.cancel(Map.of("imp_uid", impUid, "amount", 1000)).body().get("code").intValue());
        assertEquals(List.of(), h.remainingWebhooks());

        assertEquals(0, h.cancel(Map.of("imp_uid", impUid, "amount", 1000, "enable_webhook", true)).body().get("code").intValue());
        assertWebhook(h.nextWebhook(), impUid, "order_w10", "cancelled");
    }

    @Test
    void a_resend_delivers_n_copies_and_answers_the_http_status_of_each() {
        String impUid = h.payByCard("order_w11", 1000);
        h.nextWebhook();

        Answer a = h.control("POST", "/payments/" + impUid + "/webhook", Map.of("times", 3, "format", "form"));

        assertEquals(200, a.status(), a.toString());
        assertEquals("paid", a.text("status"));
        JsonNode deliveries = a.body().get("deliveries");
        assertEquals(3, deliveries.size());
        for (JsonNode d : deliveries) {
            assertEquals(200, d.get("http_status").intValue(), d.toString());
            assertEquals("form", d.get("format").asText());
            assertTrue(d.get("error").isNull());
        }
        List<Webhook> received = h.webhooks(3);
        assertEquals(3, received.size());
        for (Webhook w : received) {
            assertWebhook(w, impUid, "order_w11", "paid");
            assertTrue(w.contentType().startsWith("application/x-www-form-urlencoded"));
        }
        assertEquals(4, h.deliveryLog(4).size(), "the first delivery and three copies");
    }

    @Test
    void a_resend_asks_for_1_to_20_copies_and_a_known_format() {
        String impUid = h.payByCard("order_w12", 1000);

        assertEquals(400, h.control("POST", "/payments/" + impUid + "/webhook", Map.of("times", 21)).status());
        assertEquals(400, h.control("POST", "/payments/" + impUid + "/webhook", Map.of("times", 0)).status());
        assertEquals(400, h.control("POST", "/payments/" + impUid + "/webhook", Map.of("format", "xml")).status());
        h.sandbox.webhookUrl(null);
        assertEquals(409, h.control("POST", "/payments/" + impUid + "/webhook", null).status());
    }

    @Test
    void the_delivery_log_records_what_the_shop_answered() {
        String impUid = h.payByCard("order_w13", 1000);
        h.nextWebhook();

        JsonNode log = h.deliveryLog(1);

        assertEquals(1, log.size());
        JsonNode d = log.get(0);
        assertEquals(impUid, d.get("imp_uid").asText());
        assertEquals("paid", d.get("status").asText());
        assertEquals("json", d.get("format").asText());
        assertEquals(200, d.get("http_status").intValue());
        assertTrue(d.get("attempted_at").isTextual());
    }

    @Test
    void a_payment_for_a_prepared_merchant_uid_with_another_amount_is_refused_and_nothing_is_created() {
        String token = h.token();
        h.v1Json("POST", "/payments/prepare", token, Map.of("merchant_uid", "order_w14", "amount", 15000, "currency", "KRW"));

        Answer forged = h.control("POST", "/payments", Map.of("merchant_uid", "order_w14", "amount", 100));
        assertEquals(400, forged.status(), forged.toString());
        assertEquals("prepare_mismatch", forged.text("status"));
        Answer otherCurrency = h.control("POST", "/payments", Map.of("merchant_uid", "order_w14", "amount", 15000,
                "currency", "USD"));
        assertEquals("prepare_mismatch", otherCurrency.text("status"));
        assertEquals(0, h.control("GET", "/payments", null).body().size());
        assertEquals(List.of(), h.remainingWebhooks());

        assertEquals(201, h.control("POST", "/payments", Map.of("merchant_uid", "order_w14", "amount", 15000)).status());
    }

    @Test
    void without_prepare_a_wrong_amount_is_paid_as_asked_so_that_forgeries_can_be_tried() {
        Answer a = h.control("POST", "/payments", Map.of("merchant_uid", "order_w15", "amount", 100));

        assertEquals(201, a.status());
        assertEquals(100, a.body().get("amount").intValue());
    }

    @Test
    void expiring_tokens_makes_the_next_api_call_401_until_a_new_token_is_fetched() {
        String impUid = h.payByCard("order_w16", 1000);
        String token = h.token();

        Answer expired = h.control("POST", "/tokens/expire", null);
        assertEquals(200, expired.status());
        assertEquals("tokens_expired", expired.text("status"));

        assertEquals(401, h.v1Json("GET", "/payments/" + impUid, token, null).status());
        String fresh = h.token();
        assertFalse(fresh.equals(token));
        assertEquals(200, h.v1Json("GET", "/payments/" + impUid, fresh, null).status());
    }

    @Test
    void payments_can_be_listed_and_read_one_by_one() {
        String impUid = h.payByCard("order_w17", 1000);

        assertEquals(impUid, h.control("GET", "/payments", null).body().get(0).get("imp_uid").asText());
        Answer one = h.control("GET", "/payments/" + impUid, null);
        assertEquals(200, one.status());
        SandboxV1ContractTest.assertEveryFieldTyped(one.body());
        Answer unknown = h.control("GET", "/payments/imp_000000000000", null);
        assertEquals(404, unknown.status());
        assertEquals("unknown_payment", unknown.text("status"));
    }

    @Test
    void bad_control_requests_are_400_naming_the_field() {
        Answer noAmount = h.control("POST", "/payments", Map.of("merchant_uid", "order_w18"));
        assertEquals(400, noAmount.status());
        assertEquals("invalid_request", noAmount.text("status"));
        assertTrue(noAmount.text("message").contains("amount"));

        assertEquals(400, h.control("POST", "/payments", Map.of("merchant_uid", "o", "amount", "1000")).status());
        assertEquals(400, h.control("POST", "/payments", Map.of("merchant_uid", "o", "amount", -5)).status());
        assertEquals(400, h.control("POST", "/payments", Map.of("merchant_uid", "o", "amount", 5, "pay_method", "bitcoin")).status());
        assertEquals(400, h.control("POST", "/payments", List.of(1, 2)).status());
        assertEquals(0, h.control("GET", "/payments", null).body().size());
    }
}
