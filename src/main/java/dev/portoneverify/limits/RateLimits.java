package dev.portoneverify.limits;

/**
 * Per-source limits on what costs a PortOne call or storage without being a real payment, each
 * in requests per minute per source address; 0 turns one off. See docs/design.md, "Security and limits".
 *
 * @param unknownReportsPerMinute browser reports and webhooks of payments PortOne does not know
 * @param ordersPerMinute         {@code POST /orders} (each may be a PortOne pre-registration) and {@code POST /users}
 * @param healthPerMinute         {@code GET /health}
 * @param trustForwardedFor       the source is the last {@code X-Forwarded-For} address (the one the
 *                                shop's reverse proxy appended), not the socket's
 */
public record RateLimits(int unknownReportsPerMinute, int ordersPerMinute, int healthPerMinute,
                         boolean trustForwardedFor) {
    public static final int DEFAULT_UNKNOWN_REPORTS = 120;
    public static final int DEFAULT_ORDERS = 6_000;
    public static final int DEFAULT_HEALTH = 120;

    public static RateLimits defaults() {
        return new RateLimits(DEFAULT_UNKNOWN_REPORTS, DEFAULT_ORDERS, DEFAULT_HEALTH, false);
    }
}
