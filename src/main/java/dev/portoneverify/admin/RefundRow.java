package dev.portoneverify.admin;

import java.math.BigDecimal;
import java.time.Instant;

/** A refund the shop should know about, with the reason its latest history row gives. */
public record RefundRow(
        String impUid,
        String merchantUid,
        String status,
        BigDecimal amount,
        BigDecimal cancelAmount,
        String currency,
        String payMethod,
        String refundState,
        Instant refundRequestedAt,
        Instant updatedAt,
        String reason) {}
