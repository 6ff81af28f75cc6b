package dev.portoneverify.web;

import java.time.Duration;

/**
 * How long and how slowly a client may take, and how many may be connected at once (issue 15).
 *
 * @param idleTimeout       a connection with no bytes either way for this long is closed
 * @param bodyTimeout       a request body must be complete within this time of its headers
 * @param minBodyRate       bytes per second a body must arrive at, judged after two seconds
 * @param maxConnections    open connections beyond this are answered 503 and closed
 */
public record HttpLimits(Duration idleTimeout, Duration bodyTimeout, int minBodyRate, int maxConnections) {
    public static final int DEFAULT_IDLE_TIMEOUT_MS = 30_000;
    public static final int DEFAULT_BODY_TIMEOUT_MS = 10_000;
    public static final int DEFAULT_MIN_BODY_RATE = 256;
    public static final int DEFAULT_MAX_CONNECTIONS = 4_000;

    public static HttpLimits defaults() {
        return new HttpLimits(Duration.ofMillis(DEFAULT_IDLE_TIMEOUT_MS), Duration.ofMillis(DEFAULT_BODY_TIMEOUT_MS),
                DEFAULT_MIN_BODY_RATE, DEFAULT_MAX_CONNECTIONS);
    }
}
