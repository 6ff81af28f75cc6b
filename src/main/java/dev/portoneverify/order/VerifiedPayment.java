package dev.portoneverify.order;

import java.math.BigDecimal;
import java.time.Instant;

/** What an order shows of the PortOne payment it is bound to. */
public record VerifiedPayment(
        String impUid,
        String status,
        String payMethod,
        BigDecimal amount,
        BigDecimal cancelAmount,
        String currency,
        Instant paidAt) {}
