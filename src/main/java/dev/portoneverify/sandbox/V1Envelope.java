package dev.portoneverify.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes every V1 answer as {@code {code, message, response}} (docs §1.2), with the sandbox's own mapper. */
final class V1Envelope {
    private final ObjectMapper json;

    V1Envelope(ObjectMapper json) {
        this.json = json;
    }

    void ok(Context ctx, Object response) {
        write(ctx, 200, 0, null, response);
    }

    void write(Context ctx, int status, int code, String message, Object response) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", code);
        body.put("message", message);
        body.put("response", response);
        try {
            ctx.status(status).contentType("application/json; charset=utf-8").result(json.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a V1 answer", e);
        }
    }
}
