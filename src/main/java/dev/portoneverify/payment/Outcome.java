package dev.portoneverify.payment;

/**
 * What {@link PaymentSync#sync} tells its caller. {@code merchantUid} is the payment's own order
 * id as PortOne reports it (null when PortOne knows no such payment).
 */
public record Outcome(Verdict verdict, String impUid, String merchantUid, Refund refund, String failReason) {

    public enum Refund {
        /** No refund was due, or another report of the same payment already handled it. */
        NONE,
        REFUNDED,
        /** Due, but PortOne did not carry it out; the next report of this payment tries again. */
        FAILED
    }
}
