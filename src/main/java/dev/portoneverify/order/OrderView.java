package dev.portoneverify.order;

import java.math.BigDecimal;
import java.time.Instant;

/** An order as the API shows it; {@code payment} is null until a payment is bound to it. */
public record OrderView(
        String merchantUid,
        long userId,
        String name,
        BigDecimal amount,
        String currency,
        OrderStatus status,
        VerifiedPayment payment,
        Instant createdAt,
        Instant updatedAt) {

    static OrderView of(Order order, VerifiedPayment payment) {
        return new OrderView(order.merchantUid(), order.userId(), order.name(), order.amount(), order.currency(),
                order.status(), payment, order.createdAt(), order.updatedAt());
    }
}
