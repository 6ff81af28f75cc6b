package dev.portoneverify.order;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * What an order shows of the PortOne payment it is bound to: {@code portoneVersion} {@code v1} with its
 * {@code impUid}, or {@code v2} with its {@code paymentId}.
 */
public record VerifiedPayment(
        String portoneVersion,
        String impUid,
        String paymentId,
        String status,
        String payMethod,
        BigDecimal amount,
        BigDecimal cancelAmount,
        String currency,
        Instant paidAt) {}
