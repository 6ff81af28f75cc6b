package dev.portoneverify.web;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portoneverify.text.LogSafe;
import io.javalin.http.Context;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * The fields of a request body, JSON or form-encoded, with checks that answer a clear 400
 * naming the field instead of a 500 or a silent default.
 */
public final class RequestBody {
    private final JsonNode fields;

    private RequestBody(JsonNode fields) {
        this.fields = fields;
    }

    /**
     * Reads a JSON object body, sent as {@code application/json}. Any other type is refused with 415:
     * a foreign web page can post text/plain or a form without asking, but application/json needs a
     * CORS preflight, which this server never grants (issue 15).
     */
    public static RequestBody json(Context ctx, ObjectMapper json) {
        String mime = mimeType(ctx.header("Content-Type"));
        if (!"application/json".equals(mime)) {
            throw new ApiException(415, "unsupported_media_type", "send the body as Content-Type: application/json");
        }
        byte[] bytes = ctx.bodyAsBytes();
        if (bytes.length == 0) {
            throw ApiException.badRequest("the request body is empty; send a JSON object");
        }
        JsonNode node;
        try {
            node = json.readTree(bytes);
        } catch (JacksonException | NumberFormatException e) {
            // NumberFormatException: a number Jackson cannot hold, such as 1e2147483648
            throw ApiException.badRequest("the request body is not valid JSON");
        } catch (java.io.IOException e) {
            throw ApiException.badRequest("the request body could not be read");
        }
        if (node == null || !node.isObject()) {
            throw ApiException.badRequest("the request body must be a JSON object");
        }
        return new RequestBody(node);
    }

    /** Reads a JSON object body, or a form-encoded one (as PortOne may send webhooks). */
    public static RequestBody jsonOrForm(Context ctx, ObjectMapper json) {
        Map<String, List<String>> form;
        try {
            if (!ctx.isFormUrlencoded()) {
                return json(ctx, json);
            }
            form = ctx.formParamMap();
        } catch (IllegalArgumentException e) {
            // an unknown or malformed charset in the Content-Type
            throw ApiException.badRequest("the form body cannot be decoded: unknown charset");
        }
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, List<String>> field : form.entrySet()) {
            if (!field.getValue().isEmpty()) {
                // Jetty decodes bytes that are not UTF-8 as U+FFFD; isPlainText refuses it in every field
                node.put(field.getKey(), field.getValue().get(0));
            }
        }
        return new RequestBody(node);
    }

    private static String mimeType(String contentType) {
        if (contentType == null) {
            return null;
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip().toLowerCase(java.util.Locale.ROOT);
    }

    public String text(String name, int maxLength) {
        JsonNode value = fields.get(name);
        if (value == null || value.isNull()) {
            throw ApiException.badRequest(name + " is required");
        }
        if (!value.isTextual()) {
            throw ApiException.badRequest(name + " must be a string");
        }
        String text = value.textValue().strip();
        if (text.isEmpty()) {
            throw ApiException.badRequest(name + " must not be blank");
        }
        if (!isPlainText(text)) {
            throw ApiException.badRequest(name + " must not contain control characters or broken Unicode");
        }
        if (text.length() > maxLength) {
            throw ApiException.badRequest(name + " must be at most " + maxLength + " characters");
        }
        return text;
    }

    /**
     * No control characters, line separators or bidi overrides (they would forge or disguise lines in
     * the log, or break PortOne's URLs), no lone surrogates (they cannot be stored as UTF-8 and would come back changed)
     * and no U+FFFD: it is what a decoder leaves of bytes that were not UTF-8 (a form body's, say), so
     * the text is not what was sent.
     */
    public static boolean isPlainText(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (LogSafe.isUnsafe(c) || c == '\uFFFD') {
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    public String optionalText(String name, int maxLength) {
        JsonNode value = fields.get(name);
        return value == null || value.isNull() ? null : text(name, maxLength);
    }

    /** The field as sent, for the few fields whose type the sender does not document; null if absent. */
    public JsonNode raw(String name) {
        JsonNode value = fields.get(name);
        return value == null || value.isNull() ? null : value;
    }

    public long positiveLong(String name) {
        JsonNode value = fields.get(name);
        if (value == null || value.isNull()) {
            throw ApiException.badRequest(name + " is required");
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() <= 0) {
            throw ApiException.badRequest(name + " must be a positive whole JSON number (httpie: " + name + ":=1)");
        }
        return value.longValue();
    }

    public BigDecimal decimal(String name) {
        JsonNode value = fields.get(name);
        if (value == null || value.isNull()) {
            throw ApiException.badRequest(name + " is required");
        }
        if (!value.isNumber()) {
            throw ApiException.badRequest(name + " must be a JSON number, not a string (httpie: " + name + ":=15000)");
        }
        return Money.sane(name, value.decimalValue());
    }
}
