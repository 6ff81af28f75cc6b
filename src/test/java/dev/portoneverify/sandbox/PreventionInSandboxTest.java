package dev.portoneverify.sandbox;

import static dev.portoneverify.testsupport.TestServer.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portoneverify.testsupport.TestServer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Pre-registration and Confirm Process, end to end: the sandbox refuses a tampered amount before charging. */
class PreventionInSandboxTest {

    @Test
    void with_prepare_amounts_on_the_sandbox_refuses_a_tampered_amount_before_anyone_is_charged() {
        try (TestServer shop = TestServer.sandboxMode(Map.of("PREPARE_AMOUNTS", "true")).started()) {
            String order = shop.order("USB-C 케이블", 9900);

            TestServer.Answer tampered = shop.post("/sandbox/payments", Map.of("merchant_uid", order, "amount", 99));
            TestServer.Answer honest = shop.post("/sandbox/payments", Map.of("merchant_uid", order, "amount", 9900));

            assertEquals(400, tampered.status());
            assertEquals("prepare_mismatch", tampered.text("status"));
            assertEquals(201, honest.status());
            assertEquals(1, shop.get("/sandbox/payments").body().size());
        }
    }

    @Test
    void confirm_process_lets_the_exact_amount_through() throws Exception {
        try (TestServer shop = TestServer.sandboxMode().started()) {
            String order = shop.order("노트북 거치대", 15000);

            TestServer.Answer paid = shop.post("/sandbox/payments", Map.of("merchant_uid", order, "amount", 15000,
                    "confirm_url", shop.url("/payments/confirm")));

            assertEquals("paid", paid.text("status"));
            eventually(() -> shop.get("/orders/" + order).body().get("status").asText(), "paid");
        }
    }

    @Test
    void confirm_process_fails_a_tampered_payment_with_portones_fail_reason_and_nothing_is_charged() throws Exception {
        try (TestServer shop = TestServer.sandboxMode().started()) {
            String order = shop.order("노트북 거치대", 15000);

            TestServer.Answer payment = shop.post("/sandbox/payments", Map.of("merchant_uid", order, "amount", 150,
                    "confirm_url", shop.url("/payments/confirm")));

            assertEquals("failed", payment.text("status"));
            assertTrue(payment.text("fail_reason").startsWith("고객사 요청에 의해 결제를 중단합니다. (상세사유 : 결제 금액이 주문 금액과 다릅니다"),
                    payment.text("fail_reason"));
            TestServer.Answer complete = shop.post("/payments/complete",
                    Map.of("imp_uid", payment.text("imp_uid"), "merchant_uid", order));
            assertEquals("failed", complete.text("status"));
            assertEquals("pending", shop.get("/orders/" + order).body().get("status").asText());
        }
    }
}
