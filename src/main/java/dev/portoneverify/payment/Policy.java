package dev.portoneverify.payment;

/** The shop's choices that change verification: see PORTONE_ALLOW_TEST_PAYMENTS and AUTO_CANCEL_FORGERIES. */
public record Policy(boolean allowTestPayments, boolean autoCancelForgeries) {}
