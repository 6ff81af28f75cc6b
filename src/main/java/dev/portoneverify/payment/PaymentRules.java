package dev.portoneverify.payment;

import dev.portoneverify.order.Order;
import dev.portoneverify.order.OrderStatus;
import dev.portoneverify.portone.Payment;
import java.time.Instant;

/**
 * The verification rules, as one pure function of the order as stored and the payment as PortOne
 * reports it. No I/O happens here, so every rule can be read in one place and tested directly.
 *
 * <p>An order is bound to at most one payment ({@code order.impUid()}): a virtual account awaiting
 * deposit, or the payment that paid it. Money that arrives for an order that cannot take it is
 * refunded (when the policy allows), never kept silently.
 */
public final class PaymentRules {
    private PaymentRules() {}

    /** {@code now} only decides whether a virtual account's deposit deadline has passed. */
    public static Decision decide(Order order, Payment payment, Policy policy, Instant now) {
        if (order == null) {
            return Decision.of(Verdict.UNKNOWN_ORDER, "PortOne's merchant_uid " + payment.merchantUid() + " is not an order of ours");
        }
        if (payment.sandbox() && !policy.allowTestPayments()) {
            return Decision.of(Verdict.TEST_PAYMENT, "test-channel payment refused: PORTONE_ALLOW_TEST_PAYMENTS is off");
        }
        boolean bound = payment.impUid().equals(order.impUid());
        return switch (payment.status()) {
            case PAID -> paid(order, payment, bound, policy);
            case READY -> ready(order, payment, bound, now);
            case FAILED -> failed(order, payment, bound);
            case CANCELLED -> cancelled(order, payment, bound, policy);
            case UNRECOGNIZED -> Decision.of(Verdict.NOT_PAID,
                    "unrecognized PortOne status '" + payment.rawStatus() + "': not treated as paid");
        };
    }

    private static Decision paid(Order order, Payment payment, boolean bound, Policy policy) {
        if (!sameMoney(order, payment)) {
            return refundable(Verdict.FORGERY, payment, policy, mismatch(order, payment));
        }
        if (bound && order.status() == OrderStatus.PAID) {
            return Decision.of(Verdict.PAID, "already applied");
        }
        return switch (order.status()) {
            case PENDING, AWAITING_DEPOSIT -> Decision.change(Verdict.PAID, Transition.TO_PAID,
                    "paid " + money(payment));
            case PAID -> refundable(Verdict.PAID_BY_OTHER, payment, policy,
                    "order already paid by " + order.impUid());
            case CANCELLED -> bound
                    ? Decision.of(Verdict.ORDER_CLOSED, "order was cancelled")
                    : refundable(Verdict.ORDER_CLOSED, payment, policy, "order was cancelled before this payment");
        };
    }

    private static Decision ready(Order order, Payment payment, boolean bound, Instant now) {
        if (payment.vbank() == null) {
            return Decision.of(Verdict.NOT_PAID, "ready without a virtual account: the payment was not completed");
        }
        Instant deadline = payment.vbank().date();
        if (deadline != null && !now.isBefore(deadline)) {
            // PortOne keeps an unpaid account "ready" after its deadline; the buyer can no longer pay into it
            return bound && order.status() == OrderStatus.AWAITING_DEPOSIT
                    ? Decision.change(Verdict.NOT_PAID, Transition.REOPENED,
                            "virtual account expired at " + deadline + " without deposit; order is payable again")
                    : Decision.of(Verdict.NOT_PAID, "virtual account expired at " + deadline + " without deposit");
        }
        if (!sameMoney(order, payment)) {
            return Decision.of(Verdict.FORGERY, mismatch(order, payment) + "; virtual account not accepted, nothing was paid");
        }
        if (bound) {
            return order.status() == OrderStatus.AWAITING_DEPOSIT
                    ? Decision.of(Verdict.VBANK_ISSUED, "already applied")
                    : Decision.of(verdictFor(order.status()), "stale report: order is " + order.status().wire());
        }
        return switch (order.status()) {
            case PENDING, AWAITING_DEPOSIT -> Decision.change(Verdict.VBANK_ISSUED, Transition.TO_AWAITING_DEPOSIT,
                    "virtual account " + payment.vbank().name() + " issued, deposit due " + payment.vbank().date());
            case PAID -> Decision.of(Verdict.PAID_BY_OTHER, "order already paid by " + order.impUid() + "; nothing was paid");
            case CANCELLED -> Decision.of(Verdict.ORDER_CLOSED, "order was cancelled; nothing was paid");
        };
    }

    private static Decision failed(Order order, Payment payment, boolean bound) {
        String reason = "PortOne reports failed: " + payment.failReason();
        if (bound && order.status() == OrderStatus.AWAITING_DEPOSIT) {
            return Decision.change(Verdict.FAILED, Transition.REOPENED, reason + "; order is payable again");
        }
        return Decision.of(Verdict.FAILED, reason);
    }

    private static Decision cancelled(Order order, Payment payment, boolean bound, Policy policy) {
        if (!bound && !sameMoney(order, payment)) {
            // a forgery that was already refunded (by us, on an earlier report) is still a forgery
            // to whoever reports it now; whatever is left of it is refunded too
            return refundable(Verdict.FORGERY, payment, policy, mismatch(order, payment));
        }
        if (!bound) {
            // e.g. a duplicate we refunded, reported again: the answer stays what it was
            return switch (order.status()) {
                case PAID -> refundable(Verdict.PAID_BY_OTHER, payment, policy, "order already paid by " + order.impUid());
                case CANCELLED -> refundable(Verdict.ORDER_CLOSED, payment, policy, "order was cancelled");
                case PENDING, AWAITING_DEPOSIT -> Decision.of(Verdict.CANCELLED,
                        "cancelled payment is not the order's; order unchanged");
            };
        }
        return switch (order.status()) {
            // a virtual account revoked before any deposit: no money moved, so no amounts to compare
            case AWAITING_DEPOSIT -> Decision.change(Verdict.CANCELLED, Transition.TO_CANCELLED, "virtual account cancelled");
            case PAID -> payment.fullyCancelled()
                    ? Decision.change(Verdict.CANCELLED, Transition.TO_CANCELLED, "fully cancelled " + money(payment))
                    : Decision.of(Verdict.PARTIALLY_CANCELLED,
                            "partly cancelled: " + payment.cancelAmount().toPlainString() + " of " + money(payment));
            case PENDING, CANCELLED -> Decision.of(Verdict.CANCELLED, "already applied");
        };
    }

    /** Money arrived that the order cannot take: refund it when the shop lets us. */
    private static Decision refundable(Verdict verdict, Payment payment, Policy policy, String detail) {
        boolean moneyLeft = payment.balance().signum() > 0;
        boolean refund = policy.autoCancelForgeries() && moneyLeft;
        String note = !moneyLeft ? "; nothing left to refund"
                : refund ? "; refund due: " + payment.balance().toPlainString() + " " + payment.currency()
                : "; not refunded: AUTO_CANCEL_FORGERIES is off";
        return new Decision(verdict, Transition.NONE, refund, detail + note);
    }

    /** Exact: compareTo ignores scale (15000 == 15000.00); the currency must match too. */
    private static boolean sameMoney(Order order, Payment payment) {
        return payment.amount().compareTo(order.amount()) == 0 && order.currency().equals(payment.currency());
    }

    private static Verdict verdictFor(OrderStatus status) {
        return switch (status) {
            case PENDING -> Verdict.NOT_PAID;
            case AWAITING_DEPOSIT -> Verdict.VBANK_ISSUED;
            case PAID -> Verdict.PAID;
            case CANCELLED -> Verdict.CANCELLED;
        };
    }

    private static String mismatch(Order order, Payment payment) {
        return "expected " + order.amount().toPlainString() + " " + order.currency() + ", PortOne reports " + money(payment);
    }

    private static String money(Payment payment) {
        return payment.amount().toPlainString() + " " + payment.currency();
    }
}
