package dev.portoneverify.payment.v2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portoneverify.testsupport.Race;
import dev.portoneverify.testsupport.TestServer;
import dev.portoneverify.testsupport.V2Shop;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Admin refunds through V2's cancel, reconciliation of V2 attempts nobody reported, and racing reports. */
class V2RefundsAndReconciliationTest {
    private static final String TOKEN = "v2-admin-token-0123456789abcdef";
    private static final Map<String, String> ADMIN = Map.of("ADMIN_TOKEN", TOKEN);

    @Test
    void an_admin_refund_uses_v2_cancel_a_partial_one_leaves_the_order_partly_refunded_and_the_rest_cancels_it() {
        try (V2Shop shop = V2Shop.start(ADMIN)) {
            String order = shop.order(15000);
            String paymentId = paid(shop, order);

            V2Shop.Answer partial = admin(shop, "/admin/orders/" + order + "/refund", Map.of("reason", "부분 환불", "amount", 5000));
            assertEquals(200, partial.status(), String.valueOf(partial.body()));
            assertEquals("partially_cancelled", partial.text("outcome"));
            // the balance left (10,000) is not the order's amount any more: partly refunded (issue 16)
            assertEquals("partially_refunded", shop.orderStatus(order));
            assertEquals(5000, shop.get("/orders/" + order).body().path("refunded_amount").asLong());
            V2Shop.Answer again = shop.post("/orders/" + order + "/checkout", Map.of());
            assertEquals(409, again.status(), "a partly refunded order is still bound to its payment");
            assertEquals("order_partially_refunded", again.text("status"));
            JsonNode atPortOne = shop.sandboxPayment(paymentId);
            assertEquals("PARTIAL_CANCELLED", atPortOne.path("status").asText());
            assertEquals(5000, atPortOne.path("amount").path("cancelled").asLong());

            V2Shop.Answer rest = admin(shop, "/admin/orders/" + order + "/refund", Map.of("reason", "나머지"));
            assertEquals("cancelled", rest.text("outcome"));
            assertEquals("cancelled", shop.orderStatus(order));
            assertEquals("CANCELLED", shop.sandboxPayment(paymentId).path("status").asText());
        }
    }

    @Test
    void a_deposited_v2_virtual_account_is_refunded_only_to_an_account_named_by_a_v2_bank_code() {
        try (V2Shop shop = V2Shop.start(ADMIN)) {
            String order = shop.order(32000);
            JsonNode checkout = shop.checkout(order);
            String paymentId = checkout.path("paymentId").asText();
            shop.pay(checkout, Map.of("payMethod", "VIRTUAL_ACCOUNT"));
            shop.complete(paymentId);
            shop.sandbox("/payments/" + paymentId + "/deposit", Map.of());
            assertEquals("success", shop.complete(paymentId).text("status"));

            V2Shop.Answer missing = admin(shop, "/admin/orders/" + order + "/refund", Map.of("reason", "품절"));
            assertEquals(409, missing.status());
            assertEquals("refund_account_required", missing.text("status"));
            V2Shop.Answer v1Code = admin(shop, "/admin/orders/" + order + "/refund", Map.of("reason", "품절",
                    "refund_holder", "홍길동", "refund_bank", "004", "refund_account", "12345678901"));
            assertEquals(409, v1Code.status());
            assertEquals("invalid_refund_bank", v1Code.text("status"));
            V2Shop.Answer refunded = admin(shop, "/admin/orders/" + order + "/refund", Map.of("reason", "품절",
                    "refund_holder", "홍길동", "refund_bank", "KOOKMIN", "refund_account", "12345678901"));
            assertEquals(200, refunded.status(), String.valueOf(refunded.body()));
            assertEquals("cancelled", shop.orderStatus(order));
        }
    }

    @Test
    void reconciliation_finds_a_v2_payment_nobody_reported() {
        try (V2Shop shop = V2Shop.start()) {
            String order = shop.order(15000);
            JsonNode abandoned = shop.checkout(order);
            JsonNode checkout = shop.checkout(order);
            shop.pay(checkout, Map.of());
            assertEquals("pending", shop.orderStatus(order));
            int history = shop.rows("payment_history");

            shop.server().reconciler().runOnce();

            assertEquals("paid", shop.orderStatus(order));
            assertEquals(checkout.path("paymentId").asText(),
                    shop.get("/orders/" + order).body().path("payment").path("payment_id").asText());
            // the attempt the buyer never opened costs a lookup, not a history row
            assertEquals(history + 1, shop.rows("payment_history"));
            assertTrue(abandoned.path("paymentId").asText().startsWith("pay_"));
        }
    }

    @Test
    void reconciliation_learns_of_a_deposit_and_a_report_of_a_cancel_made_in_portones_console_cancels_the_order() {
        try (V2Shop shop = V2Shop.start()) {
            String order = shop.order(15000);
            JsonNode checkout = shop.checkout(order);
            String paymentId = checkout.path("paymentId").asText();
            shop.pay(checkout, Map.of("payMethod", "VIRTUAL_ACCOUNT"));
            shop.complete(paymentId);
            shop.sandbox("/payments/" + paymentId + "/deposit", Map.of());
            shop.server().reconciler().runOnce();
            assertEquals("paid", shop.orderStatus(order));

            shop.sandbox("/payments/" + paymentId + "/cancel", Map.of("reason", "콘솔 취소"));
            V2Shop.Answer report = shop.complete(paymentId);
            assertEquals(409, report.status());
            assertEquals("cancelled", report.text("status"));
            assertEquals("cancelled", shop.orderStatus(order));
        }
    }

    @Test
    void many_reports_of_one_v2_virtual_account_racing_make_one_transition_and_one_sms() throws Exception {
        try (V2Shop shop = V2Shop.start()) {
            shop.webhooksOn();
            String order = shop.order(25000);
            JsonNode checkout = shop.checkout(order);
            String paymentId = checkout.path("paymentId").asText();
            shop.portone.webhookUrl(null);
            shop.pay(checkout, Map.of("payMethod", "VIRTUAL_ACCOUNT"));
            shop.webhooksOn();

            List<String> answers = Race.of(12, i -> i % 2 == 0
                    ? shop.complete(paymentId).text("status")
                    : Integer.toString(shop.resendWebhook(paymentId)));
            for (int i = 0; i < answers.size(); i++) {
                assertEquals(i % 2 == 0 ? "vbankIssued" : "200", answers.get(i));
            }
            assertEquals("awaiting_deposit", shop.orderStatus(order));
            assertEquals(1, shop.rows("sms_outbox"));
            int changed = shop.db().withHandle(h -> h.createQuery(
                    "SELECT count(*) FROM payment_history WHERE imp_uid = :id AND order_changed = :t")
                    .bind("id", paymentId).bind("t", true).mapTo(Integer.class).one());
            assertEquals(1, changed);
            shop.sms.awaitSent(1);
            TestServer.eventually(() -> Integer.toString(shop.sms.sent().size()), "1");
        }
    }

    private static String paid(V2Shop shop, String order) {
        JsonNode checkout = shop.checkout(order);
        shop.pay(checkout, Map.of());
        assertEquals("success", shop.complete(checkout.path("paymentId").asText()).text("status"));
        return checkout.path("paymentId").asText();
    }

    private static V2Shop.Answer admin(V2Shop shop, String path, Map<String, Object> body) {
        return shop.postWithHeaders(path, body, Map.of("Authorization", "Bearer " + TOKEN));
    }
}
