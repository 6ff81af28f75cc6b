package dev.portoneverify.payment;

import dev.portoneverify.order.Order;
import dev.portoneverify.portone.Payment;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * One row of the payment history: a verification or refund attempt and what came of it.
 *
 * <p>A new row starts from {@link #of} (who, about what, what came of it) and adds what is known:
 * PortOne's word on the payment ({@link #reported}), the order's amount ({@link #expected}), whether
 * the order changed ({@link #changingOrder}). {@code id} is 0 until the database assigns it.
 */
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
        Instant createdAt) {

    /** A row with neither PortOne's figures nor the order's, that changed no order. */
    public static HistoryEntry of(String impUid, String merchantUid, Source source, String outcome, String detail,
                                  Instant createdAt) {
        return new HistoryEntry(0, impUid, merchantUid, source.wire(), null, null, null, null, null, outcome, false,
                detail, createdAt);
    }

    /** With PortOne's status, amount and currency of the payment. */
    public HistoryEntry reported(Payment payment) {
        return reported(payment.rawStatus(), payment.amount(), payment.currency());
    }

    /** With the status, amount and currency PortOne sent; a call that carries no status has null. */
    public HistoryEntry reported(String status, BigDecimal amount, String currency) {
        return new HistoryEntry(id, impUid, merchantUid, source, status, amount, currency, expectedAmount,
                expectedCurrency, outcome, orderChanged, detail, createdAt);
    }

    /** With the order's amount and currency; unchanged for no order (null). */
    public HistoryEntry expected(Order order) {
        return order == null ? this : new HistoryEntry(id, impUid, merchantUid, source, portoneStatus, portoneAmount,
                portoneCurrency, order.amount(), order.currency(), outcome, orderChanged, detail, createdAt);
    }

    public HistoryEntry changingOrder(boolean changed) {
        return new HistoryEntry(id, impUid, merchantUid, source, portoneStatus, portoneAmount, portoneCurrency,
                expectedAmount, expectedCurrency, outcome, changed, detail, createdAt);
    }
}
