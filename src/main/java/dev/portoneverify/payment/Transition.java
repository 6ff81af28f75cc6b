package dev.portoneverify.payment;

/** The change a {@link Decision} makes to its order; NONE for every repeat of an already applied report. */
public enum Transition {
    NONE,
    TO_PAID,
    TO_AWAITING_DEPOSIT,
    /** Part of the bound payment was refunded (or the payment that binds the order already was). */
    TO_PARTIALLY_REFUNDED,
    TO_CANCELLED,
    /** The bound virtual account failed: the order is payable again. */
    REOPENED
}
