package dev.portoneverify.sandbox;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpResponseException;
import java.math.BigDecimal;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PortOne V1 REST surface the sandbox serves, as {@code docs/portone-v1-api.md} describes it: every
 * answer is the {@code {code, message, response}} envelope with an integer code; 401 for a missing, wrong or
 * expired token; 404 with code -1 for unknown payments; business refusals as HTTP 200 with code 1. A path or
 * method it does not simulate is a 501, never a 404 a client could take for "no such payment".
 */
final class V1Routes {
    private static final Logger log = LoggerFactory.getLogger(V1Routes.class);
    /** The longest merchant_uid PortOne takes (OpenAPI: {@code maxLength: 40} on prepare). */
    private static final int MAX_MERCHANT_UID = 40;
    private static final String NOT_PREPARED = "사전등록된 결제정보가 존재하지 않습니다.";

    private final SandboxPayments payments;
    private final SandboxTokens tokens;
    private final WebhookSender webhooks;
    private final String apiKey;
    private final String apiSecret;
    private final ObjectMapper json;
    private final V1Envelope envelope;
    private final V1Lookups lookups;

    V1Routes(SandboxPayments payments, SandboxTokens tokens, WebhookSender webhooks, String apiKey, String apiSecret,
             ObjectMapper json, Clock clock) {
        this.payments = payments;
        this.tokens = tokens;
        this.webhooks = webhooks;
        this.apiKey = apiKey;
        this.apiSecret = apiSecret;
        this.json = json;
        this.envelope = new V1Envelope(json);
        this.lookups = new V1Lookups(payments, envelope, clock);
    }

    void register(RoutesConfig routes) {
        routes.post("/users/getToken", this::getToken);
        // literal segments before {imp_uid}: /payments/find/balance is a find, not a balance
        routes.get("/payments", authorized(lookups::several));
        routes.get("/payments/find/{merchant_uid}", authorized(lookups::find));
        routes.get("/payments/find/{merchant_uid}/{payment_status}", authorized(lookups::find));
        routes.get("/payments/findAll/{merchant_uid}", authorized(lookups::findAll));
        routes.get("/payments/findAll/{merchant_uid}/{payment_status}", authorized(lookups::findAll));
        routes.get("/payments/status/{payment_status}", authorized(lookups::byStatus));
        routes.post("/payments/prepare", authorized(this::prepare));
        routes.put("/payments/prepare", authorized(this::reprepare));
        routes.get("/payments/prepare/{merchant_uid}", authorized(this::getPrepared));
        routes.post("/payments/cancel", authorized(this::cancel));
        routes.get("/payments/{imp_uid}", authorized(this::getPayment));
        routes.get("/payments/{imp_uid}/balance", authorized(lookups::balance));
        routes.delete("/vbanks/{imp_uid}", authorized(this::revokeVbank));

        routes.exception(V1Error.class, (e, ctx) -> envelope.write(ctx, e.httpStatus(), e.code(), e.getMessage(), null));
        routes.exception(SandboxRefusal.class, (e, ctx) -> envelope.write(ctx, 200, 1, e.getMessage(), null));
        routes.exception(HttpResponseException.class, (e, ctx) -> {
            if (e.getStatus() == 404 || e.getStatus() == 405) {
                // Javalin found no route: PortOne may well serve it, so "not found" would be a lie
                envelope.write(ctx, 501, -1, "[sandbox] " + ctx.method() + " " + ctx.path()
                        + " is not simulated by the PortOne V1 sandbox (see docs/sandbox.md in portone-verify)", null);
            } else {
                envelope.write(ctx, e.getStatus(), -1, e.getMessage(), null);
            }
        });
        routes.exception(Exception.class, (e, ctx) -> {
            log.error("sandbox {} {} failed", ctx.method(), ctx.path(), e);
            envelope.write(ctx, 500, -1, "Internal Server Error", null);
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

    /** {@code POST /payments/prepare} (§5): registering a merchant_uid again replaces the amount (simulator choice). */
    private void prepare(Context ctx) {
        ok(ctx, payments.prepare(registration(ctx)));
    }

    /** {@code PUT /payments/prepare}: changes an existing registration's amount and currency; 404 when there is none. */
    private void reprepare(Context ctx) {
        ok(ctx, payments.reprepare(registration(ctx)).orElseThrow(() -> V1Error.notFound(NOT_PREPARED)));
    }

    private SandboxPayments.Prepared registration(Context ctx) {
        V1Params params = V1Params.of(ctx, json);
        String merchantUid = params.text("merchant_uid");
        BigDecimal amount = params.decimal("amount");
        if (merchantUid == null || amount == null) {
            throw V1Error.badRequest("파라미터 누락: " + (merchantUid == null ? "merchant_uid" : "amount"));
        }
        if (merchantUid.length() > MAX_MERCHANT_UID) {
            throw V1Error.badRequest("merchant_uid 는 " + MAX_MERCHANT_UID + "자 이하여야 합니다.");
        }
        if (amount.signum() <= 0) {
            throw V1Error.badRequest("amount 는 0보다 커야 합니다.");
        }
        String currency = params.text("currency");
        if (currency != null && !currency.matches("[A-Za-z]{3}")) {
            throw V1Error.badRequest("currency 는 KRW, USD 같은 세 글자 통화코드여야 합니다.");
        }
        return new SandboxPayments.Prepared(merchantUid, amount, currency == null ? null : currency.toUpperCase(Locale.ROOT));
    }

    /** {@code GET /payments/prepare/{merchant_uid}}: 404 for an unknown one, as live-API tests saw (§1.3). */
    private void getPrepared(Context ctx) {
        ok(ctx, payments.prepared(ctx.pathParam("merchant_uid"))
                .orElseThrow(() -> V1Error.notFound(NOT_PREPARED)));
    }

    /**
     * {@code DELETE /vbanks/{imp_uid}}: closes an unpaid virtual account (see {@link SandboxPayments#revokeVbank}).
     * 404 for an unknown imp_uid, 400 for a payment that is no virtual account awaiting deposit (OpenAPI).
     * No webhook: PortOne sends none for what the shop did itself through the API. {@code pg_api_key}, which
     * KG Inicis needs, is not checked: the sandbox has no Inicis account to check it against.
     */
    private void revokeVbank(Context ctx) {
        try {
            ok(ctx, payments.revokeVbank(ctx.pathParam("imp_uid")).json());
        } catch (SandboxRefusal r) {
            throw r.status().equals("unknown_payment") ? V1Error.notFound(r.getMessage()) : V1Error.badRequest(r.getMessage());
        }
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
        envelope.ok(ctx, response);
    }
}
