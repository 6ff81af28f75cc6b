package dev.portoneverify.order;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * An order as the shop stored it: the amount and currency the buyer must pay, and the PortOne
 * payment ({@code impUid}) it is bound to once one was verified.
 */
public record Order(
        String merchantUid,
        long userId,
        String name,
        BigDecimal amount,
        String currency,
        OrderStatus status,
        String impUid,
        Instant createdAt,
        Instant updatedAt) {}
