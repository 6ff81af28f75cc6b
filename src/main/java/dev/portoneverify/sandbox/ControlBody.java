package dev.portoneverify.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portoneverify.web.ApiException;
import io.javalin.http.Context;
import java.io.IOException;
import java.math.BigDecimal;

/**
 * The JSON body of a control request; an empty body counts as {@code {}}, since most fields are optional.
 * Every check answers a 400 that names the field. Shared with the V2 simulator ({@code sandbox.v2}).
 */
public final class ControlBody {
    private final JsonNode fields;

    private ControlBody(JsonNode fields) {
        this.fields = fields;
    }

    public static ControlBody of(Context ctx, ObjectMapper json) {
        byte[] bytes = ctx.bodyAsBytes();
        if (bytes.length == 0) {
            return new ControlBody(json.createObjectNode());
        }
        JsonNode node;
        try {
            node = json.readTree(bytes);
        } catch (IOException e) {
            throw ApiException.badRequest("the request body is not valid JSON");
        }
        if (node == null || !node.isObject()) {
            throw ApiException.badRequest("the request body must be a JSON object");
        }
        return new ControlBody(node);
    }

    public String text(String name, int maxLength) {
        String text = optionalText(name, maxLength);
        if (text == null) {
            throw ApiException.badRequest(name + " is required");
        }
        return text;
    }

    public String optionalText(String name, int maxLength) {
        JsonNode v = present(name);
        if (v == null) {
            return null;
        }
        if (!v.isTextual() || v.textValue().isBlank()) {
            throw ApiException.badRequest(name + " must be a non-blank string");
        }
        if (v.textValue().strip().length() > maxLength) {
            throw ApiException.badRequest(name + " must be at most " + maxLength + " characters");
        }
        return v.textValue().strip();
    }

    /** Money: a positive JSON number, never a string (httpie: {@code amount:=15000}). */
    public BigDecimal optionalAmount(String name) {
        JsonNode v = present(name);
        if (v == null) {
            return null;
        }
        if (!v.isNumber() || v.decimalValue().signum() <= 0) {
            throw ApiException.badRequest(name + " must be a positive JSON number (httpie: " + name + ":=15000)");
        }
        return v.decimalValue();
    }

    public BigDecimal amount(String name) {
        BigDecimal amount = optionalAmount(name);
        if (amount == null) {
            throw ApiException.badRequest(name + " is required");
        }
        return amount;
    }

    public boolean flag(String name) {
        JsonNode v = present(name);
        if (v == null) {
            return false;
        }
        if (!v.isBoolean()) {
            throw ApiException.badRequest(name + " must be true or false (httpie: " + name + ":=true)");
        }
        return v.booleanValue();
    }

    public int whole(String name, int fallback, int min, int max) {
        JsonNode v = present(name);
        if (v == null) {
            return fallback;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < min || v.intValue() > max) {
            throw ApiException.badRequest(name + " must be a whole number from " + min + " to " + max);
        }
        return v.intValue();
    }

    /** PortOne keeps custom_data as a string: a string is kept, an object or array becomes its JSON text. */
    public String jsonText(String name) {
        JsonNode v = present(name);
        if (v == null) {
            return null;
        }
        return v.isTextual() ? v.textValue() : v.toString();
    }

    private JsonNode present(String name) {
        JsonNode v = fields.get(name);
        return v == null || v.isNull() ? null : v;
    }
}
