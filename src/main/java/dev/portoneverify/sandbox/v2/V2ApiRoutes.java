package dev.portoneverify.sandbox.v2;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * The V2 REST surface the shop calls, per PortOne's V2 OpenAPI document: {@code GET /payments/{paymentId}},
 * {@code POST /payments/{paymentId}/cancel} and {@code POST /payments/{paymentId}/pre-register}, authorised
 * by {@code Authorization: PortOne <API secret>}, refusing with {@code {type, message}} bodies, and honouring
 * {@code Idempotency-Key} on the cancel (a finished request's answer is replayed for three hours).
 */
final class V2ApiRoutes {
    private final V2Store store;
    private final V2WebhookSender webhooks;
    private final ObjectMapper json;
    private final String apiSecret;
    private final String storeId;

    V2ApiRoutes(V2Store store, V2WebhookSender webhooks, ObjectMapper json, String apiSecret, String storeId) {
        this.store = store;
        this.webhooks = webhooks;
        this.json = json;
        this.apiSecret = apiSecret;
        this.storeId = storeId;
    }

    void register(RoutesConfig routes) {
        routes.before("/payments/*", this::authorize);
        routes.get("/payments/{paymentId}", this::getPayment);
        routes.post("/payments/{paymentId}/cancel", this::cancel);
        routes.post("/payments/{paymentId}/pre-register", this::preRegister);
        routes.exception(V2Refusal.class, (e, ctx) -> error(ctx, e.httpStatus(), e.type(), e.getMessage()));
        routes.error(404, ctx -> {
            if (ctx.result() == null) {
                error(ctx, 404, "NOT_FOUND", "no such V2 endpoint in the sandbox");
            }
        });
    }

    private void authorize(Context ctx) {
        String header = ctx.header("Authorization");
        String expected = "PortOne " + apiSecret;
        if (header == null || !MessageDigest.isEqual(header.getBytes(StandardCharsets.UTF_8),
                expected.getBytes(StandardCharsets.UTF_8))) {
            throw new V2Refusal(401, "UNAUTHORIZED", "인증 정보가 올바르지 않습니다. (Authorization: PortOne <V2 API secret>)");
        }
    }

    private void getPayment(Context ctx) {
        checkStore(ctx.queryParam("storeId"));
        ObjectNode p = store.get(ctx.pathParam("paymentId"))
                .orElseThrow(() -> new V2Refusal(404, "PAYMENT_NOT_FOUND", "결제 건이 존재하지 않습니다."));
        respond(ctx, 200, p);
    }

    private void cancel(Context ctx) {
        String paymentId = ctx.pathParam("paymentId");
        JsonNode body = body(ctx);
        checkStore(text(body, "storeId", false));
        String reason = text(body, "reason", true);
        Long amount = whole(body, "amount");
        Long current = whole(body, "currentCancellableAmount");
        JsonNode account = body.get("refundAccount");
        boolean refundAccount = account != null && !account.isNull();
        if (refundAccount && (text(account, "bank", true) == null || text(account, "number", true) == null
                || text(account, "holderName", true) == null)) {
            throw new V2Refusal(400, "INVALID_REQUEST", "refundAccount needs bank, number and holderName");
        }
        boolean skipWebhook = body.path("skipWebhook").asBoolean(false);
        String key = idempotencyKey(ctx.header("Idempotency-Key"));
        String fingerprint = paymentId + "|" + body;
        synchronized (store.lock()) {
            if (key != null) {
                Optional<V2Store.Remembered> before = store.remembered(key, fingerprint);
                if (before.isPresent()) {
                    ctx.status(before.get().httpStatus()).contentType("application/json").result(before.get().body());
                    return;
                }
            }
            int status;
            String answer;
            V2Store.Changed changed = null;
            try {
                changed = store.cancel(paymentId, amount, current, reason, refundAccount);
                status = 200;
                answer = write(json.createObjectNode().set("cancellation", changed.payment().get("cancellation")));
            } catch (V2Refusal r) {
                status = r.httpStatus();
                answer = write(json.createObjectNode().put("type", r.type()).put("message", r.getMessage()));
            }
            if (key != null) {
                store.remember(key, fingerprint, status, answer);
            }
            ctx.status(status).contentType("application/json").result(answer);
            if (changed != null && !skipWebhook) {
                webhooks.send(new V2WebhookSender.Notice(changed.event(), paymentId, changed.transactionId(),
                        changed.cancellationId()));
            }
        }
    }

    private void preRegister(Context ctx) {
        JsonNode body = body(ctx);
        checkStore(text(body, "storeId", false));
        Long total = whole(body, "totalAmount");
        String currency = text(body, "currency", true);
        if (total == null || total <= 0) {
            throw new V2Refusal(400, "INVALID_REQUEST", "totalAmount must be a positive integer");
        }
        store.preRegister(ctx.pathParam("paymentId"), total, currency);
        respond(ctx, 200, json.createObjectNode());
    }

    private void checkStore(String requested) {
        if (requested != null && !requested.equals(storeId)) {
            throw new V2Refusal(403, "FORBIDDEN", "이 상점에 접근할 권한이 없습니다.");
        }
    }

    /** RFC 8941 string: 16-256 printable ASCII characters between double quotes. */
    private static String idempotencyKey(String header) {
        if (header == null) {
            return null;
        }
        if (!header.matches("\"[\\x21\\x23-\\x5b\\x5d-\\x7e]{16,256}\"")) {
            throw new V2Refusal(400, "INVALID_REQUEST", "Idempotency-Key must be a double-quoted string of 16 to 256 ASCII characters");
        }
        return header.substring(1, header.length() - 1);
    }

    private JsonNode body(Context ctx) {
        try {
            JsonNode node = json.readTree(ctx.bodyAsBytes());
            if (node != null && node.isObject()) {
                return node;
            }
        } catch (IOException e) {
            // answered below
        }
        throw new V2Refusal(400, "INVALID_REQUEST", "the body must be a JSON object");
    }

    private static String text(JsonNode body, String field, boolean required) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new V2Refusal(400, "INVALID_REQUEST", field + " is required");
            }
            return null;
        }
        if (!v.isTextual() || v.textValue().isBlank()) {
            throw new V2Refusal(400, "INVALID_REQUEST", field + " must be a non-blank string");
        }
        return v.textValue();
    }

    private static Long whole(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
            throw new V2Refusal(400, "INVALID_REQUEST", field + " must be a non-negative int64");
        }
        return v.longValue();
    }

    private void error(Context ctx, int status, String type, String message) {
        respond(ctx, status, json.createObjectNode().put("type", type).put("message", message));
    }

    private void respond(Context ctx, int status, JsonNode body) {
        ctx.status(status).contentType("application/json").result(write(body));
    }

    private String write(JsonNode body) {
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a sandbox answer", e);
        }
    }
}
