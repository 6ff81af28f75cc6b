package dev.portoneverify.checkout;

import dev.portoneverify.order.AmountRegistration;
import dev.portoneverify.order.AmountRegistrationFailedException;
import dev.portoneverify.order.Order;
import dev.portoneverify.order.OrderDao;
import dev.portoneverify.order.OrderStatus;
import dev.portoneverify.order.PaymentAttemptDao;
import dev.portoneverify.order.PaymentIds;
import dev.portoneverify.portone.v2.V2Money;
import dev.portoneverify.user.BuyerAccess;
import dev.portoneverify.web.ApiException;
import dev.portoneverify.web.RequestBody;
import dev.portoneverify.web.RequestLog;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code POST /orders/{merchant_uid}/checkout} (PortOne V2): issues a new paymentId for the order, bound to
 * it here, pre-registers the amount when PREPARE_AMOUNTS is on, and answers exactly the arguments
 * {@code PortOne.requestPayment} takes. One paymentId per attempt, so a buyer can try again after a failure.
 */
public final class V2CheckoutHandler {
    /** Far more than a buyer retries; keeps a script from growing one order's attempts without end. */
    static final int MAX_ATTEMPTS_PER_ORDER = 20;

    private final OrderDao orders;
    private final PaymentAttemptDao attempts;
    private final PaymentIds paymentIds;
    private final AmountRegistration preRegistration;
    private final String storeId;
    private final String channelKey;
    private final BuyerAccess buyers;
    private final Clock clock;

    /** @param preRegistration V2 pre-register of a paymentId's amount, or {@link AmountRegistration#OFF} */
    public V2CheckoutHandler(OrderDao orders, PaymentAttemptDao attempts, PaymentIds paymentIds,
                             AmountRegistration preRegistration, String storeId, String channelKey, BuyerAccess buyers,
                             Clock clock) {
        this.buyers = buyers;
        this.orders = orders;
        this.attempts = attempts;
        this.paymentIds = paymentIds;
        this.preRegistration = preRegistration;
        this.storeId = storeId;
        this.channelKey = channelKey;
        this.clock = clock;
    }

    public void checkout(Context ctx) {
        String merchantUid = ctx.pathParam("merchantUid");
        if (merchantUid.length() > 40 || !RequestBody.isPlainText(merchantUid)) {
            throw ApiException.badRequest("merchant_uid is at most 40 characters of plain text");
        }
        RequestLog.note(ctx, RequestLog.MERCHANT_UID, merchantUid);
        ApiException unknown = ApiException.notFound("unknown_order", "no order with this merchant_uid for this token");
        Order order = orders.find(merchantUid).orElse(null);
        // the buyer's own token (or ADMIN_TOKEN), as for reading the order: an unknown order and another
        // buyer's answer alike, so merchant_uids cannot be probed
        buyers.check(ctx, order == null ? -1 : order.userId(), unknown);
        if (order == null) {
            throw unknown;
        }
        if (order.status() == OrderStatus.PAID || order.status() == OrderStatus.PARTIALLY_REFUNDED
                || order.status() == OrderStatus.CANCELLED) {
            throw new ApiException(409, "order_" + order.status().wire(), "order " + merchantUid + " is "
                    + order.status().wire() + " and takes no new payment");
        }
        if (attempts.countForOrder(merchantUid) >= MAX_ATTEMPTS_PER_ORDER) {
            throw new ApiException(409, "too_many_attempts", "order " + merchantUid + " already had "
                    + MAX_ATTEMPTS_PER_ORDER + " payment attempts");
        }
        long totalAmount;
        try {
            totalAmount = V2Money.toMinor(order.amount(), order.currency());
        } catch (IllegalArgumentException e) {
            throw new ApiException(409, "currency_not_payable", "this order's amount cannot be paid through PortOne V2: "
                    + e.getMessage());
        }
        String paymentId = paymentIds.next();
        RequestLog.note(ctx, RequestLog.IMP_UID, paymentId);
        try {
            preRegistration.register(paymentId, order.amount(), order.currency());
        } catch (AmountRegistrationFailedException e) {
            throw new ApiException(502, "prepare_failed",
                    "PortOne did not pre-register the amount, so no payment was started; try again");
        }
        // bound before the browser learns the id: a payment under it can only ever pay this order
        attempts.insert(paymentId, merchantUid, clock.instant());
        // PortOne.requestPayment's own (camelCase) names, totalAmount in the currency's minor unit, so the page
        // passes the answer on as it is; a map, because the API's JSON is otherwise snake_case
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("storeId", storeId);
        answer.put("channelKey", channelKey);
        answer.put("paymentId", paymentId);
        answer.put("orderName", order.name());
        answer.put("totalAmount", totalAmount);
        answer.put("currency", order.currency());
        ctx.status(201).json(answer);
    }
}
