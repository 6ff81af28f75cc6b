package dev.portoneverify.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import io.javalin.http.Context;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The parameters of a V1 request body, JSON or form-encoded: PortOne accepts both for every operation
 * (docs §1.1). Form values are text, so numbers and booleans are read from either a JSON value or its text.
 */
final class V1Params {
    private final Map<String, JsonNode> values;

    private V1Params(Map<String, JsonNode> values) {
        this.values = values;
    }

    /** @throws V1Error 400 for a body that is neither a form nor a JSON object */
    static V1Params of(Context ctx, ObjectMapper json) {
        Map<String, JsonNode> values = new HashMap<>();
        if (ctx.isFormUrlencoded()) {
            for (Map.Entry<String, List<String>> field : ctx.formParamMap().entrySet()) {
                if (!field.getValue().isEmpty()) {
                    values.put(field.getKey(), TextNode.valueOf(field.getValue().get(0)));
                }
            }
            return new V1Params(values);
        }
        byte[] body = ctx.bodyAsBytes();
        if (body.length == 0) {
            return new V1Params(values);
        }
        JsonNode node;
        try {
            node = json.readTree(body);
        } catch (IOException e) {
            node = null;
        }
        if (node == null || !node.isObject()) {
            throw V1Error.badRequest("요청 본문이 올바른 JSON 객체 또는 form 데이터가 아닙니다.");
        }
        node.properties().forEach(e -> values.put(e.getKey(), e.getValue()));
        return new V1Params(values);
    }

    /** The value as text; null when absent, null or blank. */
    String text(String name) {
        JsonNode v = values.get(name);
        if (v == null || v.isNull() || v.isContainerNode()) {
            return null;
        }
        String text = v.asText().strip();
        return text.isEmpty() ? null : text;
    }

    /** @throws V1Error 400 when present but not a number */
    BigDecimal decimal(String name) {
        JsonNode v = values.get(name);
        if (v != null && v.isNumber()) {
            return v.decimalValue();
        }
        String text = text(name);
        if (text == null) {
            return null;
        }
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            throw V1Error.badRequest(name + " 파라미터는 숫자여야 합니다.");
        }
    }

    /** True for JSON {@code true} or the text "true" (a form's checkbox value); false otherwise. */
    boolean flag(String name) {
        JsonNode v = values.get(name);
        return v != null && (v.isBoolean() ? v.booleanValue() : "true".equalsIgnoreCase(text(name)));
    }
}
