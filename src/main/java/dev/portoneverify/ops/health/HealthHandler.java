package dev.portoneverify.ops.health;

import dev.portoneverify.ops.metrics.Metrics;
import dev.portoneverify.portone.PortOneClient;
import dev.portoneverify.portone.PortOneException;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/**
 * {@code GET /health}: live (the process answers) and ready (the database answers, and PortOne
 * accepts our credentials, proven with the cached token so a probe costs no PortOne request).
 * 200 when ready, 503 when not, so a load balancer can take the instance out.
 * {@code GET /metrics}: Prometheus text format.
 */
public final class HealthHandler {
    private final Jdbi jdbi;
    private final PortOneClient portone;
    private final Metrics metrics;
    /** When a write last failed for want of space or I/O; a plain SELECT still works on a full disk. */
    private volatile long storageFailedAt = Long.MIN_VALUE;
    private static final long STORAGE_FAILURE_SHOWN_NANOS = 60_000_000_000L;

    /** @param portone V1's client, null when V1 is off */
    public HealthHandler(Jdbi jdbi, PortOneClient portone, Metrics metrics) {
        this.jdbi = jdbi;
        this.portone = portone;
        this.metrics = metrics;
    }

    public void health(Context ctx) {
        Map<String, String> checks = new LinkedHashMap<>();
        checks.put("database", database());
        checks.put("portone", portone());
        boolean ready = checks.values().stream().allMatch("ok"::equals);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", ready ? "ok" : "not_ready");
        body.put("live", true);
        body.put("ready", ready);
        body.put("checks", checks);
        ctx.status(ready ? 200 : 503).json(body);
    }

    public void metrics(Context ctx) {
        ctx.contentType(metrics.contentType()).result(metrics.scrape());
    }

    /** A write failed because the disk is full or the file cannot be written: not ready for a minute. */
    public void storageFailed() {
        storageFailedAt = System.nanoTime();
    }

    private String database() {
        if (storageFailedAt != Long.MIN_VALUE && System.nanoTime() - storageFailedAt < STORAGE_FAILURE_SHOWN_NANOS) {
            return "cannot_store";
        }
        try {
            jdbi.withHandle(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one());
            return "ok";
        } catch (JdbiException e) {
            return "unavailable";
        }
    }

    private String portone() {
        if (portone == null) {
            // V2 alone: its secret is sent with every call, so there is no token to prove it with for free
            return "ok";
        }
        try {
            portone.checkCredentials();
            return "ok";
        } catch (PortOneException e) {
            // the metrics' result word tells an operator enough; the message stays in the log
            return Metrics.resultOf(e);
        }
    }
}
