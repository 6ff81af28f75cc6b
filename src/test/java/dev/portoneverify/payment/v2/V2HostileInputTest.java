package dev.portoneverify.payment.v2;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portoneverify.sandbox.v2.PortOneV2Sandbox;
import dev.portoneverify.testsupport.V2Shop;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * What an attacker can send to V2's endpoints: every answer is a JSON 4xx {status, message} (or a 200 that
 * decides nothing), never a 500 or a stack trace, and no row changes.
 */
class V2HostileInputTest {

    @Test
    void hostile_webhooks_get_a_4xx_or_an_ignoring_200_and_change_nothing() throws Exception {
        try (V2Shop shop = V2Shop.start()) {
            String order = shop.order(15000);
            shop.checkout(order);
            int rows = shop.rows("payment_history") + shop.rows("payments") + shop.rows("sms_outbox");
            long now = Instant.now().getEpochSecond();
            Map<String, Map<String, String>> headerCases = new LinkedHashMap<>();
            headerCases.put("timestamp not a number", headers("id1", "12e3", "v1,AAAA"));
            headerCases.put("timestamp far past", headers("id1", "-9223372036854775808", "v1,AAAA"));
            headerCases.put("timestamp overflow", headers("id1", "99999999999999999999999", "v1,AAAA"));
            headerCases.put("signature without version", headers("id1", Long.toString(now), "AAAA"));
            headerCases.put("signature not base64", headers("id1", Long.toString(now), "v1,%%%% v1,"));
            headerCases.put("asymmetric signature", headers("id1", Long.toString(now), "v1a,AAAA"));
            headerCases.put("huge signature", headers("id1", Long.toString(now), "v1," + "A".repeat(5_000)));
            headerCases.put("huge id", headers("x".repeat(1_000), Long.toString(now), "v1,AAAA"));
            headerCases.put("empty id", headers("", Long.toString(now), "v1,AAAA"));
            for (Map.Entry<String, Map<String, String>> c : headerCases.entrySet()) {
                V2Shop.Answer a = shop.postRaw("/portone-webhook/v2", "application/json", "{}".getBytes(UTF_8), c.getValue());
                assertClientError(a, c.getKey());
            }

            // correctly signed, but no body the server can use
            List<String> bodies = List.of("", "not json", "[]", "123", "{\"type\":5}", "{\"type\":\"Transaction.Paid\",\"data\":[]}",
                    "{\"payment_id\":\"" + "p".repeat(300) + "\"}", "{\"payment_id\":null}", "{\"unrelated\":true}",
                    "{\"type\":\"Transaction.Paid\",\"data\":{\"paymentId\":\"pay_\\u0000x\",\"storeId\":\""
                            + PortOneV2Sandbox.STORE_ID + "\"}}",
                    "{\"type\":\"Transaction.Paid\",\"data\":{\"paymentId\":\"pay_never_issued\",\"storeId\":\""
                            + PortOneV2Sandbox.STORE_ID + "\"}}");
            for (String body : bodies) {
                V2Shop.Answer a = shop.postRaw("/portone-webhook/v2", "application/json", body.getBytes(UTF_8), signed(body));
                assertTrue(a.status() == 400 || a.status() == 200, body + " -> " + a.status());
                assertTrue(a.body() != null && a.body().has("status") && a.body().has("message"), body + " -> " + a.body());
                assertFalse(a.body().toString().contains("Exception"), a.body().toString());
                if (a.status() == 200) {
                    assertTrue(List.of("ignored", "unknown_order").contains(a.text("status")), body + " -> " + a.body());
                }
            }
            V2Shop.Answer form = shop.postRaw("/portone-webhook/v2", "application/x-www-form-urlencoded",
                    "payment_id=%zz".getBytes(UTF_8), signed("payment_id=%zz"));
            assertClientError(form, "undecodable form");
            assertEquals(rows, shop.rows("payment_history") + shop.rows("payments") + shop.rows("sms_outbox"));
            assertEquals("pending", shop.orderStatus(order));
        }
    }

    @Test
    void hostile_complete_and_checkout_requests_get_a_4xx_and_change_nothing() {
        try (V2Shop shop = V2Shop.start()) {
            String order = shop.order(15000);
            int attempts = shop.rows("payment_attempts");
            for (Object paymentId : new Object[] {"", " ", 12345, List.of("pay_1"), Map.of("x", 1), "p".repeat(65), "pay_\u0000",
                    "pay_\u202e", true}) {
                V2Shop.Answer a = shop.post("/payments/complete", Map.of("paymentId", paymentId));
                assertClientError(a, "paymentId " + paymentId);
            }
            for (String target : List.of("/orders/" + "o".repeat(41) + "/checkout",
                    "/orders/%E2%80%AEorder/checkout")) {
                V2Shop.Answer a = shop.post(target, Map.of());
                assertClientError(a, target);
            }
            assertEquals(attempts, shop.rows("payment_attempts"));
            assertEquals("pending", shop.orderStatus(order));
        }
    }

    private static void assertClientError(V2Shop.Answer a, String what) {
        assertTrue(a.status() >= 400 && a.status() < 500, what + " -> " + a.status() + " " + a.body());
        assertTrue(a.body() != null && a.body().has("status") && a.body().has("message"), what + " -> " + a.body());
        assertFalse(a.body().toString().contains("Exception") || a.body().toString().contains("at dev."), a.body().toString());
    }

    private static Map<String, String> headers(String id, String timestamp, String signature) {
        return Map.of("webhook-id", id, "webhook-timestamp", timestamp, "webhook-signature", signature);
    }

    private static Map<String, String> signed(String body) throws Exception {
        String id = "msg_hostile";
        String ts = Long.toString(Instant.now().getEpochSecond());
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(PortOneV2Sandbox.WEBHOOK_SECRET.substring(6)), "HmacSHA256"));
        return headers(id, ts, "v1," + Base64.getEncoder().encodeToString(mac.doFinal((id + "." + ts + "." + body).getBytes(UTF_8))));
    }
}
