package dev.portoneverify.payment;

import java.util.Locale;

/** Who reported a payment. Every report goes through the same {@link PaymentSync#sync}. */
public enum Source {
    BROWSER,
    WEBHOOK,
    RECONCILIATION,
    /** PortOne's Confirm Process call, before approval. */
    CONFIRM,
    /** The shop, through the admin API (re-sync, refund). */
    ADMIN;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
