package dev.portoneverify.sandbox;

import static dev.portoneverify.testsupport.TestServer.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.portoneverify.testsupport.TestServer;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The README's httpie walkthrough, step by step, against a server started without PortOne keys. */
class WalkthroughTest {
    @RegisterExtension
    final TestServer shop = TestServer.sandboxMode();

    @Test
    void the_card_walkthrough_ends_with_the_order_paid_by_the_webhook_and_the_browser_told_success() throws Exception {
        String order = shop.order("노트북 거치대", 15000);

        String imp = shop.ok("/sandbox/payments", Map.of("merchant_uid", order, "amount", 15000)).get("imp_uid").asText();

        // the webhook arrives on its own, before the browser reports
        eventually(() -> shop.get("/orders/" + order).body().get("status").asText(), "paid");
        TestServer.Answer complete = shop.post("/payments/complete", Map.of("imp_uid", imp, "merchant_uid", order));
        assertEquals("success", complete.text("status"));
        assertEquals("일반 결제 성공", complete.text("message"));
    }

    @Test
    void the_vbank_walkthrough_issues_an_account_sends_one_sms_and_is_paid_after_the_deposit() throws Exception {
        String order = shop.order("기계식 키보드", 89000);
        long user = shop.get("/orders/" + order).body().get("user_id").asLong();

        String imp = shop.ok("/sandbox/payments", Map.of("merchant_uid", order, "amount", 89000, "pay_method", "vbank"))
                .get("imp_uid").asText();
        TestServer.Answer complete = shop.post("/payments/complete", Map.of("imp_uid", imp, "merchant_uid", order));

        assertEquals("vbankIssued", complete.text("status"));
        assertFalse(shop.get("/users/" + user).body().get("vbank_num").isNull());
        eventually(() -> String.valueOf(shop.sms.sent().size()), "1");

        shop.ok("/sandbox/payments/" + imp + "/deposit", Map.of());
        eventually(() -> shop.get("/orders/" + order).body().get("status").asText(), "paid");
        assertEquals(1, shop.sms.sent().size());
    }

    @Test
    void the_forgery_walkthrough_is_rejected_and_refunded() throws Exception {
        String order = shop.order("USB-C 케이블", 9900);

        String imp = shop.ok("/sandbox/payments", Map.of("merchant_uid", order, "amount", 99)).get("imp_uid").asText();
        TestServer.Answer complete = shop.post("/payments/complete", Map.of("imp_uid", imp, "merchant_uid", order));

        assertEquals(400, complete.status());
        assertEquals("forgery", complete.text("status"));
        assertEquals("pending", shop.get("/orders/" + order).body().get("status").asText());
        eventually(() -> shop.get("/sandbox/payments/" + imp).body().get("status").asText(), "cancelled");
        assertEquals(99, shop.get("/sandbox/payments/" + imp).body().get("cancel_amount").asInt());
    }

    @Test
    void form_encoded_webhooks_are_verified_the_same_way() throws Exception {
        try (TestServer formShop = TestServer.sandboxMode(Map.of("SANDBOX_WEBHOOK_FORMAT", "form")).started()) {
            String order = formShop.order("노트북 거치대", 15000);

            formShop.ok("/sandbox/payments", Map.of("merchant_uid", order, "amount", 15000));

            eventually(() -> formShop.get("/orders/" + order).body().get("status").asText(), "paid");
            // the delivery is logged once the shop has answered it
            eventually(() -> formShop.get("/sandbox/webhooks").body().path(0).path("format").asText(), "form");
        }
    }

    @Test
    void the_sandbox_is_not_reachable_when_keys_are_set() {
        try (TestServer live = TestServer.sandboxMode(Map.of("PORTONE_API_KEY", "key", "PORTONE_API_SECRET", "secret")).started()) {
            TestServer.Answer answer = live.post("/sandbox/payments", Map.of("merchant_uid", "x", "amount", 1));

            assertEquals(404, answer.status());
            assertEquals("live", live.get("/checkout/config").body().get("mode").asText());
        }
    }
}
