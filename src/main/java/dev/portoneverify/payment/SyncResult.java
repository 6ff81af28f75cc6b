package dev.portoneverify.payment;

/**
 * Step 3 of a payment, what {@link PaymentSync} tells its caller once the decision is applied and
 * committed (and a due refund made): the {@link Verdict} and what came of it. Handlers turn it into an
 * {@link HttpAnswer}; the reconciler and the admin API read it directly. {@code merchantUid} is the payment's own order
 * id as PortOne reports it (null when PortOne knows no such payment); {@code orderChanged} says
 * whether this report moved the order to another state.
 */
public record SyncResult(Verdict verdict, String impUid, String merchantUid, Refund refund, String failReason,
                      boolean orderChanged) {

    public enum Refund {
        /** No refund was due, or another report of the same payment already handled it. */
        NONE,
        REFUNDED,
        /** Due, but PortOne did not carry it out; the next report of this payment tries again. */
        FAILED,
        /** Due, but only the shop can make it: a deposited virtual account needs the buyer's bank account. */
        WAITING
    }
}
