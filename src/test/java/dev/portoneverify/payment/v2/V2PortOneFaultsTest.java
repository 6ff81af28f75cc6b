package dev.portoneverify.payment.v2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portoneverify.sandbox.v2.PortOneV2Sandbox;
import dev.portoneverify.testsupport.V2Shop;
import io.javalin.Javalin;
import java.net.ServerSocket;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * PortOne V2 failing in the ways the sandbox engine cannot: unreachable, silent, answering a status or a
 * shape this server does not know. Each answer is a clear {@code {status, message}}, bounded in time, and
 * changes nothing.
 */
class V2PortOneFaultsTest {

    @Test
    void a_wrong_v2_api_secret_is_a_502_portone_auth_and_changes_nothing() {
        try (V2Shop shop = V2Shop.start(Map.of("PORTONE_V2_API_SECRET", "not-the-console-secret"))) {
            String order = shop.order(15000);
            JsonNode checkout = shop.checkout(order);
            shop.pay(checkout, Map.of());
            V2Shop.Answer answer = shop.complete(checkout.path("paymentId").asText());
            assertEquals(502, answer.status());
            assertEquals("portone_auth", answer.text("status"));
            assertEquals("pending", shop.orderStatus(order));
            assertEquals(0, shop.rows("payments"));
        }
    }

    @Test
    void unreachable_v2_is_a_503_and_a_v2_that_never_answers_a_504_within_the_timeout() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        try (V2Shop shop = V2Shop.start(Map.of("PORTONE_V2_API_URL", "http://127.0.0.1:" + closed))) {
            String order = shop.order(15000);
            V2Shop.Answer answer = shop.complete(shop.checkout(order).path("paymentId").asText());
            assertEquals(503, answer.status());
            assertEquals("portone_unavailable", answer.text("status"));
            assertEquals("pending", shop.orderStatus(order));
        }
        Javalin silent = fake(ctx -> Thread.sleep(5_000));
        try (V2Shop shop = V2Shop.start(Map.of("PORTONE_V2_API_URL", "http://127.0.0.1:" + silent.port(),
                "PORTONE_TIMEOUT_MS", "300"))) {
            String order = shop.order(15000);
            long started = System.nanoTime();
            V2Shop.Answer answer = shop.complete(shop.checkout(order).path("paymentId").asText());
            assertEquals(504, answer.status());
            assertEquals("portone_timeout", answer.text("status"));
            assertTrue(System.nanoTime() - started < 4_000_000_000L, "bounded by PORTONE_TIMEOUT_MS");
            assertEquals("pending", shop.orderStatus(order));
        } finally {
            silent.stop();
        }
    }

    @Test
    void a_status_value_this_server_does_not_know_is_not_paid_and_crashes_nothing() {
        AtomicReference<String> paymentId = new AtomicReference<>();
        Javalin future = fake(ctx -> ctx.contentType("application/json").result(payment(paymentId.get(), "SETTLED_SOMEHOW",
                "{\"type\":\"PaymentMethodSomethingNew\",\"futureField\":1}")));
        try (V2Shop shop = V2Shop.start(Map.of("PORTONE_V2_API_URL", "http://127.0.0.1:" + future.port()))) {
            String order = shop.order(15000);
            paymentId.set(shop.checkout(order).path("paymentId").asText());
            V2Shop.Answer answer = shop.complete(paymentId.get());
            assertEquals(402, answer.status());
            assertEquals("not_paid", answer.text("status"));
            assertEquals("pending", shop.orderStatus(order));
        } finally {
            future.stop();
        }
    }

    @Test
    void a_payment_without_an_integer_total_is_a_502_and_changes_nothing() {
        AtomicReference<String> paymentId = new AtomicReference<>();
        Javalin broken = fake(ctx -> ctx.contentType("application/json").result(
                payment(paymentId.get(), "PAID", "{\"type\":\"PaymentMethodCard\"}").replace("\"total\":15000", "\"total\":\"15000\"")));
        try (V2Shop shop = V2Shop.start(Map.of("PORTONE_V2_API_URL", "http://127.0.0.1:" + broken.port()))) {
            String order = shop.order(15000);
            paymentId.set(shop.checkout(order).path("paymentId").asText());
            V2Shop.Answer answer = shop.complete(paymentId.get());
            assertEquals(502, answer.status());
            assertEquals("portone_error", answer.text("status"));
            assertEquals("pending", shop.orderStatus(order));
            assertEquals(0, shop.rows("payments"));
        } finally {
            broken.stop();
        }
    }

    @Test
    void a_refund_that_timed_out_is_asked_again_once_with_the_same_idempotency_key() {
        AtomicReference<String> paymentId = new AtomicReference<>();
        java.util.List<String> keys = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean cancelled = new java.util.concurrent.atomic.AtomicBoolean();
        Javalin slow = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            // a forged 100 won payment for a 15,000 won order: the server refunds it
            config.routes.get("/payments/{paymentId}", ctx -> ctx.contentType("application/json").result(
                    payment(paymentId.get(), cancelled.get() ? "CANCELLED" : "PAID", "{\"type\":\"PaymentMethodCard\"}")
                            .replace("\"total\":15000", "\"total\":100")
                            .replace("\"cancelled\":0", "\"cancelled\":" + (cancelled.get() ? 100 : 0))
                            .replace("\"customer\":{}", "\"customer\":{}" + (cancelled.get() ? ",\"cancellations\":[],"
                                    + "\"cancelledAt\":\"2026-12-01T00:00:01Z\"" : ""))));
            config.routes.post("/payments/{paymentId}/cancel", ctx -> {
                keys.add(ctx.header("Idempotency-Key"));
                if (keys.size() == 1) {
                    Thread.sleep(1_500);
                }
                cancelled.set(true);
                ctx.contentType("application/json").result("{\"cancellation\":{\"status\":\"SUCCEEDED\",\"id\":\"c1\","
                        + "\"totalAmount\":100,\"taxFreeAmount\":0,\"vatAmount\":0,\"reason\":\"r\","
                        + "\"requestedAt\":\"2026-12-01T00:00:01Z\"}}");
            });
        }).start("127.0.0.1", 0);
        try (V2Shop shop = V2Shop.start(Map.of("PORTONE_V2_API_URL", "http://127.0.0.1:" + slow.port(),
                "PORTONE_TIMEOUT_MS", "500"))) {
            String order = shop.order(15000);
            paymentId.set(shop.checkout(order).path("paymentId").asText());
            V2Shop.Answer answer = shop.complete(paymentId.get());
            assertEquals("forgery", answer.text("status"));
            assertEquals(2, keys.size(), keys.toString());
            assertEquals(keys.get(0), keys.get(1));
            assertTrue(keys.get(0).matches("\"cancel-[0-9a-f]{32}\""), keys.get(0));
            String refund = shop.db().withHandle(h -> h.createQuery("SELECT refund_state FROM payments")
                    .mapTo(String.class).one());
            assertEquals("refunded", refund);
        } finally {
            slow.stop();
        }
    }

    private static String payment(String id, String status, String method) {
        return "{\"status\":\"" + status + "\",\"id\":\"" + id + "\",\"transactionId\":\"tx\",\"merchantId\":\"m\","
                + "\"storeId\":\"" + PortOneV2Sandbox.STORE_ID + "\",\"version\":\"V2\",\"requestedAt\":\"2026-12-01T00:00:00Z\","
                + "\"updatedAt\":\"2026-12-01T00:00:00Z\",\"statusChangedAt\":\"2026-12-01T00:00:00Z\",\"orderName\":\"x\","
                + "\"amount\":{\"total\":15000,\"taxFree\":0,\"discount\":0,\"paid\":15000,\"cancelled\":0,\"cancelledTaxFree\":0},"
                + "\"currency\":\"KRW\",\"customer\":{},\"origin\":{\"platformType\":\"PC\",\"ipAddress\":\"1.2.3.4\"},"
                + "\"channel\":{\"type\":\"LIVE\",\"pgProvider\":\"X\",\"pgMerchantId\":\"x\"},\"method\":" + method + "}";
    }

    private static Javalin fake(io.javalin.http.Handler handler) {
        return Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.routes.get("/payments/{paymentId}", handler);
        }).start("127.0.0.1", 0);
    }
}
