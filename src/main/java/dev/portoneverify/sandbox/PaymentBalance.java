package dev.portoneverify.sandbox;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The answer of {@code GET /payments/{imp_uid}/balance} ({@code PaymentBalanceResponseAnnotation}). PortOne
 * fills it for PAYCO only and documents no rule for splitting an amount, so these are simulator choices:
 * the whole amount is the primary means (card, transfer or account), taxable with VAT 1/11 of it rounded
 * half up at the amount's scale, no tax-free part, service charge, points or discount. {@code primary} is
 * what is still held after cancels ("환불시 마이너스 차감된 최종 금액"), zero before money arrived;
 * {@code histories} holds that balance as it was at the payment and after each cancel.
 */
final class PaymentBalance {
    private static final BigDecimal ELEVEN = BigDecimal.valueOf(11);

    private PaymentBalance() {}

    static Map<String, Object> of(SimulatedPayment p) {
        List<Map<String, Object>> histories = new ArrayList<>();
        BigDecimal held = BigDecimal.ZERO;
        if (p.paidAt != 0) {
            held = p.amount;
            histories.add(entry(held, p.paidAt));
            for (SimulatedPayment.CancelEntry c : p.cancels) {
                held = held.subtract(c.amount());
                histories.add(entry(held, c.cancelledAt()));
            }
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("amount", p.amount);
        answer.put("cash_receipt", breakdown(BigDecimal.ZERO));
        answer.put("primary", breakdown(held));
        answer.put("secondary", breakdown(BigDecimal.ZERO));
        answer.put("discount", breakdown(BigDecimal.ZERO));
        answer.put("histories", histories);
        return answer;
    }

    private static Map<String, Object> entry(BigDecimal held, long created) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("cash_receipt", breakdown(BigDecimal.ZERO));
        e.put("primary", breakdown(held));
        e.put("secondary", breakdown(BigDecimal.ZERO));
        e.put("discount", breakdown(BigDecimal.ZERO));
        e.put("created", created);
        return e;
    }

    /** {@code PaymentBalanceAnnotation}: all four required numbers, summing to {@code total}. */
    private static Map<String, Object> breakdown(BigDecimal total) {
        BigDecimal vat = total.divide(ELEVEN, Math.max(total.scale(), 0), RoundingMode.HALF_UP);
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("tax_free", BigDecimal.ZERO);
        b.put("supply", total.subtract(vat));
        b.put("vat", vat);
        b.put("service", BigDecimal.ZERO);
        return b;
    }
}
