package dev.portoneverify.payment;

import dev.portoneverify.order.Order;
import dev.portoneverify.order.OrderDao;
import dev.portoneverify.portone.CancelRequest;
import dev.portoneverify.portone.Payment;
import dev.portoneverify.portone.PortOneApi;
import dev.portoneverify.portone.PortOneVersion;
import dev.portoneverify.portone.v2.Banks;
import java.math.BigDecimal;
import java.time.Clock;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refunds the shop decides on (from the admin API): all or part of a payment, with a reason, through
 * PortOne's cancel with {@code checksum}. Either the payment an order is bound to, or any payment
 * PortOne reported for one of our orders (a duplicate, a forgery, a virtual account deposited into
 * after a card paid). The refund is then verified like any report, so the order and its history
 * follow what PortOne says: a full refund of the order's own payment cancels the order, a partial
 * one makes it partly refunded, and a refund of another payment leaves the order as it is.
 */
public final class Refunds {
    private static final Logger log = LoggerFactory.getLogger(Refunds.class);

    private final PortOneApi portone;
    private final PaymentSync sync;
    private final OrderDao orders;
    private final PaymentDao payments;
    private final Jdbi jdbi;
    private final Clock clock;

    public Refunds(PortOneApi portone, PaymentSync sync, OrderDao orders, PaymentDao payments, Jdbi jdbi, Clock clock) {
        this.portone = portone;
        this.sync = sync;
        this.orders = orders;
        this.payments = payments;
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /**
     * Refunds the payment the order is bound to.
     *
     * @param amount        null refunds the whole remaining balance
     * @param refundAccount required when the payment is a virtual account that was deposited into
     * @throws RefundRefusedException when the order has nothing to refund or the request does not fit it
     */
    public SyncResult refundOrder(String merchantUid, BigDecimal amount, String reason, CancelRequest.RefundAccount refundAccount) {
        Order order = orders.find(merchantUid)
                .orElseThrow(() -> new RefundRefusedException("unknown_order", "no order with merchant_uid " + merchantUid));
        if (order.impUid() == null) {
            throw new RefundRefusedException("nothing_to_refund", "order " + merchantUid + " has no payment");
        }
        return refund(order, order.impUid(), amount, reason, refundAccount);
    }

    /**
     * Refunds one payment that PortOne reported for one of our orders, whichever payment that order
     * is bound to.
     *
     * @throws RefundRefusedException {@code unknown_payment} for a payment never reported for an order
     *                                of ours, and as {@link #refundOrder}
     */
    public SyncResult refundPayment(String impUid, BigDecimal amount, String reason, CancelRequest.RefundAccount refundAccount) {
        Order order = payments.orderOf(impUid).flatMap(orders::find).orElseThrow(() -> new RefundRefusedException(
                "unknown_payment", "no payment " + impUid + " was reported for an order of ours"));
        return refund(order, impUid, amount, reason, refundAccount);
    }

    private SyncResult refund(Order order, String impUid, BigDecimal amount, String reason,
                           CancelRequest.RefundAccount refundAccount) {
        // the balance PortOne has now, not the one we stored: it is the checksum PortOne will test
        Payment payment = portone.getPayment(impUid);
        if (!payment.merchantUid().equals(order.merchantUid())) {
            throw new RefundRefusedException("payment_mismatch", "PortOne reports " + impUid + " for "
                    + payment.merchantUid() + ", not for order " + order.merchantUid());
        }
        if (!PaymentRules.moneyArrived(payment) || payment.balance().signum() <= 0) {
            throw new RefundRefusedException("nothing_to_refund",
                    "payment " + payment.impUid() + " is " + payment.rawStatus() + " with nothing left to refund");
        }
        if (amount != null && amount.compareTo(payment.balance()) > 0) {
            throw new RefundRefusedException("amount_too_large", "at most " + payment.balance().toPlainString() + " "
                    + payment.currency() + " is left to refund");
        }
        if (PaymentRules.refundNeedsAccount(payment) && refundAccount == null) {
            throw new RefundRefusedException("refund_account_required",
                    "a deposited virtual account is refunded to the buyer's bank account: send refund_holder, "
                            + "refund_bank and refund_account");
        }
        if (payment.version() == PortOneVersion.V2 && refundAccount != null && !Banks.known(refundAccount.bank())) {
            throw new RefundRefusedException("invalid_refund_bank", "a PortOne V2 refund names the bank by its V2 code, "
                    + "such as KOOKMIN or NONGHYUP");
        }
        Payment after = portone.cancel(new CancelRequest(payment.impUid(), amount, payment.balance(), reason, refundAccount));
        BigDecimal refunded = amount == null ? payment.balance() : amount;
        String detail = "refund by the shop: " + reason + (payment.impUid().equals(order.impUid()) ? ""
                : " (not the order's own payment, " + (order.impUid() == null ? "which has none"
                        : "which is " + order.impUid()) + ")");
        // the amount is what this refund gave back, not the payment's
        jdbi.useHandle(handle -> handle.attach(HistoryDao.class).insert(HistoryEntry.of(after.impUid(), order.merchantUid(),
                Source.ADMIN, "refunded", detail, clock.instant())
                .reported(after.rawStatus(), refunded, after.currency()).expected(order)));
        log.warn("admin refund imp_uid={} merchant_uid={} amount={} reason={}", after.impUid(), order.merchantUid(),
                refunded, reason);
        return sync.apply(after, Source.ADMIN);
    }
}
