package dev.portoneverify.admin;

import java.math.BigDecimal;
import java.time.Instant;

/** A row of the payments table: PortOne's latest word on one payment of ours, and its refund state. */
public record PaymentRow(
        String impUid,
        String merchantUid,
        String status,
        BigDecimal amount,
        BigDecimal cancelAmount,
        String currency,
        String payMethod,
        boolean sandbox,
        Instant paidAt,
        Instant vbankDue,
        String refundState,
        Instant firstSeenAt,
        Instant updatedAt) {}
