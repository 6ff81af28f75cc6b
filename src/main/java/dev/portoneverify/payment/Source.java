package dev.portoneverify.payment;

import java.util.Locale;

/** Who reported a payment. Every report goes through the same {@link PaymentSync#sync}. */
public enum Source {
    BROWSER,
    WEBHOOK,
    RECONCILIATION;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
