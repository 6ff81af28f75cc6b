package dev.portoneverify.payment.v2;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portoneverify.sandbox.v2.PortOneV2Sandbox;
import dev.portoneverify.testsupport.SandboxShop;
import dev.portoneverify.testsupport.V2Shop;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /portone-webhook/v2}: Standard Webhooks signatures checked over the raw body before anything
 * else, both body versions, and a valid webhook still only a hint. Signatures are computed here by hand,
 * independently of the server's verifier.
 */
class V2WebhookTest {
    private static final String SECRET = PortOneV2Sandbox.WEBHOOK_SECRET;
    private static final String OTHER_SECRET = "whsec_" + Base64.getEncoder().encodeToString(random(32));

    @Test
    void a_signed_2024_04_25_webhook_from_portone_settles_the_order_without_the_browser() throws Exception {
        try (V2Shop shop = V2Shop.start()) {
            shop.webhooksOn();
            String order = shop.order(15000);
            JsonNode checkout = shop.checkout(order);
            shop.pay(checkout, Map.of());
            SandboxShop.eventually(() -> shop.orderStatus(order), "paid");
            assertEquals("v2", shop.get("/orders/" + order).body().path("payment").path("portone_version").asText());
        }
    }

    @Test
    void a_2024_01_01_webhook_is_accepted_as_json_and_as_a_form() {
        try (V2Shop shop = V2Shop.start()) {
            String order = shop.order(15000);
            JsonNode checkout = shop.checkout(order);
            String paymentId = checkout.path("paymentId").asText();
            shop.pay(checkout, Map.of());
            V2Shop.Answer json = signed(shop, "application/json",
                    "{\"payment_id\":\"" + paymentId + "\",\"tx_id\":\"tx-1\",\"status\":\"Paid\"}", SECRET, now());
            assertEquals(200, json.status(), String.valueOf(json.body()));
            assertEquals("success", json.text("status"));
            assertEquals("paid", shop.orderStatus(order));

            V2Shop.Answer form = signed(shop, "application/x-www-form-urlencoded",
                    "payment_id=" + paymentId + "&tx_id=tx-1&status=Paid", SECRET, now());
            assertEquals(200, form.status(), String.valueOf(form.body()));
            assertEquals("success", form.text("status"));
        }
    }

    @Test
    void a_missing_header_is_refused_with_400_no_portone_call_and_no_write() {
        try (V2Shop shop = V2Shop.start()) {
            Paid paid = paidButUnreported(shop);
            String body = body("Transaction.Paid", paid.paymentId());
            for (String missing : new String[] {"webhook-id", "webhook-timestamp", "webhook-signature"}) {
                Map<String, String> headers = new HashMap<>(headers(body, SECRET, now()));
                headers.remove(missing);
                V2Shop.Answer answer = shop.postRaw("/portone-webhook/v2", "application/json", body.getBytes(UTF_8), headers);
                assertEquals(400, answer.status(), missing);
                assertEquals("invalid_signature", answer.text("status"));
            }
            assertUntouched(shop, paid);
        }
    }

    @Test
    void a_signature_made_with_another_secret_is_refused() {
        try (V2Shop shop = V2Shop.start()) {
            Paid paid = paidButUnreported(shop);
            V2Shop.Answer answer = signed(shop, "application/json", body("Transaction.Paid", paid.paymentId()), OTHER_SECRET, now());
            assertEquals(400, answer.status());
            assertEquals("invalid_signature", answer.text("status"));
            assertUntouched(shop, paid);
        }
    }

    @Test
    void a_timestamp_more_than_five_minutes_old_or_ahead_is_refused_and_one_within_is_accepted() {
        try (V2Shop shop = V2Shop.start()) {
            Paid paid = paidButUnreported(shop);
            String body = body("Transaction.Paid", paid.paymentId());
            V2Shop.Answer stale = signed(shop, "application/json", body, SECRET, now() - 301);
            assertEquals(400, stale.status());
            assertTrue(stale.text("message").contains("old"), stale.text("message"));
            V2Shop.Answer future = signed(shop, "application/json", body, SECRET, now() + 301);
            assertEquals(400, future.status());
            assertTrue(future.text("message").contains("ahead"), future.text("message"));
            assertUntouched(shop, paid);

            assertEquals(200, signed(shop, "application/json", body, SECRET, now() - 240).status());
            assertEquals("paid", shop.orderStatus(paid.order()));
        }
    }

    @Test
    void a_body_changed_after_signing_is_refused() {
        try (V2Shop shop = V2Shop.start()) {
            Paid paid = paidButUnreported(shop);
            String original = body("Transaction.Paid", paid.paymentId());
            Map<String, String> headers = headers(original, SECRET, now());
            // the same JSON, re-serialised with a space: not the bytes that were signed
            String tampered = original.replace("\"type\":", "\"type\": ");
            V2Shop.Answer answer = shop.postRaw("/portone-webhook/v2", "application/json", tampered.getBytes(UTF_8), headers);
            assertEquals(400, answer.status());
            assertUntouched(shop, paid);
        }
    }

    @Test
    void during_a_rotation_both_secrets_are_accepted_and_a_retired_one_is_not() {
        try (V2Shop shop = V2Shop.start(Map.of("PORTONE_V2_WEBHOOK_SECRET", SECRET + "," + OTHER_SECRET))) {
            Paid paid = paidButUnreported(shop);
            String body = body("Transaction.Paid", paid.paymentId());
            assertEquals(200, signed(shop, "application/json", body, OTHER_SECRET, now()).status());
            assertEquals(200, signed(shop, "application/json", body, SECRET, now()).status());
            assertEquals("paid", shop.orderStatus(paid.order()));
        }
        try (V2Shop shop = V2Shop.start(Map.of("PORTONE_V2_WEBHOOK_SECRET", OTHER_SECRET))) {
            Paid paid = paidButUnreported(shop);
            assertEquals(400, signed(shop, "application/json", body("Transaction.Paid", paid.paymentId()), SECRET, now()).status());
            // PortOne sends one signature per live secret: a header with the retired and the new one passes
            String body = body("Transaction.Paid", paid.paymentId());
            Map<String, String> headers = headers(body, SECRET, now());
            headers.put("webhook-signature", headers.get("webhook-signature") + " "
                    + signature(OTHER_SECRET, headers.get("webhook-id"), headers.get("webhook-timestamp"), body));
            assertEquals(200, shop.postRaw("/portone-webhook/v2", "application/json", body.getBytes(UTF_8), headers).status());
        }
    }

    @Test
    void a_type_this_server_does_not_handle_is_200_without_any_portone_call() {
        try (V2Shop shop = V2Shop.start()) {
            long before = portoneCalls(shop);
            String body = "{\"type\":\"BillingKey.Issued\",\"timestamp\":\"2024-04-25T10:00:00.000Z\","
                    + "\"data\":{\"storeId\":\"" + PortOneV2Sandbox.STORE_ID + "\",\"billingKey\":\"bk-1\"}}";
            V2Shop.Answer answer = signed(shop, "application/json", body, SECRET, now());
            assertEquals(200, answer.status());
            assertEquals("ignored", answer.text("status"));
            String unknown = "{\"type\":\"Transaction.SomethingNew\",\"timestamp\":\"2030-01-01T00:00:00Z\",\"data\":"
                    + "{\"storeId\":\"" + PortOneV2Sandbox.STORE_ID + "\",\"paymentId\":\"pay_x\",\"extra\":[1,2]}}";
            assertEquals(200, signed(shop, "application/json", unknown, SECRET, now()).status());
            assertEquals(before, portoneCalls(shop));
        }
    }

    @Test
    void a_valid_webhook_is_still_only_a_hint_a_forged_amount_is_refunded_and_answered_200() {
        try (V2Shop shop = V2Shop.start()) {
            shop.webhooksOn();
            String order = shop.order(15000);
            JsonNode checkout = shop.checkout(order);
            String paymentId = checkout.path("paymentId").asText();
            // a webhook "says" Paid for a payment that is still unpaid: PortOne is asked, and it says otherwise
            V2Shop.Answer early = signed(shop, "application/json", body("Transaction.Paid", paymentId), SECRET, now());
            assertEquals(200, early.status());
            assertEquals("unknown_payment", early.text("status"));
            assertEquals("pending", shop.orderStatus(order));

            shop.portone.webhookUrl(null);
            shop.pay(checkout, Map.of("totalAmount", 1000));
            shop.webhooksOn();
            assertEquals(200, shop.resendWebhook(paymentId));
            assertEquals("CANCELLED", shop.sandboxPayment(paymentId).path("status").asText());
            assertEquals("pending", shop.orderStatus(order));
        }
    }

    @Test
    void a_webhook_about_another_store_is_ignored() {
        try (V2Shop shop = V2Shop.start()) {
            Paid paid = paidButUnreported(shop);
            String body = body("Transaction.Paid", paid.paymentId()).replace(PortOneV2Sandbox.STORE_ID, "store-ffffffff");
            V2Shop.Answer answer = signed(shop, "application/json", body, SECRET, now());
            assertEquals(200, answer.status());
            assertEquals("ignored", answer.text("status"));
            assertUntouched(shop, paid);
        }
    }

    // ---- helpers

    record Paid(String order, String paymentId, long calls, int history) {}

    /** A payment PortOne took but nobody reported yet. */
    private static Paid paidButUnreported(V2Shop shop) {
        String order = shop.order(15000);
        JsonNode checkout = shop.checkout(order);
        assertEquals(201, shop.pay(checkout, Map.of()).status());
        return new Paid(order, checkout.path("paymentId").asText(), portoneCalls(shop), shop.rows("payment_history"));
    }

    private static void assertUntouched(V2Shop shop, Paid paid) {
        assertEquals("pending", shop.orderStatus(paid.order()));
        assertEquals(paid.history(), shop.rows("payment_history"));
        assertEquals(0, shop.rows("payments"));
        assertEquals(paid.calls(), portoneCalls(shop), "no PortOne call");
    }

    /** PortOne V2 requests the server made, from its own metrics. */
    private static long portoneCalls(V2Shop shop) {
        String metrics = rawMetrics(shop);
        Matcher m = Pattern.compile("portone_verify_portone_request_duration_seconds_count\\{endpoint=\"v2_[^\"]+\",[^}]*} ([0-9.]+)")
                .matcher(metrics);
        long n = 0;
        while (m.find()) {
            n += (long) Double.parseDouble(m.group(1));
        }
        return n;
    }

    private static String rawMetrics(V2Shop shop) {
        try {
            return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(shop.url("/metrics"))).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String body(String type, String paymentId) {
        return "{\"type\":\"" + type + "\",\"timestamp\":\"2024-04-25T10:00:00.000Z\",\"data\":{\"storeId\":\""
                + PortOneV2Sandbox.STORE_ID + "\",\"paymentId\":\"" + paymentId + "\",\"transactionId\":\"tx-1\"}}";
    }

    private static V2Shop.Answer signed(V2Shop shop, String contentType, String body, String secret, long timestamp) {
        return shop.postRaw("/portone-webhook/v2", contentType, body.getBytes(UTF_8), headers(body, secret, timestamp));
    }

    private static Map<String, String> headers(String body, String secret, long timestamp) {
        String id = "msg_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random(9));
        Map<String, String> headers = new HashMap<>();
        headers.put("webhook-id", id);
        headers.put("webhook-timestamp", Long.toString(timestamp));
        headers.put("webhook-signature", signature(secret, id, Long.toString(timestamp), body));
        return headers;
    }

    /** Standard Webhooks, by the spec: v1,base64(HMAC-SHA256(base64decode(secret without whsec_), id.ts.body)). */
    private static String signature(String secret, String id, String timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
            return "v1," + Base64.getEncoder().encodeToString(mac.doFinal((id + "." + timestamp + "." + body).getBytes(UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long now() {
        return Instant.now().getEpochSecond();
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new SecureRandom().nextBytes(b);
        return b;
    }
}
