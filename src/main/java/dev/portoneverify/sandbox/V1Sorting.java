package dev.portoneverify.sandbox;

import java.util.Comparator;
import java.util.function.ToLongFunction;

/**
 * The {@code sorting} query parameter of the V1 lookups (OpenAPI: {@code -started} by default; a leading
 * {@code -} means descending). Payments with the same time keep their creation order, reversed with it.
 */
enum V1Sorting {
    STARTED_DESC("-started", p -> p.startedAt),
    STARTED("started", p -> p.startedAt),
    PAID_DESC("-paid", p -> p.paidAt),
    PAID("paid", p -> p.paidAt),
    UPDATED_DESC("-updated", p -> p.updatedAt),
    UPDATED("updated", p -> p.updatedAt);

    private final String wire;
    private final Comparator<SimulatedPayment> order;

    V1Sorting(String wire, ToLongFunction<SimulatedPayment> time) {
        this.wire = wire;
        Comparator<SimulatedPayment> ascending = Comparator.comparingLong(time).thenComparingLong(p -> p.sequence);
        this.order = wire.startsWith("-") ? ascending.reversed() : ascending;
    }

    /** @throws V1Error 400 for a value the OpenAPI's enum does not list */
    static V1Sorting fromQuery(String value) {
        if (value == null || value.isEmpty()) {
            return STARTED_DESC;
        }
        for (V1Sorting s : values()) {
            if (s.wire.equals(value)) {
                return s;
            }
        }
        throw V1Error.badRequest("sorting 은 -started, started, -paid, paid, -updated, updated 중 하나여야 합니다.");
    }

    Comparator<SimulatedPayment> order() {
        return order;
    }
}
