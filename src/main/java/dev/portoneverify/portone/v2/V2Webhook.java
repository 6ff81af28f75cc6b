package dev.portoneverify.portone.v2;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLDecoder;
import java.util.HashMap;
import java.util.Map;

/**
 * What a V2 webhook body says, in either of its two versions (DEV/wh2): {@code 2024-04-25}
 * ({@code {type, timestamp, data: {storeId, paymentId, transactionId, ...}}}, JSON only) and
 * {@code 2024-01-01} ({@code {payment_id, tx_id, status}}, JSON or form). Only a hint: the server asks
 * PortOne about {@code paymentId} and believes only that. {@code paymentId} is null when the webhook is
 * not about a payment (a billing key, or a {@code type} this server does not know: ignored, as PortOne asks).
 *
 * @param storeId the store the 2024-04-25 body names; null for 2024-01-01, which names none
 */
public record V2Webhook(String version, String type, String storeId, String paymentId) {
    public static final String V2024_04_25 = "2024-04-25";
    public static final String V2024_01_01 = "2024-01-01";
    private static final int MAX_ID = 200;

    /** @throws IllegalArgumentException when the body is neither version's shape */
    public static V2Webhook parse(byte[] body, boolean form, ObjectMapper json) {
        if (form) {
            Map<String, String> fields = formFields(new String(body, UTF_8));
            return legacy(fields.get("payment_id"), fields.get("status"));
        }
        JsonNode node;
        try {
            node = json.readTree(body);
        } catch (IOException | NumberFormatException e) {
            throw new IllegalArgumentException("the webhook body is not JSON");
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("the webhook body is not a JSON object");
        }
        if (node.has("type")) {
            String type = text(node.get("type"), "type");
            JsonNode data = node.path("data");
            String storeId = data.isObject() ? optional(data.get("storeId"), "data.storeId") : null;
            String paymentId = data.isObject() ? optional(data.get("paymentId"), "data.paymentId") : null;
            // Transaction.* are the payment events; BillingKey.* and anything new carry no payment to verify
            boolean payment = type.startsWith("Transaction.") && paymentId != null;
            return new V2Webhook(V2024_04_25, type, storeId, payment ? paymentId : null);
        }
        return legacy(optional(node.get("payment_id"), "payment_id"), optional(node.get("status"), "status"));
    }

    private static V2Webhook legacy(String paymentId, String status) {
        if (paymentId == null || paymentId.isBlank() || paymentId.length() > MAX_ID) {
            throw new IllegalArgumentException("the webhook names no payment_id");
        }
        plain(paymentId, "payment_id");
        return new V2Webhook(V2024_01_01, status, null, paymentId);
    }

    private static String text(JsonNode v, String field) {
        String s = optional(v, field);
        if (s == null) {
            throw new IllegalArgumentException("`" + field + "` is missing");
        }
        return s;
    }

    private static String optional(JsonNode v, String field) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual() || v.textValue().length() > MAX_ID) {
            throw new IllegalArgumentException("`" + field + "` is not a short string");
        }
        return plain(v.textValue(), field);
    }

    /** No control, format or unpaired surrogate characters: they forge log lines, and PostgreSQL refuses NUL. */
    private static String plain(String s, String field) {
        boolean bad = s.codePoints().anyMatch(cp -> Character.isISOControl(cp) || Character.getType(cp) == Character.FORMAT
                || Character.getType(cp) == Character.SURROGATE);
        if (bad) {
            throw new IllegalArgumentException("`" + field + "` holds control characters");
        }
        return s;
    }

    private static Map<String, String> formFields(String body) {
        Map<String, String> fields = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            try {
                fields.putIfAbsent(URLDecoder.decode(pair.substring(0, eq), UTF_8), URLDecoder.decode(pair.substring(eq + 1), UTF_8));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("the form body is not validly percent-encoded");
            }
        }
        return fields;
    }
}
