package dev.portoneverify.payment;

import java.util.Locale;

/** Who reported a payment. Every report goes through the same {@link PaymentSync#sync}. */
public enum Source {
    BROWSER,
    WEBHOOK,
    RECONCILIATION,
    /** PortOne's Confirm Process call, before approval. */
    CONFIRM;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
