package dev.portoneverify.order;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where an order stands; stored and shown in lower case ({@code "awaiting_deposit"}). */
public enum OrderStatus {
    PENDING,
    AWAITING_DEPOSIT,
    PAID,
    CANCELLED;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static OrderStatus fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
