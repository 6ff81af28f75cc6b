package dev.portoneverify.limits;

import dev.portoneverify.web.ApiException;
import dev.portoneverify.web.RequestLog;
import io.javalin.http.Context;
import java.util.Set;

/**
 * The before- and after-filters that apply {@link RateLimits}; a refused request is answered
 * {@code 429 rate_limited} with {@code Retry-After} before it costs anything.
 *
 * <p>Reports are charged only when they turn out to name no payment at all, so a real payment never
 * uses the allowance, however many arrive: a flash sale of 1,000 buyers behind one proxy address
 * passes untouched. Such a report is let in while its source has allowance left.
 */
public final class RateLimiter {
    /**
     * The answer that means a report named a payment PortOne does not know: anyone can make those up.
     * Not "unknown_order": that is a real payment (another shop on the same PortOne account, say),
     * which cost someone real money, and counting it could use up PortOne's own allowance for webhooks.
     */
    private static final Set<String> UNKNOWN = Set.of("unknown_payment");

    private final RateLimits limits;
    private final TokenBuckets unknownReports;
    private final TokenBuckets orders;
    private final TokenBuckets health;

    public RateLimiter(RateLimits limits) {
        this.limits = limits;
        this.unknownReports = limits.unknownReportsPerMinute() > 0 ? new TokenBuckets(limits.unknownReportsPerMinute()) : null;
        this.orders = limits.ordersPerMinute() > 0 ? new TokenBuckets(limits.ordersPerMinute()) : null;
        this.health = limits.healthPerMinute() > 0 ? new TokenBuckets(limits.healthPerMinute()) : null;
    }

    /** Before a browser report or a webhook: refused while its source has used up its allowance. */
    public void admitReport(Context ctx) {
        if (unknownReports != null) {
            refuseIfWaiting(ctx, unknownReports.peek(source(ctx)), "reports of unknown payments");
        }
    }

    /** After a browser report or a webhook: charges the source if PortOne knew no such payment. */
    public void chargeReport(Context ctx) {
        Object verdict = ctx.attribute(RequestLog.VERDICT);
        if (unknownReports != null && verdict != null && UNKNOWN.contains(verdict.toString())) {
            unknownReports.take(source(ctx));
        }
    }

    /** Before {@code POST /orders} and {@code POST /users}. */
    public void admitCreation(Context ctx) {
        if (orders != null && ctx.method().name().equals("POST")) {
            refuseIfWaiting(ctx, orders.take(source(ctx)), "orders and buyers created");
        }
    }

    /** Before {@code GET /health}. */
    public void admitHealth(Context ctx) {
        if (health != null) {
            refuseIfWaiting(ctx, health.take(source(ctx)), "health probes");
        }
    }

    private static void refuseIfWaiting(Context ctx, long waitSeconds, String what) {
        if (waitSeconds > 0) {
            ctx.header("Retry-After", Long.toString(waitSeconds));
            throw new ApiException(429, "rate_limited", "too many " + what + " from this address; try again in "
                    + waitSeconds + " s");
        }
    }

    /** The socket's address, or behind the shop's reverse proxy the address that proxy appended. */
    private String source(Context ctx) {
        if (limits.trustForwardedFor()) {
            String forwarded = ctx.header("X-Forwarded-For");
            if (forwarded != null && !forwarded.isBlank()) {
                String[] hops = forwarded.split(",");
                String last = hops[hops.length - 1].trim();
                // bounded: the key is kept in memory
                return last.length() > 64 ? last.substring(0, 64) : last;
            }
        }
        return ctx.req().getRemoteAddr();
    }
}
