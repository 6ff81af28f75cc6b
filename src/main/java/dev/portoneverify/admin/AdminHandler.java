package dev.portoneverify.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portoneverify.order.Order;
import dev.portoneverify.order.OrderDao;
import dev.portoneverify.order.OrderStatus;
import dev.portoneverify.payment.HistoryDao;
import dev.portoneverify.payment.HistoryEntry;
import dev.portoneverify.payment.Refunds;
import dev.portoneverify.payment.Source;
import dev.portoneverify.payment.SyncResult;
import dev.portoneverify.payment.Verdict;
import dev.portoneverify.portone.CancelRequest;
import dev.portoneverify.reconcile.Reconciler;
import dev.portoneverify.sms.SmsDispatcher;
import dev.portoneverify.sms.SmsOutboxDao;
import dev.portoneverify.web.ApiException;
import dev.portoneverify.web.Money;
import dev.portoneverify.web.RequestBody;
import dev.portoneverify.web.RequestLog;
import io.javalin.http.Context;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/** The shop owner's API under {@code /admin}: see what happened to every order, and act on it. */
public final class AdminHandler {
    private static final int MAX_PAGE_SIZE = 200;

    private final AdminDao admin;
    private final OrderDao orders;
    private final HistoryDao history;
    private final Reconciler reconciler;
    private final Refunds refunds;
    private final ObjectMapper json;
    private final SmsOutboxDao outbox;

    public AdminHandler(AdminDao admin, OrderDao orders, HistoryDao history, Reconciler reconciler, Refunds refunds,
                        ObjectMapper json, SmsOutboxDao outbox) {
        this.outbox = outbox;
        this.admin = admin;
        this.orders = orders;
        this.history = history;
        this.reconciler = reconciler;
        this.refunds = refunds;
        this.json = json;
    }

    record Page(List<Order> orders, int page, int size, int total) {}

    record OrderDetail(Order order, List<PaymentRow> payments, List<HistoryEntry> history) {}

    /** {@code GET /admin/orders?status=paid&from=2026-11-01T00:00:00Z&to=...&page=1&size=50} */
    public void list(Context ctx) {
        String status = ctx.queryParam("status");
        if (status != null && !status.isBlank()) {
            try {
                status = OrderStatus.fromWire(status).wire();
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("status must be pending, awaiting_deposit, paid, partially_refunded or cancelled");
            }
        } else {
            status = null;
        }
        Instant from = instant(ctx, "from");
        Instant to = instant(ctx, "to");
        int page = intParam(ctx, "page", 1, 1, 1_000_000);
        int size = intParam(ctx, "size", 50, 1, MAX_PAGE_SIZE);
        ctx.json(new Page(admin.orders(status, from, to, size, (page - 1) * size), page, size,
                admin.countOrders(status, from, to)));
    }

    /** {@code GET /admin/orders/{merchantUid}}: the order, its payments and its whole history. */
    public void detail(Context ctx) {
        Order order = order(ctx);
        ctx.json(new OrderDetail(order, admin.payments(order.merchantUid()), history.forOrder(order.merchantUid())));
    }

    /** What a re-sync found; {@code knownToPortone} false with a {@code message} when PortOne denies the bound payment. */
    record Resynced(Order order, List<PaymentRow> payments, List<HistoryEntry> history, boolean knownToPortone,
                    String message) {}

    /**
     * {@code POST /admin/orders/{merchantUid}/sync}: ask PortOne about this order now. When PortOne knows no
     * such payment as the order's, the answer and the order's history say so, rather than showing the
     * stored state as if PortOne had confirmed it.
     */
    public void sync(Context ctx) {
        Order order = order(ctx);
        Order after = reconciler.resync(order.merchantUid()).orElseThrow();
        String message = null;
        if (reconciler.boundPaymentUnknownToPortOne(after)) {
            message = "PortOne knows no payment " + after.impUid() + ": the order's state is the shop's last record,"
                    + " which PortOne does not confirm";
            history.insert(HistoryEntry.of(after.impUid(), after.merchantUid(), Source.ADMIN, Verdict.UNKNOWN_PAYMENT.wire(),
                    message, Instant.now()).expected(after));
        }
        ctx.json(new Resynced(after, admin.payments(after.merchantUid()), history.forOrder(after.merchantUid()),
                message == null, message));
    }

    /** {@code POST /admin/orders/{merchantUid}/refund {amount?, reason, refund_holder?, refund_bank?, refund_account?}} */
    public void refund(Context ctx) {
        Order order = order(ctx);
        RefundBody body = refundBody(ctx, order);
        SyncResult result = refunds.refundOrder(order.merchantUid(), body.amount(), body.reason(), body.account());
        respondAfterRefund(ctx, result, order.merchantUid());
    }

    /**
     * {@code POST /admin/payments/{impUid}/refund {amount?, reason, refund_holder?, refund_bank?, refund_account?}}:
     * refunds that payment, whichever payment its order is bound to.
     */
    public void refundPayment(Context ctx) {
        String impUid = ctx.pathParam("impUid");
        if (impUid.length() > 64 || !RequestBody.isPlainText(impUid)) {
            throw ApiException.badRequest("imp_uid is at most 64 characters of plain text");
        }
        RequestLog.note(ctx, RequestLog.IMP_UID, impUid);
        Order order = admin.orderOfPayment(impUid).orElseThrow(() -> ApiException.notFound("unknown_payment",
                "no payment " + impUid + " was reported for an order of ours"));
        RefundBody body = refundBody(ctx, order);
        SyncResult result = refunds.refundPayment(impUid, body.amount(), body.reason(), body.account());
        respondAfterRefund(ctx, result, order.merchantUid());
    }

    private record RefundBody(String reason, BigDecimal amount, CancelRequest.RefundAccount account) {}

    /** The amount is checked against the currency of {@code order}, whose payment is refunded. */
    private RefundBody refundBody(Context ctx, Order order) {
        RequestBody body = RequestBody.json(ctx, json);
        String reason = body.text("reason", 200);
        BigDecimal amount = body.raw("amount") == null ? null : body.decimal("amount");
        if (amount != null && amount.signum() <= 0) {
            throw ApiException.badRequest("amount must be positive; leave it out to refund everything left");
        }
        if (amount != null) {
            // 0.5 KRW or 1e-300 is no amount PortOne can refund: refused here, not after a PortOne call
            amount = Money.amount("amount", amount, order.currency());
        }
        String holder = body.optionalText("refund_holder", 40);
        String bank = body.optionalText("refund_bank", 40);
        String account = body.optionalText("refund_account", 40);
        CancelRequest.RefundAccount refundAccount = null;
        if (holder != null || bank != null || account != null) {
            if (holder == null || bank == null || account == null) {
                throw ApiException.badRequest("refund_holder, refund_bank and refund_account go together");
            }
            refundAccount = new CancelRequest.RefundAccount(holder, bank, account);
        }
        return new RefundBody(reason, amount, refundAccount);
    }

    private void respondAfterRefund(Context ctx, SyncResult result, String merchantUid) {
        Order after = orders.find(merchantUid).orElseThrow();
        ctx.json(Map.of("outcome", result.verdict().wire(), "order",
                new OrderDetail(after, admin.payments(after.merchantUid()), history.forOrder(after.merchantUid()))));
    }

    /** {@code GET /admin/forgeries}: the latest forged payments, newest first. */
    public void forgeries(Context ctx) {
        ctx.json(admin.forgeries(intParam(ctx, "limit", 100, 1, 1000)));
    }

    /**
     * {@code GET /admin/refunds/failed}: refunds PortOne did not carry out (or whose answer was lost),
     * and claims still open, which a crash may have cut short; the next reconciliation pass settles each.
     */
    public void failedRefunds(Context ctx) {
        ctx.json(admin.refunds(List.of("failed", "requested")));
    }

    /** {@code GET /admin/refunds/waiting}: refunds only the shop can make (a deposited virtual account). */
    public void waitingRefunds(Context ctx) {
        ctx.json(admin.refunds(List.of("awaiting_account")));
    }

    /** {@code GET /admin/sms/failed}: SMS refused for good by the provider or out of attempts, newest first. */
    public void failedSms(Context ctx) {
        ctx.json(outbox.undeliverable(SmsDispatcher.MAX_ATTEMPTS, intParam(ctx, "limit", 100, 1, 1000)).stream()
                .map(UndeliverableSms::of).toList());
    }

    private Order order(Context ctx) {
        String merchantUid = ctx.pathParam("merchantUid");
        if (merchantUid.length() > 40 || !RequestBody.isPlainText(merchantUid)) {
            throw ApiException.badRequest("merchant_uid is at most 40 characters of plain text");
        }
        RequestLog.note(ctx, RequestLog.MERCHANT_UID, merchantUid);
        return orders.find(merchantUid)
                .orElseThrow(() -> ApiException.notFound("unknown_order", "no order with merchant_uid " + merchantUid));
    }

    private static Instant instant(Context ctx, String name) {
        String value = ctx.queryParam(name);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(name + " must be an ISO-8601 instant such as 2026-11-01T00:00:00Z");
        }
    }

    private static int intParam(Context ctx, String name, int fallback, int min, int max) {
        String value = ctx.queryParam(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw ApiException.badRequest(name + " must be a whole number from " + min + " to " + max);
    }
}
