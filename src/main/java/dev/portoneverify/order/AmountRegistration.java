package dev.portoneverify.order;

import java.math.BigDecimal;

/**
 * Tells PortOne the amount an order must be paid with before the buyer pays (PortOne's
 * {@code POST /payments/prepare}), so a tampered amount is refused before anyone is charged.
 * Throws {@link AmountRegistrationFailedException} when PortOne did not take it.
 */
@FunctionalInterface
public interface AmountRegistration {
    AmountRegistration OFF = (merchantUid, amount, currency) -> { };

    void register(String merchantUid, BigDecimal amount, String currency);
}
