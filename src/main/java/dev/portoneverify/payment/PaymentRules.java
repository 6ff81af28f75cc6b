package dev.portoneverify.payment;

import dev.portoneverify.order.Order;
import dev.portoneverify.order.OrderStatus;
import dev.portoneverify.portone.Payment;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;

/**
 * The verification rules, as one pure function of the order as stored and the payment as PortOne
 * reports it. No I/O happens here, so every rule can be read in one place and tested directly.
 *
 * <p>An order is bound to at most one payment ({@code order.impUid()}): a virtual account awaiting
 * deposit, or the payment that paid it. Money that arrives for an order that cannot take it is
 * refunded (when the policy allows), never kept silently.
 *
 * <p>Money is judged by amounts, never by {@code status} alone: PortOne reports a partial refund as
 * {@code cancelled} with a balance left, and a payment can be {@code paid} with most of it already
 * refunded. What the shop holds is the balance, {@code amount - cancel_amount}: an order is paid only
 * while its bound payment's balance is the order's amount, cancelled when it is zero, and partly
 * refunded in between.
 *
 * <p>Money matches when the amounts are equal by {@code compareTo} (15000 is 15000.00) and the
 * currencies are the same ISO 4217 code, compared exactly: PortOne sends upper-case codes, orders store
 * theirs upper-cased ({@code OrderHandler}), and any other input is upper-cased where it is read.
 */
public final class PaymentRules {
    private PaymentRules() {}

    /** How much of an order's payment the shop still holds. */
    private enum Held { ALL, PART, NONE }

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
            case PAID, CANCELLED -> moneyArrived(order, payment, bound)
                    ? withMoney(order, payment, bound, policy)
                    : revoked(order, bound);
            case READY -> ready(order, payment, bound, now);
            case FAILED -> failed(order, payment, bound);
            case UNRECOGNIZED -> Decision.of(Verdict.NOT_PAID,
                    "unrecognized PortOne status '" + payment.rawStatus() + "': not treated as paid");
        };
    }

    /** Why Confirm Process may not let PortOne approve a payment; {@code reason} is shown to the buyer. */
    public record Refusal(Verdict verdict, String reason) {}

    /**
     * Confirm Process, just before PortOne approves a payment: empty when it may, that is when the order
     * exists, is still payable, and the money is the order's exactly. {@code currency} null: the call
     * named none, and only the amount is compared.
     */
    public static Optional<Refusal> refuseApproval(Order order, BigDecimal amount, String currency) {
        if (order == null) {
            return refusal(Verdict.UNKNOWN_ORDER, "주문을 찾을 수 없습니다 (unknown order)");
        }
        if (order.status() != OrderStatus.PENDING && order.status() != OrderStatus.AWAITING_DEPOSIT) {
            return refusal(order.status() == OrderStatus.CANCELLED ? Verdict.ORDER_CLOSED : Verdict.PAID_BY_OTHER,
                    "결제할 수 없는 주문입니다 (order is " + order.status().wire() + ")");
        }
        if (!sameAmount(order, amount)) {
            // the order's amount only: what was sent is never repeated (issue 15)
            return refusal(Verdict.FORGERY, "결제 금액이 주문 금액과 다릅니다 (order " + order.amount().toPlainString()
                    + " " + order.currency() + ")");
        }
        if (currency != null && !sameCurrency(order, currency)) {
            return refusal(Verdict.FORGERY, "결제 통화가 주문 통화와 다릅니다 (order " + order.currency() + ")");
        }
        return Optional.empty();
    }

    private static Optional<Refusal> refusal(Verdict verdict, String reason) {
        return Optional.of(new Refusal(verdict, reason));
    }

    /**
     * A deposited virtual account is refunded by bank transfer to an account the buyer names, so
     * no refund of it can be made without the shop (PortOne refuses one without {@code refund_*}).
     */
    public static boolean refundNeedsAccount(Payment payment) {
        return "vbank".equals(payment.payMethod());
    }

    /**
     * Whether money ever arrived: a {@code cancelled} virtual account that was never paid (PortOne leaves
     * its {@code paid_at} 0) was revoked before any deposit. Every other paid or cancelled payment had
     * money, and so had one we saw paid (it is bound to a paid order).
     */
    public static boolean moneyArrived(Payment payment) {
        return switch (payment.status()) {
            case PAID -> true;
            case CANCELLED -> !(refundNeedsAccount(payment) && payment.paidAt() == null);
            case READY, FAILED, UNRECOGNIZED -> false;
        };
    }

    private static boolean moneyArrived(Order order, Payment payment, boolean bound) {
        return moneyArrived(payment)
                || bound && (order.status() == OrderStatus.PAID || order.status() == OrderStatus.PARTIALLY_REFUNDED);
    }

    private static Decision withMoney(Order order, Payment payment, boolean bound, Policy policy) {
        if (!sameMoney(order, payment)) {
            Decision forgery = refundable(Verdict.FORGERY, payment, policy, mismatch(order, payment));
            // a bound account whose amount was changed before the deposit: the order may be paid again
            return bound && order.status() == OrderStatus.AWAITING_DEPOSIT ? forgery.moving(Transition.REOPENED) : forgery;
        }
        Held held = held(order, payment);
        if (bound && order.status() != OrderStatus.PENDING) {
            return boundWithMoney(order, payment, held);
        }
        return switch (order.status()) {
            case PENDING, AWAITING_DEPOSIT -> {
                // the account the order waited on is no longer needed: close it, so nobody pays into it
                String previous = order.status() == OrderStatus.AWAITING_DEPOSIT ? order.impUid() : null;
                String closeWhy = "its virtual account " + previous + " is closed at PortOne";
                yield switch (held) {
                    case ALL -> Decision.change(Verdict.PAID, Transition.TO_PAID, "paid " + money(payment))
                            .closing(previous, closeWhy);
                    case PART -> Decision.change(Verdict.PARTIALLY_CANCELLED, Transition.TO_PARTIALLY_REFUNDED,
                            "paid " + money(payment) + ", of which " + refunded(payment)
                                    + " was already refunded at PortOne: " + held(payment) + " held, order partly refunded")
                            .closing(previous, closeWhy);
                    case NONE -> Decision.of(Verdict.CANCELLED, "paid " + money(payment)
                            + " and refunded in full at PortOne before it was reported; order unchanged");
                };
            }
            case PAID, PARTIALLY_REFUNDED -> refundable(Verdict.PAID_BY_OTHER, payment, policy,
                    "order already paid by " + order.impUid());
            case CANCELLED -> refundable(Verdict.ORDER_CLOSED, payment, policy, "order was cancelled before this payment");
        };
    }

    /** The order's own payment: its balance says what the order is now. Refunds only ever add up. */
    private static Decision boundWithMoney(Order order, Payment payment, Held held) {
        OrderStatus target = switch (held) {
            case ALL -> OrderStatus.PAID;
            case PART -> OrderStatus.PARTIALLY_REFUNDED;
            case NONE -> OrderStatus.CANCELLED;
        };
        if (order.status() == target) {
            return Decision.of(verdictFor(target), "already applied");
        }
        String partly = "partly refunded: " + refunded(payment) + " of " + money(payment) + ", " + held(payment) + " held";
        return switch (order.status()) {
            case AWAITING_DEPOSIT -> switch (held) {
                case ALL -> Decision.change(Verdict.PAID, Transition.TO_PAID, "deposit of " + money(payment) + " arrived");
                case PART -> Decision.change(Verdict.PARTIALLY_CANCELLED, Transition.TO_PARTIALLY_REFUNDED,
                        "deposit of " + money(payment) + " arrived and was " + partly + " before it was reported");
                case NONE -> Decision.change(Verdict.CANCELLED, Transition.TO_CANCELLED,
                        "deposit of " + money(payment) + " arrived and was refunded in full before it was reported");
            };
            case PAID -> held == Held.PART
                    ? Decision.change(Verdict.PARTIALLY_CANCELLED, Transition.TO_PARTIALLY_REFUNDED, partly)
                    : Decision.change(Verdict.CANCELLED, Transition.TO_CANCELLED, "fully refunded " + money(payment));
            case PARTIALLY_REFUNDED -> held == Held.NONE
                    ? Decision.change(Verdict.CANCELLED, Transition.TO_CANCELLED, "the rest was refunded: fully refunded "
                            + money(payment))
                    // money never comes back after a refund: this report was read before the refund
                    : Decision.of(Verdict.PARTIALLY_CANCELLED, "stale report (balance " + held(payment)
                            + "): the order is already partly refunded");
            case CANCELLED -> Decision.of(Verdict.CANCELLED, "stale report (balance " + held(payment)
                    + "): the order is already cancelled");
            case PENDING -> throw new IllegalStateException("a pending order is bound to no payment");
        };
    }

    /** Cancelled without money ever arriving: a virtual account revoked before any deposit. */
    private static Decision revoked(Order order, boolean bound) {
        if (bound && order.status() == OrderStatus.AWAITING_DEPOSIT) {
            return Decision.change(Verdict.CANCELLED, Transition.TO_CANCELLED, "virtual account revoked before any deposit");
        }
        return Decision.of(Verdict.CANCELLED, "virtual account revoked before any deposit; nothing was paid");
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
        String close = "the account is closed at PortOne so that nobody deposits into it";
        if (!sameMoney(order, payment)) {
            return Decision.of(Verdict.FORGERY, mismatch(order, payment) + "; virtual account not accepted, nothing was paid")
                    .closing(payment.impUid(), close);
        }
        if (bound) {
            return order.status() == OrderStatus.AWAITING_DEPOSIT
                    ? Decision.of(Verdict.VBANK_ISSUED, "already applied")
                    : Decision.of(verdictFor(order.status()), "stale report: order is " + order.status().wire());
        }
        return switch (order.status()) {
            case PENDING, AWAITING_DEPOSIT -> Decision.change(Verdict.VBANK_ISSUED, Transition.TO_AWAITING_DEPOSIT,
                    "virtual account " + payment.vbank().name() + " issued, deposit due " + payment.vbank().date());
            case PAID, PARTIALLY_REFUNDED -> Decision.of(Verdict.PAID_BY_OTHER,
                    "order already paid by " + order.impUid() + "; nothing was paid").closing(payment.impUid(), close);
            case CANCELLED -> Decision.of(Verdict.ORDER_CLOSED, "order was cancelled; nothing was paid")
                    .closing(payment.impUid(), close);
        };
    }

    private static Decision failed(Order order, Payment payment, boolean bound) {
        String reason = "PortOne reports failed: " + payment.failReason();
        if (bound && order.status() == OrderStatus.AWAITING_DEPOSIT) {
            return Decision.change(Verdict.FAILED, Transition.REOPENED, reason + "; order is payable again");
        }
        return Decision.of(Verdict.FAILED, reason);
    }

    /** Money arrived that the order cannot take: refund what is left of it when the shop lets us. */
    private static Decision refundable(Verdict verdict, Payment payment, Policy policy, String detail) {
        if (payment.balance().signum() <= 0) {
            return Decision.of(verdict, detail + "; nothing left to refund");
        }
        if (!policy.autoCancelForgeries()) {
            return Decision.of(verdict, detail + "; not refunded: AUTO_CANCEL_FORGERIES is off");
        }
        if (refundNeedsAccount(payment)) {
            return Decision.refund(verdict, true, detail + "; refund of " + held(payment) + " waits for the shop: a deposited "
                    + "virtual account is refunded only to a bank account the buyer names "
                    + "(POST /admin/payments/" + payment.impUid() + "/refund with refund_holder, refund_bank, refund_account)");
        }
        return Decision.refund(verdict, false, detail + "; refund due: " + held(payment));
    }

    private static Held held(Order order, Payment payment) {
        BigDecimal balance = payment.balance();
        if (balance.signum() <= 0) {
            return Held.NONE;
        }
        return balance.compareTo(order.amount()) >= 0 ? Held.ALL : Held.PART;
    }

    /** Exact, as the class doc says: the amount by compareTo, the currency's code by equals. */
    private static boolean sameMoney(Order order, Payment payment) {
        return sameAmount(order, payment.amount()) && sameCurrency(order, payment.currency());
    }

    private static boolean sameAmount(Order order, BigDecimal amount) {
        return amount.compareTo(order.amount()) == 0;
    }

    private static boolean sameCurrency(Order order, String currency) {
        return order.currency().equals(currency);
    }

    private static Verdict verdictFor(OrderStatus status) {
        return switch (status) {
            case PENDING -> Verdict.NOT_PAID;
            case AWAITING_DEPOSIT -> Verdict.VBANK_ISSUED;
            case PAID -> Verdict.PAID;
            case PARTIALLY_REFUNDED -> Verdict.PARTIALLY_CANCELLED;
            case CANCELLED -> Verdict.CANCELLED;
        };
    }

    private static String mismatch(Order order, Payment payment) {
        return "expected " + order.amount().toPlainString() + " " + order.currency() + ", PortOne reports " + money(payment);
    }

    private static String money(Payment payment) {
        return payment.amount().toPlainString() + " " + payment.currency();
    }

    private static String refunded(Payment payment) {
        return payment.cancelAmount().toPlainString() + " " + payment.currency();
    }

    private static String held(Payment payment) {
        return payment.balance().toPlainString() + " " + payment.currency();
    }
}
