package dev.portoneverify.order;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * An order as the API shows it; {@code payment} is null until a payment is bound to it.
 * {@code refundedAmount} is how much of the bound payment was refunded (its {@code cancel_amount};
 * 0 when nothing was, or when nothing was ever paid, as for a revoked virtual account).
 */
public record OrderView(
        String merchantUid,
        long userId,
        String name,
        BigDecimal amount,
        String currency,
        OrderStatus status,
        BigDecimal refundedAmount,
        VerifiedPayment payment,
        Instant createdAt,
        Instant updatedAt) {

    static OrderView of(Order order, VerifiedPayment payment) {
        return new OrderView(order.merchantUid(), order.userId(), order.name(), order.amount(), order.currency(),
                order.status(), refunded(payment), payment, order.createdAt(), order.updatedAt());
    }

    private static BigDecimal refunded(VerifiedPayment payment) {
        boolean revokedAccount = payment != null && "vbank".equals(payment.payMethod()) && payment.paidAt() == null;
        return payment == null || revokedAccount ? BigDecimal.ZERO : payment.cancelAmount();
    }
}
