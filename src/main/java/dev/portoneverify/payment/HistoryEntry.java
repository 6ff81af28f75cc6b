package dev.portoneverify.payment;

import java.math.BigDecimal;
import java.time.Instant;

/** One row of the payment history: a verification or refund attempt and what came of it. */
public record HistoryEntry(
        long id,
        String impUid,
        String merchantUid,
        String source,
        String portoneStatus,
        BigDecimal portoneAmount,
        String portoneCurrency,
        BigDecimal expectedAmount,
        String expectedCurrency,
        String outcome,
        boolean orderChanged,
        String detail,
        Instant createdAt) {}
