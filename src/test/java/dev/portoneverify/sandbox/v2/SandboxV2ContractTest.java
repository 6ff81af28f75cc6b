package dev.portoneverify.sandbox.v2;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portoneverify.testsupport.V2Shop;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The V2 sandbox's REST surface, called over HTTP the way any client would, against what PortOne's V2 OpenAPI
 * document says: {@code PortOne <secret>} auth, {@code {type, message}} errors with their HTTP statuses, the
 * Payment shape per status, cancel's currentCancellableAmount and Idempotency-Key, pre-register.
 */
class SandboxV2ContractTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static V2Shop shop;

    @BeforeAll
    static void start() {
        shop = V2Shop.start();
    }

    @AfterAll
    static void stop() {
        shop.close();
    }

    record Reply(int status, JsonNode body) {
        String type() {
            return body.path("type").asText(null);
        }
    }

    @Test
    void every_call_needs_the_v2_secret_in_a_portone_authorization_header() {
        for (String header : new String[] {null, "Bearer " + PortOneV2Sandbox.API_SECRET, "PortOne wrong",
                "portone " + PortOneV2Sandbox.API_SECRET + "x"}) {
            Reply r = call("GET", "/payments/pay_x", header, null, null);
            assertEquals(401, r.status(), header);
            assertEquals("UNAUTHORIZED", r.type());
            assertTrue(r.body().path("message").isTextual());
        }
    }

    @Test
    void an_unknown_payment_is_404_payment_not_found_and_another_store_403_forbidden() {
        assertEquals("PAYMENT_NOT_FOUND", get("/payments/pay_nobody").type());
        assertEquals(404, get("/payments/pay_nobody").status());
        Reply other = get("/payments/pay_nobody?storeId=store-ffffffff-0000");
        assertEquals(403, other.status());
        assertEquals("FORBIDDEN", other.type());
    }

    @Test
    void a_paid_payment_has_the_fields_its_variant_requires_with_integer_amounts_and_rfc3339_times() {
        String paymentId = paidPayment(15000);
        JsonNode p = get("/payments/" + paymentId + "?storeId=" + PortOneV2Sandbox.STORE_ID).body();
        for (String field : new String[] {"status", "id", "transactionId", "merchantId", "storeId", "channel", "version",
                "requestedAt", "updatedAt", "statusChangedAt", "orderName", "amount", "currency", "customer", "origin",
                "paidAt", "disputes"}) {
            assertTrue(p.has(field), field + " in " + p);
        }
        assertEquals("PAID", p.path("status").asText());
        assertTrue(p.path("amount").path("total").isIntegralNumber());
        assertEquals("LIVE", p.path("channel").path("type").asText());
        assertEquals("PaymentMethodCard", p.path("method").path("type").asText());
        java.time.OffsetDateTime.parse(p.path("paidAt").asText());
    }

    @Test
    void cancel_needs_a_reason_checks_currentCancellableAmount_and_refuses_more_than_the_balance() {
        String paymentId = paidPayment(15000);
        assertEquals("INVALID_REQUEST", cancel(paymentId, Map.of(), null).type());
        Reply stale = cancel(paymentId, Map.of("reason", "r", "amount", 1000, "currentCancellableAmount", 14000), null);
        assertEquals(409, stale.status());
        assertEquals("CANCELLABLE_AMOUNT_CONSISTENCY_BROKEN", stale.type());
        Reply tooMuch = cancel(paymentId, Map.of("reason", "r", "amount", 16000), null);
        assertEquals(409, tooMuch.status());
        assertEquals("CANCEL_AMOUNT_EXCEEDS_CANCELLABLE_AMOUNT", tooMuch.type());

        Reply partial = cancel(paymentId, Map.of("reason", "r", "amount", 1000, "currentCancellableAmount", 15000), null);
        assertEquals(200, partial.status(), partial.body().toString());
        assertEquals("SUCCEEDED", partial.body().path("cancellation").path("status").asText());
        assertEquals(1000, partial.body().path("cancellation").path("totalAmount").asLong());
        assertEquals("PARTIAL_CANCELLED", get("/payments/" + paymentId).body().path("status").asText());

        assertEquals(200, cancel(paymentId, Map.of("reason", "rest"), null).status());
        assertEquals("PAYMENT_ALREADY_CANCELLED", cancel(paymentId, Map.of("reason", "again"), null).type());
    }

    @Test
    void a_cancel_retried_with_the_same_idempotency_key_gets_the_first_answer_and_refunds_once() {
        String paymentId = paidPayment(15000);
        String key = "\"refund-" + paymentId + "\"";
        Map<String, Object> body = Map.of("reason", "r", "amount", 5000, "currentCancellableAmount", 15000);
        Reply first = cancel(paymentId, body, key);
        Reply retry = cancel(paymentId, body, key);
        assertEquals(200, first.status());
        assertEquals(first.body(), retry.body());
        JsonNode p = get("/payments/" + paymentId).body();
        assertEquals(5000, p.path("amount").path("cancelled").asLong());
        assertEquals(1, p.path("cancellations").size());
        assertEquals("INVALID_REQUEST", cancel(paymentId, body, "unquoted-key-0123456789").type());
    }

    @Test
    void an_unpaid_payment_cannot_be_cancelled_and_a_paid_one_cannot_be_pre_registered_again() {
        assertEquals("PAYMENT_NOT_FOUND", cancel("pay_nobody", Map.of("reason", "r"), null).type());
        String paymentId = paidPayment(15000);
        Reply again = call("POST", "/payments/" + paymentId + "/pre-register", auth(), "application/json",
                "{\"totalAmount\":15000,\"currency\":\"KRW\"}");
        assertEquals(409, again.status());
        assertEquals("ALREADY_PAID", again.type());
    }

    // ---- helpers

    private static String paidPayment(long amount) {
        String order = shop.order(amount);
        JsonNode checkout = shop.checkout(order);
        assertEquals(201, shop.pay(checkout, Map.of()).status());
        return checkout.path("paymentId").asText();
    }

    private static Reply get(String path) {
        return call("GET", path, auth(), null, null);
    }

    private static Reply cancel(String paymentId, Map<String, Object> body, String idempotencyKey) {
        try {
            String json = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(body);
            HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(shop.portone.apiUrl() + "/payments/" + paymentId + "/cancel"))
                    .header("Authorization", auth()).header("Content-Type", "application/json")
                    .POST(BodyPublishers.ofString(json));
            if (idempotencyKey != null) {
                r.header("Idempotency-Key", idempotencyKey);
            }
            return send(r);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String auth() {
        return "PortOne " + PortOneV2Sandbox.API_SECRET;
    }

    private static Reply call(String method, String path, String authorization, String contentType, String body) {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(shop.portone.apiUrl() + path))
                .method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body));
        if (authorization != null) {
            r.header("Authorization", authorization);
        }
        if (contentType != null) {
            r.header("Content-Type", contentType);
        }
        return send(r);
    }

    private static Reply send(HttpRequest.Builder r) {
        try {
            HttpResponse<String> response = HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString(UTF_8));
            return new Reply(response.statusCode(), new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
