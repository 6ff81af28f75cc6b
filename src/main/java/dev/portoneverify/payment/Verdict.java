package dev.portoneverify.payment;

import java.util.Locale;

/**
 * The conclusion of a {@link Decision}: what the rules concluded about one payment, as PortOne reported
 * it, for its order. Carried on into the {@link SyncResult}; {@link #wire()} is the word stored in the
 * history and counted in the metrics.
 */
public enum Verdict {
    /** Paid in full with the order's amount and currency (now, or already before). */
    PAID,
    /** A virtual account for the right amount was issued; the order waits for the deposit. */
    VBANK_ISSUED,
    /** The bound payment was partly refunded; the order stays paid. */
    PARTIALLY_CANCELLED,
    /** Amount or currency differ from the order's. */
    FORGERY,
    /** A test-channel payment while test payments are not allowed. */
    TEST_PAYMENT,
    /** Not (yet) paid: the payment window was opened but not completed, or PortOne reports a status we do not know. */
    NOT_PAID,
    FAILED,
    CANCELLED,
    /** The order is already paid by a different payment. */
    PAID_BY_OTHER,
    /** The order was cancelled; it takes no new payment. */
    ORDER_CLOSED,
    /** PortOne's merchant_uid names no order of ours. */
    UNKNOWN_ORDER,
    /** PortOne knows no payment with this imp_uid. */
    UNKNOWN_PAYMENT;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
