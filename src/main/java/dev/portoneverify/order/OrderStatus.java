package dev.portoneverify.order;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where an order stands; stored and shown in lower case ({@code "awaiting_deposit"}). */
public enum OrderStatus {
    PENDING,
    AWAITING_DEPOSIT,
    /** Paid in full: the bound payment's balance (amount - cancel_amount) is the order's amount. */
    PAID,
    /** Part of the bound payment was refunded; some of it is still held. */
    PARTIALLY_REFUNDED,
    /** Closed: refunded in full, or its virtual account was revoked before any deposit. */
    CANCELLED;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static OrderStatus fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
