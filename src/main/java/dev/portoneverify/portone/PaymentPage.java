package dev.portoneverify.portone;

import java.util.List;

/**
 * One page of {@code GET /payments/status/{status}}: {@code total} payments match in all, and
 * {@code previous}/{@code next} are the neighbouring page numbers, 0 where there is none.
 */
public record PaymentPage(long total, int previous, int next, List<Payment> list) {}
