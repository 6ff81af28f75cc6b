package dev.portoneverify.payment.v2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portoneverify.sandbox.v2.PortOneV2Sandbox;
import dev.portoneverify.testsupport.V2Shop;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/** The verification rules on PortOne V2, through real HTTP, against the V2 sandbox engine as api.portone.io. */
class V2PaymentTest {

    @Test
    void checkout_answers_exactly_what_requestPayment_takes_and_a_card_paid_with_it_pays_the_order() {
        try (V2Shop shop = V2Shop.start()) {
            String order = shop.order(15000);
            JsonNode checkout = shop.checkout(order);
            List<String> fields = StreamSupport.stream(((Iterable<String>) checkout::fieldNames).spliterator(), false).toList();
            assertEquals(List.of("storeId", "channelKey", "paymentId", "orderName", "totalAmount", "currency"), fields);
            assertEquals(PortOneV2Sandbox.STORE_ID, checkout.path("storeId").asText());
            assertEquals(PortOneV2Sandbox.CHANNEL_KEY, checkout.path("channelKey").asText());
            assertEquals(15000, checkout.path("totalAmount").asLong());
            assertEquals("KRW", checkout.path("currency").asText());
            assertEquals("노트북 거치대", checkout.path("orderName").asText());
            String paymentId = checkout.path("paymentId").asText();
            assertTrue(paymentId.matches("pay_[0-9a-f]{32}"), paymentId);

            assertEquals(201, shop.pay(checkout, Map.of()).status());
            V2Shop.Answer done = shop.complete(paymentId);
            assertEquals(200, done.status(), done.body().toString());
            assertEquals("success", done.text("status"));

            JsonNode view = shop.get("/orders/" + order).body();
            assertEquals("paid", view.path("status").asText());
            assertEquals("v2", view.path("payment").path("portone_version").asText());
            assertEquals(paymentId, view.path("payment").path("payment_id").asText());
            assertTrue(view.path("payment").path("imp_uid").isNull());
            assertEquals(0, view.path("payment").path("amount").decimalValue().compareTo(new java.math.BigDecimal(15000)));
        }
    }

    @Test
    void each_attempt_gets_a_new_paymentId_so_a_buyer_can_retry_after_a_failure() {
        try (V2Shop shop = V2Shop.start()) {
            String order = shop.order(15000);
            JsonNode first = shop.checkout(order);
            shop.pay(first, Map.of("fail", true));
            V2Shop.Answer failed = shop.complete(first.path("paymentId").asText());
            assertEquals(402, failed.status());
            assertEquals("failed", failed.text("status"));
            assertEquals("pending", shop.orderStatus(order));

            JsonNode second = shop.checkout(order);
            assertNotEquals(first.path("paymentId").asText(), second.path("paymentId").asText());
            shop.pay(second, Map.of());
            assertEquals("success", shop.complete(second.path("paymentId").asText()).text("status"));
            assertEquals("paid", shop.orderStatus(order));
        }
    }

    @Test
    void checkout_refuses_a_paid_order_with_409_and_an_unknown_one_with_404() {
        try (V2Shop shop = V2Shop.start()) {
            String order = shop.order(15000);
            JsonNode checkout = shop.checkout(order);
            shop.pay(checkout, Map.of());
            shop.complete(checkout.path("paymentId").asText());

            V2Shop.Answer again = shop.post("/orders/" + order + "/checkout", Map.of());
            assertEquals(409, again.status());
            assertEquals("order_paid", again.text("status"));
            Map<String, String> someBuyer = Map.of("Authorization", "Bearer " + shop.buyerToken(order));
            V2Shop.Answer unknown = shop.postWithHeaders("/orders/order_nope/checkout", Map.of(), someBuyer);
            assertEquals(404, unknown.status());
            assertEquals("unknown_order", unknown.text("status"));

            // like reading it: only the buyer's own token; another buyer's looks like no order at all
            String other = shop.order(1000);
            assertEquals(401, shop.postWithHeaders("/orders/" + other + "/checkout", Map.of(), Map.of()).status());
            V2Shop.Answer foreign = shop.postWithHeaders("/orders/" + other + "/checkout", Map.of(), someBuyer);
            assertEquals(404, foreign.status());
            assertEquals("unknown_order", foreign.text("status"));
        }
    }

    @Test
    void a_tampered_amount_is_a_forgery_and_refunded_with_currentCancellableAmount_and_an_idempotency_key() {
        try (V2Shop shop = V2Shop.start()) {
            String order = shop.order(15000);
            JsonNode checkout = shop.checkout(order);
            String paymentId = checkout.path("paymentId").asText();
            assertEquals(201, shop.pay(checkout, Map.of("totalAmount", 100)).status());

            V2Shop.Answer forged = shop.complete(paymentId);
            assertEquals(400, forged.status());
            assertEquals("forgery", forged.text("status"));
            assertEquals("pending", shop.orderStatus(order));
            JsonNode atPortOne = shop.sandboxPayment(paymentId);
            assertEquals("CANCELLED", atPortOne.path("status").asText());
            assertEquals(100, atPortOne.path("amount").path("cancelled").asLong());

            // reported again: still a forgery, and nothing is refunded twice
            assertEquals("forgery", shop.complete(paymentId).text("status"));
            assertEquals(1, shop.sandboxPayment(paymentId).path("cancellations").size());
        }
    }

    @Test
    void another_currency_for_the_same_number_is_a_forgery() {
        try (V2Shop shop = V2Shop.start()) {
            String order = shop.order(15000);
            JsonNode checkout = shop.checkout(order);
            assertEquals(201, shop.pay(checkout, Map.of("currency", "JPY")).status());
            assertEquals("forgery", shop.complete(checkout.path("paymentId").asText()).text("status"));
            assertEquals("pending", shop.orderStatus(order));
        }
    }

    @Test
    void a_paymentId_this_server_never_issued_is_unknown_order_whatever_customData_says() {
        try (V2Shop shop = V2Shop.start()) {
            String order = shop.order(15000);
            JsonNode checkout = shop.checkout(order);
            String foreign = "pay_attacker_chosen_0000000000000001";
            shop.pay(checkout, Map.of("paymentId", foreign, "customData", "{\"merchant_uid\":\"" + order + "\"}"));
            int historyBefore = shop.rows("payment_history");

            V2Shop.Answer answer = shop.complete(foreign);
            assertEquals(404, answer.status());
            assertEquals("unknown_order", answer.text("status"));
            assertEquals("pending", shop.orderStatus(order));
            assertEquals(historyBefore, shop.rows("payment_history"));
            assertEquals(0, shop.rows("payments"));
            assertEquals("PAID", shop.sandboxPayment(foreign).path("status").asText(), "nothing was refunded or changed");
        }
    }

    @Test
    void an_issued_paymentId_portone_does_not_know_is_unknown_payment() {
        try (V2Shop shop = V2Shop.start()) {
            String order = shop.order(15000);
            String paymentId = shop.checkout(order).path("paymentId").asText();
            V2Shop.Answer answer = shop.complete(paymentId);
            assertEquals(404, answer.status());
            assertEquals("unknown_payment", answer.text("status"));
            assertEquals("pending", shop.orderStatus(order));
        }
    }

    @Test
    void a_test_channel_payment_is_refused_unless_test_payments_are_allowed() {
        try (V2Shop shop = V2Shop.start()) {
            String order = shop.order(15000);
            JsonNode checkout = shop.checkout(order);
            shop.pay(checkout, Map.of("test_channel", true));
            V2Shop.Answer answer = shop.complete(checkout.path("paymentId").asText());
            assertEquals(400, answer.status());
            assertEquals("test_payment", answer.text("status"));
            assertEquals("pending", shop.orderStatus(order));
        }
        try (V2Shop shop = V2Shop.start(Map.of("PORTONE_ALLOW_TEST_PAYMENTS", "true"))) {
            String order = shop.order(15000);
            JsonNode checkout = shop.checkout(order);
            shop.pay(checkout, Map.of("test_channel", true));
            assertEquals("success", shop.complete(checkout.path("paymentId").asText()).text("status"));
        }
    }

    @Test
    void a_second_payment_for_a_paid_order_is_refunded_in_full() {
        try (V2Shop shop = V2Shop.start()) {
            String order = shop.order(15000);
            JsonNode first = shop.checkout(order);
            JsonNode second = shop.checkout(order);
            shop.pay(first, Map.of());
            shop.pay(second, Map.of());
            assertEquals("success", shop.complete(first.path("paymentId").asText()).text("status"));
            V2Shop.Answer duplicate = shop.complete(second.path("paymentId").asText());
            assertEquals(409, duplicate.status());
            assertEquals("already_paid", duplicate.text("status"));
            assertEquals("CANCELLED", shop.sandboxPayment(second.path("paymentId").asText()).path("status").asText());
            assertEquals("PAID", shop.sandboxPayment(first.path("paymentId").asText()).path("status").asText());
            assertEquals("paid", shop.orderStatus(order));
        }
    }

    @Test
    void a_virtual_account_is_saved_on_the_buyer_with_the_korean_bank_name_and_its_one_sms_names_it()
            throws InterruptedException {
        try (V2Shop shop = V2Shop.start()) {
            shop.webhooksOn();
            long user = shop.user("010-5555-0000");
            String order = shop.post("/orders", Map.of("user_id", user, "name", "책상", "amount", 25000))
                    .text("merchant_uid");
            JsonNode checkout = shop.checkout(order);
            String paymentId = checkout.path("paymentId").asText();
            JsonNode issued = shop.pay(checkout, Map.of("payMethod", "VIRTUAL_ACCOUNT", "bank", "NONGHYUP")).body();

            V2Shop.Answer answer = shop.complete(paymentId);
            assertEquals("vbankIssued", answer.text("status"));
            assertEquals("awaiting_deposit", shop.orderStatus(order));
            Map<String, Object> saved = shop.db().withHandle(h -> h.createQuery(
                    "SELECT vbank_num, vbank_name, vbank_holder FROM users WHERE id = :id").bind("id", user).mapToMap().one());
            assertEquals("NH농협은행", saved.get("vbank_name"));
            assertEquals(issued.path("method").path("accountNumber").asText(), saved.get("vbank_num"));

            // the webhook of the same issue, and the browser again: still one SMS
            assertEquals(200, shop.resendWebhook(paymentId));
            shop.complete(paymentId);
            List<dev.portoneverify.testsupport.RecordingSmsSender.Sms> sent = shop.sms.awaitSent(1);
            assertEquals(1, sent.size());
            assertEquals("010-5555-0000", sent.get(0).phone());
            assertTrue(sent.get(0).text().contains("NH농협은행"), sent.get(0).text());
            assertTrue(sent.get(0).text().contains(issued.path("method").path("accountNumber").asText()));
            assertEquals(1, shop.rows("sms_outbox"));

            shop.sandbox("/payments/" + paymentId + "/deposit", Map.of());
            dev.portoneverify.testsupport.SandboxShop.eventually(() -> shop.orderStatus(order), "paid");
            assertEquals(1, shop.rows("sms_outbox"));
        }
    }

    @Test
    void with_prepare_amounts_on_portone_refuses_a_tampered_amount_before_anyone_pays() {
        try (V2Shop shop = V2Shop.start(Map.of("PREPARE_AMOUNTS", "true"))) {
            String order = shop.order(15000);
            JsonNode checkout = shop.checkout(order);
            V2Shop.Answer refused = shop.pay(checkout, Map.of("totalAmount", 100));
            assertEquals(400, refused.status());
            assertEquals("invalid_request", refused.text("status"));
            assertTrue(refused.text("message").contains("pre-registered for 15000 KRW"), refused.text("message"));
            assertEquals(201, shop.pay(checkout, Map.of()).status());
            assertEquals("success", shop.complete(checkout.path("paymentId").asText()).text("status"));
        }
    }

    @Test
    void a_complete_body_with_both_generations_ids_is_refused() {
        try (V2Shop shop = V2Shop.start()) {
            V2Shop.Answer answer = shop.post("/payments/complete", Map.of("paymentId", "pay_x", "imp_uid", "imp_1",
                    "merchant_uid", "order_1"));
            assertEquals(400, answer.status());
            assertEquals("invalid_request", answer.text("status"));
        }
    }
}
