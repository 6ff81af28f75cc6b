package dev.portoneverify.sandbox;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpResponseException;
import java.math.BigDecimal;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PortOne V1 REST surface the sandbox serves, as {@code docs/portone-v1-api.md} describes it: every
 * answer is the {@code {code, message, response}} envelope with an integer code; 401 for a missing, wrong or
 * expired token; 404 with code -1 for unknown payments; business refusals as HTTP 200 with code 1.
 */
final class V1Routes {
    private static final Logger log = LoggerFactory.getLogger(V1Routes.class);
    private static final Set<String> STATUSES = Set.of("ready", "paid", "cancelled", "failed");

    private final SandboxPayments payments;
    private final SandboxTokens tokens;
    private final WebhookSender webhooks;
    private final String apiKey;
    private final String apiSecret;
    private final ObjectMapper json;

    V1Routes(SandboxPayments payments, SandboxTokens tokens, WebhookSender webhooks, String apiKey, String apiSecret,
             ObjectMapper json) {
        this.payments = payments;
        this.tokens = tokens;
        this.webhooks = webhooks;
        this.apiKey = apiKey;
        this.apiSecret = apiSecret;
        this.json = json;
    }

    void register(RoutesConfig routes) {
        routes.post("/users/getToken", this::getToken);
        routes.get("/payments/{imp_uid}", authorized(this::getPayment));
        routes.get("/payments/find/{merchant_uid}", authorized(this::find));
        routes.get("/payments/find/{merchant_uid}/{payment_status}", authorized(this::find));
        routes.post("/payments/prepare", authorized(this::prepare));
        routes.get("/payments/prepare/{merchant_uid}", authorized(this::getPrepared));
        routes.post("/payments/cancel", authorized(this::cancel));

        routes.exception(V1Error.class, (e, ctx) -> envelope(ctx, e.httpStatus(), e.code(), e.getMessage(), null));
        routes.exception(SandboxRefusal.class, (e, ctx) -> envelope(ctx, 200, 1, e.getMessage(), null));
        // no such endpoint, wrong method: still the envelope, so clients can always read `code`
        routes.exception(HttpResponseException.class, (e, ctx) -> envelope(ctx, e.getStatus(), -1, e.getMessage(), null));
        routes.exception(Exception.class, (e, ctx) -> {
            log.error("sandbox {} {} failed", ctx.method(), ctx.path(), e);
            envelope(ctx, 500, -1, "Internal Server Error", null);
        });
    }

    /** {@code POST /users/getToken} (docs §2). */
    private void getToken(Context ctx) {
        V1Params params = V1Params.of(ctx, json);
        String key = params.text("imp_key");
        String secret = params.text("imp_secret");
        if (key == null || secret == null) {
            throw V1Error.badRequest("imp_key, imp_secret 파라메터가 누락되었습니다.");
        }
        // both compared in full, in constant time: which half was wrong is nobody's business
        boolean keyOk = MessageDigest.isEqual(key.getBytes(UTF_8), apiKey.getBytes(UTF_8));
        boolean secretOk = MessageDigest.isEqual(secret.getBytes(UTF_8), apiSecret.getBytes(UTF_8));
        if (!keyOk || !secretOk) {
            throw V1Error.unauthorized();
        }
        SandboxTokens.Issued t = tokens.issue();
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("access_token", t.accessToken());
        response.put("expired_at", t.expiredAt());
        response.put("now", t.now());
        ok(ctx, response);
    }

    /** {@code GET /payments/{imp_uid}}: test-channel payments stay hidden without {@code include_sandbox=true} (§3). */
    private void getPayment(Context ctx) {
        boolean includeSandbox = "true".equalsIgnoreCase(ctx.queryParam("include_sandbox"));
        PaymentSnapshot p = payments.get(ctx.pathParam("imp_uid"))
                .filter(found -> !found.sandbox() || includeSandbox)
                .orElseThrow(() -> V1Error.notFound(SandboxPayments.PAYMENT_NOT_FOUND));
        ok(ctx, p.json());
    }

    /**
     * {@code GET /payments/find/{merchant_uid}[/{payment_status}]} (§4): the newest payment by started_at.
     * The doc gives {@code include_sandbox} to the imp_uid lookup only, so this one shows test-channel
     * payments too (simulator choice); {@code sorting} is not simulated.
     */
    private void find(Context ctx) {
        String status = ctx.pathParamMap().get("payment_status");
        if (status != null && !STATUSES.contains(status)) {
            throw V1Error.badRequest("지원되지 않는 상태값입니다.");
        }
        PaymentSnapshot p = payments.findByMerchantUid(ctx.pathParam("merchant_uid"), status)
                .orElseThrow(() -> V1Error.notFound(SandboxPayments.PAYMENT_NOT_FOUND));
        ok(ctx, p.json());
    }

    /** {@code POST /payments/prepare} (§5): registering a merchant_uid again replaces the amount (simulator choice). */
    private void prepare(Context ctx) {
        V1Params params = V1Params.of(ctx, json);
        String merchantUid = params.text("merchant_uid");
        BigDecimal amount = params.decimal("amount");
        if (merchantUid == null || amount == null) {
            throw V1Error.badRequest("파라미터 누락: " + (merchantUid == null ? "merchant_uid" : "amount"));
        }
        if (amount.signum() <= 0) {
            throw V1Error.badRequest("amount 는 0보다 커야 합니다.");
        }
        String currency = params.text("currency");
        ok(ctx, payments.prepare(new SandboxPayments.Prepared(merchantUid, amount,
                currency == null ? null : currency.toUpperCase(Locale.ROOT))));
    }

    /** {@code GET /payments/prepare/{merchant_uid}}: 404 for an unknown one, as live-API tests saw (§1.3). */
    private void getPrepared(Context ctx) {
        ok(ctx, payments.prepared(ctx.pathParam("merchant_uid"))
                .orElseThrow(() -> V1Error.notFound("사전등록된 결제정보가 존재하지 않습니다.")));
    }

    /**
     * {@code POST /payments/cancel} (§6). Answers the payment after the cancel; refusals are HTTP 200 with
     * code 1. No webhook unless {@code enable_webhook=true}, as PortOne.
     */
    private void cancel(Context ctx) {
        V1Params params = V1Params.of(ctx, json);
        boolean refundAccountGiven = params.text("refund_holder") != null && params.text("refund_bank") != null
                && params.text("refund_account") != null;
        PaymentSnapshot p = payments.cancel(new SandboxPayments.CancelOrder(params.text("imp_uid"),
                params.text("merchant_uid"), params.decimal("amount"), params.decimal("checksum"),
                params.text("reason"), refundAccountGiven));
        if (params.flag("enable_webhook")) {
            webhooks.send(WebhookSender.Notice.of(p));
        }
        ok(ctx, p.json());
    }

    /** Accepts every form PortOne does: {@code Bearer t}, a bare {@code t}, or {@code X-ImpTokenHeader: t} (§2). */
    private Handler authorized(Handler route) {
        return ctx -> {
            String authorization = ctx.header("Authorization");
            String presented = authorization != null
                    ? authorization.replaceFirst("^(?i)bearer\\s+", "").strip()
                    : ctx.header("X-ImpTokenHeader");
            if (!tokens.accepts(presented)) {
                throw V1Error.unauthorized();
            }
            route.handle(ctx);
        };
    }

    private void ok(Context ctx, Object response) {
        envelope(ctx, 200, 0, null, response);
    }

    private void envelope(Context ctx, int status, int code, String message, Object response) {
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
