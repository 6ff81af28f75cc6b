package dev.portoneverify.payment;

/** The change a decision makes to its order; NONE for every repeat of an already applied report. */
public enum Transition {
    NONE,
    TO_PAID,
    TO_AWAITING_DEPOSIT,
    TO_CANCELLED,
    /** The bound virtual account failed: the order is payable again. */
    REOPENED
}
