package dev.portoneverify.payment.v2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portoneverify.testsupport.FakePortOne;
import dev.portoneverify.testsupport.V2Shop;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A shop migrating from V1 to V2 runs both at once: one server, one core, each payment through its generation. */
class V2BesideV1Test {

    @Test
    void a_v1_order_and_a_v2_order_are_paid_side_by_side_and_each_shows_its_generation() {
        try (V2Shop shop = V2Shop.withV1(Map.of())) {
            String v1Order = shop.order(15000);
            shop.v1.putPayment(FakePortOne.payment("imp_100000000001", v1Order, 15000, "paid"));
            V2Shop.Answer v1 = shop.post("/payments/complete", Map.of("imp_uid", "imp_100000000001", "merchant_uid", v1Order));
            assertEquals("success", v1.text("status"));

            String v2Order = shop.order(20000);
            JsonNode checkout = shop.checkout(v2Order);
            shop.pay(checkout, Map.of());
            assertEquals("success", shop.complete(checkout.path("paymentId").asText()).text("status"));

            JsonNode a = shop.get("/orders/" + v1Order).body().path("payment");
            assertEquals("v1", a.path("portone_version").asText());
            assertEquals("imp_100000000001", a.path("imp_uid").asText());
            assertTrue(a.path("payment_id").isNull());
            JsonNode b = shop.get("/orders/" + v2Order).body().path("payment");
            assertEquals("v2", b.path("portone_version").asText());
            assertEquals(checkout.path("paymentId").asText(), b.path("payment_id").asText());

            String metrics = shop.getText("/metrics");
            assertTrue(metrics.contains("portone_verify_verifications_by_version_total{outcome=\"paid\",portone_version=\"v1\"} 1"), metrics);
            assertTrue(metrics.contains("portone_verify_verifications_by_version_total{outcome=\"paid\",portone_version=\"v2\"} 1"), metrics);
        }
    }

    @Test
    void the_v1_webhook_keeps_working_and_a_v2_payment_never_goes_to_v1() {
        try (V2Shop shop = V2Shop.withV1(Map.of())) {
            String v1Order = shop.order(15000);
            shop.v1.putPayment(FakePortOne.payment("imp_100000000002", v1Order, 15000, "paid"));
            V2Shop.Answer hook = shop.post("/portone-webhook", Map.of("imp_uid", "imp_100000000002",
                    "merchant_uid", v1Order, "status", "paid"));
            assertEquals(200, hook.status());
            assertEquals("paid", shop.orderStatus(v1Order));

            String v2Order = shop.order(15000);
            JsonNode checkout = shop.checkout(v2Order);
            shop.pay(checkout, Map.of());
            long v1Lookups = shop.v1.count("GET", "/payments/" + checkout.path("paymentId").asText());
            assertEquals("success", shop.complete(checkout.path("paymentId").asText()).text("status"));
            assertEquals(v1Lookups, shop.v1.count("GET", "/payments/" + checkout.path("paymentId").asText()));
        }
    }

    @Test
    void with_only_a_v2_secret_v1_is_off() {
        try (V2Shop shop = V2Shop.start()) {
            String order = shop.order(15000);
            V2Shop.Answer v1 = shop.post("/payments/complete", Map.of("imp_uid", "imp_100000000003", "merchant_uid", order));
            assertEquals(404, v1.status());
            assertEquals("unknown_payment", v1.text("status"));
            assertEquals(200, shop.get("/health").status());
        }
    }
}
