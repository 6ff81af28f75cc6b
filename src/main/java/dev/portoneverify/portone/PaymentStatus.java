package dev.portoneverify.portone;

/**
 * The V1 {@code status} of a payment. Only {@code PAID} means money arrived; a partially refunded
 * payment is also {@code CANCELLED}, so judge refunds by {@link Payment#fullyCancelled()}.
 */
public enum PaymentStatus {
    READY, PAID, CANCELLED, FAILED,
    /** A value this code does not know; kept apart so a new PortOne status is never mistaken for paid. */
    UNRECOGNIZED;

    public static PaymentStatus fromWire(String s) {
        if (s == null) {
            return UNRECOGNIZED;
        }
        switch (s) {
            case "ready": return READY;
            case "paid": return PAID;
            case "cancelled": return CANCELLED;
            case "failed": return FAILED;
            default: return UNRECOGNIZED;
        }
    }
}
