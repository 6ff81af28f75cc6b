package dev.portoneverify.sandbox;

import static io.javalin.apibuilder.ApiBuilder.get;
import static io.javalin.apibuilder.ApiBuilder.path;
import static io.javalin.apibuilder.ApiBuilder.post;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portoneverify.web.ApiException;
import dev.portoneverify.web.StatusMessage;
import io.javalin.apibuilder.EndpointGroup;
import io.javalin.http.Context;
import java.math.BigDecimal;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The sandbox's control API, where a person or a test plays the buyer and PortOne's back office. Served by
 * the shop's own server under {@code /sandbox}, but it only ever changes the simulator's state: the shop
 * learns about it the way it would from PortOne, through webhooks and the V1 API. Refusals are
 * {@link ApiException}s, which the shop's app turns into {@code {status, message}} answers.
 */
final class ControlRoutes {
    private static final Set<String> PAY_METHODS = Set.of("card", "vbank", "trans");
    private static final String DECLINED = "[sandbox] 카드사 승인이 거절되었습니다.";
    /** Enough to test duplicate handling; more would only tie up the shop. */
    private static final int MAX_COPIES = 20;

    /** What a webhook resend delivered. */
    record Resent(String impUid, String status, List<WebhookSender.Delivery> deliveries) {}

    private final SandboxPayments payments;
    private final SandboxTokens tokens;
    private final WebhookSender webhooks;
    private final ObjectMapper json;
    private final ConfirmProcessCaller confirmProcess;

    ControlRoutes(SandboxPayments payments, SandboxTokens tokens, WebhookSender webhooks, ObjectMapper json) {
        this.confirmProcess = new ConfirmProcessCaller(json);
        this.payments = payments;
        this.tokens = tokens;
        this.webhooks = webhooks;
        this.json = json;
    }

    /** Paths relative to where the shop mounts them ({@code /sandbox}). */
    EndpointGroup endpoints() {
        return () -> {
            path("payments", () -> {
                get(this::list);
                post(this::pay);
                path("{imp_uid}", () -> {
                    get(this::one);
                    post("deposit", this::deposit);
                    post("fail", this::fail);
                    post("cancel", this::cancel);
                    post("webhook", this::resendWebhook);
                });
            });
            post("tokens/expire", this::expireTokens);
            get("webhooks", this::deliveries);
        };
    }

    /**
     * The buyer pays an order. {@code fail: true} is a declined card (no webhook: PortOne sends none for
     * ordinary failures); {@code test_channel: true} makes a {@code sandbox: true} payment; {@code imp_uid}
     * chooses the new payment's id (409 if taken), otherwise the sandbox draws one.
     */
    private void pay(Context ctx) {
        ControlBody body = ControlBody.of(ctx, json);
        String payMethod = orDefault(body.optionalText("pay_method", 10), "card");
        if (!PAY_METHODS.contains(payMethod)) {
            throw ApiException.badRequest("pay_method must be card, vbank or trans");
        }
        String currency = orDefault(body.optionalText("currency", 3), "KRW").toUpperCase(Locale.ROOT);
        if (!currency.matches("[A-Z]{3}")) {
            throw ApiException.badRequest("currency must be a three-letter code such as KRW");
        }
        String merchantUid = body.text("merchant_uid", 40);
        BigDecimal amount = body.amount("amount");
        URI confirmUrl = httpUrl(body.optionalText("confirm_url", 500));
        refusalsAsAnswers(() -> {
            payments.checkPrepared(merchantUid, amount, currency);
            return null;
        });
        // a given imp_uid makes a script or a test reproducible; otherwise PortOne's kind of random one
        String givenImpUid = body.optionalText("imp_uid", 40);
        if (givenImpUid != null && payments.get(givenImpUid).isPresent()) {
            throw new ApiException(409, "imp_uid_taken", "the sandbox already has a payment " + givenImpUid);
        }
        String impUid = givenImpUid == null ? payments.reserveImpUid() : givenImpUid;
        // the declined card never reaches approval, so Confirm Process is asked only for the others
        String declineReason = body.flag("fail") ? DECLINED
                : confirmUrl == null ? null : confirmProcess.ask(confirmUrl, impUid, merchantUid, amount);
        SandboxPayments.NewPayment order = new SandboxPayments.NewPayment(impUid, merchantUid, amount, currency,
                payMethod, orDefault(body.optionalText("name", 40), "sandbox order"),
                orDefault(body.optionalText("buyer_name", 40), "홍길동"), body.optionalText("buyer_tel", 20),
                body.jsonText("custom_data"), declineReason, body.flag("test_channel"));
        PaymentSnapshot p = refusalsAsAnswers(() -> payments.create(order));
        if (!order.declined()) {
            webhooks.send(WebhookSender.Notice.of(p));
        }
        respond(ctx, 201, p.json());
    }

    private void list(Context ctx) {
        respond(ctx, 200, payments.all().stream().map(PaymentSnapshot::json).toList());
    }

    private void one(Context ctx) {
        respond(ctx, 200, existing(ctx).json());
    }

    /** The buyer pays into the virtual account: paid, and a "paid" webhook. */
    private void deposit(Context ctx) {
        String impUid = existing(ctx).impUid();
        PaymentSnapshot p = refusalsAsAnswers(() -> payments.deposit(impUid));
        webhooks.send(WebhookSender.Notice.of(p));
        respond(ctx, 200, p.json());
    }

    /** A ready payment fails (an expired virtual account, say). No webhook, as PortOne. */
    private void fail(Context ctx) {
        String impUid = existing(ctx).impUid();
        String reason = orDefault(ControlBody.of(ctx, json).optionalText("reason", 200), "[sandbox] 결제가 실패하였습니다.");
        respond(ctx, 200, refusalsAsAnswers(() -> payments.fail(impUid, reason)).json());
    }

    /**
     * A cancel in PortOne's console, full or partial ({@code amount} absent = the whole balance). Unlike an
     * API cancel this always sends the "cancelled" webhook. The console collects a virtual account's
     * refund account itself, so none is asked for here.
     */
    private void cancel(Context ctx) {
        String impUid = existing(ctx).impUid();
        ControlBody body = ControlBody.of(ctx, json);
        BigDecimal amount = body.optionalAmount("amount");
        String reason = orDefault(body.optionalText("reason", 200), "관리자 콘솔 취소");
        PaymentSnapshot p = refusalsAsAnswers(() -> payments.cancel(
                new SandboxPayments.CancelOrder(impUid, null, amount, null, reason, true)));
        webhooks.send(WebhookSender.Notice.of(p));
        respond(ctx, 200, p.json());
    }

    /** Sends the webhook for the payment's current status {@code times} times, and answers what the shop said. */
    private void resendWebhook(Context ctx) {
        PaymentSnapshot p = existing(ctx);
        ControlBody body = ControlBody.of(ctx, json);
        int times = body.whole("times", 1, 1, MAX_COPIES);
        String formatName = body.optionalText("format", 10);
        WebhookFormat format = formatName == null ? null : WebhookFormat.fromWire(formatName);
        if (formatName != null && format == null) {
            throw ApiException.badRequest("format must be json or form");
        }
        if (webhooks.url() == null) {
            throw new ApiException(409, "no_webhook_url", "the sandbox has no webhook URL to deliver to");
        }
        List<WebhookSender.Delivery> delivered = webhooks.sendCopies(WebhookSender.Notice.of(p), times, format);
        respond(ctx, 200, new Resent(p.impUid(), p.status(), delivered));
    }

    private void expireTokens(Context ctx) {
        tokens.expireAll();
        respond(ctx, 200, new StatusMessage("tokens_expired",
                "every issued access token now answers 401; the next getToken issues a new one"));
    }

    private void deliveries(Context ctx) {
        respond(ctx, 200, webhooks.deliveries());
    }

    private PaymentSnapshot existing(Context ctx) {
        String impUid = ctx.pathParam("imp_uid");
        return payments.get(impUid)
                .orElseThrow(() -> ApiException.notFound("unknown_payment", "the sandbox has no payment " + impUid));
    }

    private static URI httpUrl(String text) {
        if (text == null) {
            return null;
        }
        try {
            URI uri = new URI(text);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return uri;
            }
        } catch (java.net.URISyntaxException e) {
            // answered below
        }
        throw ApiException.badRequest("confirm_url must be an http(s) URL");
    }

    private static PaymentSnapshot refusalsAsAnswers(Supplier<PaymentSnapshot> action) {
        try {
            return action.get();
        } catch (SandboxRefusal r) {
            int httpStatus = switch (r.status()) {
                case "unknown_payment" -> 404;
                case "prepare_mismatch" -> 400;
                default -> 409;
            };
            throw new ApiException(httpStatus, r.status(), r.getMessage());
        }
    }

    /** Written with the sandbox's own mapper, so the JSON is PortOne's whatever the host app configured. */
    private void respond(Context ctx, int status, Object body) {
        try {
            ctx.status(status).contentType("application/json; charset=utf-8").result(json.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a sandbox answer", e);
        }
    }

    private static String orDefault(String value, String fallback) {
        return value == null ? fallback : value;
    }
}
