package dev.portoneverify.sandbox.v2;

import static io.javalin.apibuilder.ApiBuilder.get;
import static io.javalin.apibuilder.ApiBuilder.path;
import static io.javalin.apibuilder.ApiBuilder.post;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portoneverify.sandbox.ControlBody;
import dev.portoneverify.web.ApiException;
import io.javalin.apibuilder.EndpointGroup;
import io.javalin.http.Context;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The V2 simulator's control API, mounted by the shop's server under {@code /sandbox/v2}: a person or a test
 * plays the buyer ({@code PortOne.requestPayment} with the shop's {@code /checkout} answer, a deposit into a
 * virtual account) and PortOne's console (a failure, a cancel, a resent webhook). It only changes the
 * simulator; the shop hears of it through signed webhooks and the V2 API, as from PortOne.
 */
final class V2ControlRoutes {
    private static final Set<String> PAY_METHODS = Set.of("CARD", "VIRTUAL_ACCOUNT", "TRANSFER");
    private static final int MAX_COPIES = 20;

    record Resent(String paymentId, String status, List<V2WebhookSender.Delivery> deliveries) {}

    private final V2Store store;
    private final V2WebhookSender webhooks;
    private final ObjectMapper json;

    V2ControlRoutes(V2Store store, V2WebhookSender webhooks, ObjectMapper json) {
        this.store = store;
        this.webhooks = webhooks;
        this.json = json;
    }

    EndpointGroup endpoints() {
        return () -> {
            path("payments", () -> {
                get(this::list);
                post(this::pay);
                path("{paymentId}", () -> {
                    get(this::one);
                    post("deposit", this::deposit);
                    post("fail", this::fail);
                    post("cancel", this::cancel);
                    post("webhook", this::resend);
                });
            });
            get("webhooks", ctx -> respond(ctx, 200, webhooks.deliveries()));
        };
    }

    /**
     * {@code PortOne.requestPayment}: the body is what the shop's {@code POST /orders/{merchant_uid}/checkout}
     * answered ({@code storeId, channelKey, paymentId, orderName, totalAmount, currency}), plus {@code payMethod}
     * ({@code CARD}, {@code VIRTUAL_ACCOUNT}, {@code TRANSFER}), and the sandbox's {@code fail}, {@code test_channel},
     * {@code bank} (a V2 bank code for the virtual account) and {@code phone}.
     */
    private void pay(Context ctx) {
        ControlBody body = ControlBody.of(ctx, json);
        String payMethod = orDefault(body.optionalText("payMethod", 20), "CARD").toUpperCase(Locale.ROOT);
        if (!PAY_METHODS.contains(payMethod)) {
            throw ApiException.badRequest("payMethod must be CARD, VIRTUAL_ACCOUNT or TRANSFER");
        }
        BigDecimal total = body.amount("totalAmount");
        if (total.scale() > 0 && total.stripTrailingZeros().scale() > 0 || total.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw ApiException.badRequest("totalAmount is a whole number in the currency's minor unit (6 USD is 600)");
        }
        String currency = body.text("currency", 3).toUpperCase(Locale.ROOT);
        String bank = body.optionalText("bank", 40);
        V2Store.PaymentRequest request = new V2Store.PaymentRequest(body.text("paymentId", 200), body.text("storeId", 100),
                body.text("channelKey", 200), orDefault(body.optionalText("orderName", 100), "sandbox order"),
                total.longValueExact(), currency, payMethod, body.optionalText("phone", 20), body.jsonText("customData"),
                bank, body.flag("fail"), body.flag("test_channel"));
        V2Store.Changed changed = refusalsAsAnswers(() -> store.pay(request));
        notify(changed);
        respond(ctx, 201, changed.payment());
    }

    private void list(Context ctx) {
        respond(ctx, 200, store.all());
    }

    private void one(Context ctx) {
        respond(ctx, 200, existing(ctx));
    }

    private void deposit(Context ctx) {
        String id = ctx.pathParam("paymentId");
        V2Store.Changed changed = refusalsAsAnswers(() -> store.deposit(id));
        notify(changed);
        respond(ctx, 200, changed.payment());
    }

    private void fail(Context ctx) {
        String id = ctx.pathParam("paymentId");
        String reason = orDefault(ControlBody.of(ctx, json).optionalText("reason", 200), "[sandbox] 결제가 실패하였습니다.");
        V2Store.Changed changed = refusalsAsAnswers(() -> store.fail(id, reason));
        notify(changed);
        respond(ctx, 200, changed.payment());
    }

    /** A cancel in PortOne's console, full or partial ({@code amount} in the minor unit; absent: the balance). */
    private void cancel(Context ctx) {
        String id = ctx.pathParam("paymentId");
        ControlBody body = ControlBody.of(ctx, json);
        BigDecimal amount = body.optionalAmount("amount");
        if (amount != null && amount.stripTrailingZeros().scale() > 0) {
            throw ApiException.badRequest("amount is a whole number in the currency's minor unit");
        }
        String reason = orDefault(body.optionalText("reason", 200), "관리자 콘솔 취소");
        V2Store.Changed changed = refusalsAsAnswers(() -> store.cancel(id,
                amount == null ? null : amount.longValueExact(), null, reason, true));
        notify(changed);
        respond(ctx, 200, changed.payment());
    }

    /** Sends the webhook for the payment's current status {@code times} times at once; answers what the shop said. */
    private void resend(Context ctx) {
        ObjectNode p = existing(ctx);
        int times = ControlBody.of(ctx, json).whole("times", 1, 1, MAX_COPIES);
        if (webhooks.url() == null) {
            throw new ApiException(409, "no_webhook_url", "the sandbox has no webhook URL to deliver to");
        }
        String status = p.path("status").asText();
        V2WebhookSender.Notice notice = new V2WebhookSender.Notice(eventFor(status), p.path("id").asText(),
                p.path("transactionId").asText(), null);
        respond(ctx, 200, new Resent(notice.paymentId(), status, webhooks.sendCopies(notice, times)));
    }

    private static String eventFor(String status) {
        return switch (status) {
            case "PAID" -> "Transaction.Paid";
            case "VIRTUAL_ACCOUNT_ISSUED" -> "Transaction.VirtualAccountIssued";
            case "PARTIAL_CANCELLED" -> "Transaction.PartialCancelled";
            case "CANCELLED" -> "Transaction.Cancelled";
            case "FAILED" -> "Transaction.Failed";
            case "PAY_PENDING" -> "Transaction.PayPending";
            default -> "Transaction.Ready";
        };
    }

    private void notify(V2Store.Changed changed) {
        if (changed.event() != null) {
            webhooks.send(new V2WebhookSender.Notice(changed.event(), changed.payment().path("id").asText(),
                    changed.transactionId(), changed.cancellationId()));
        }
    }

    private ObjectNode existing(Context ctx) {
        String id = ctx.pathParam("paymentId");
        return store.get(id).orElseThrow(() -> ApiException.notFound("unknown_payment", "the V2 sandbox has no payment " + id));
    }

    private static V2Store.Changed refusalsAsAnswers(Supplier<V2Store.Changed> action) {
        try {
            return action.get();
        } catch (V2Refusal r) {
            throw new ApiException(r.httpStatus(), r.type().toLowerCase(Locale.ROOT), r.getMessage());
        }
    }

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
