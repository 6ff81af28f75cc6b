package dev.portoneverify.limits;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One token bucket per source: {@code perMinute} tokens at most, refilled evenly over a minute.
 * A burst of a whole minute's worth passes at once (a flash sale starts all at once), then the
 * source gets one request per {@code 60 / perMinute} seconds.
 *
 * <p>Thread-safe. At most {@link #MAX_SOURCES} sources are tracked: past that, full buckets (sources
 * that have been quiet) are forgotten, and if none is, new sources share one bucket, so that a
 * flood of addresses (IPv6 has many) costs bounded memory and is still limited.
 */
final class TokenBuckets {
    static final int MAX_SOURCES = 10_000;
    private static final String OVERFLOW = "*";

    private final int perMinute;
    private final double perNano;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    TokenBuckets(int perMinute) {
        this.perMinute = perMinute;
        this.perNano = perMinute / 60e9;
    }

    private final class Bucket {
        private double tokens = perMinute;
        private long updated = System.nanoTime();

        private void refill(long now) {
            tokens = Math.min(perMinute, tokens + (now - updated) * perNano);
            updated = now;
        }

        /** 0 when a token was taken (or {@code take} is false and one is there), else seconds to wait. */
        synchronized long use(boolean take) {
            refill(System.nanoTime());
            if (tokens >= 1) {
                if (take) {
                    tokens -= 1;
                }
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - tokens) / perNano / 1e9));
        }

        synchronized boolean full() {
            refill(System.nanoTime());
            return tokens >= perMinute;
        }
    }

    /** Takes a token for {@code source}; 0 when it had one, else the seconds until it will. */
    long take(String source) {
        return bucket(source).use(true);
    }

    /** Like {@link #take} without taking: would a request from {@code source} pass now? */
    long peek(String source) {
        return bucket(source).use(false);
    }

    private Bucket bucket(String source) {
        Bucket bucket = buckets.get(source);
        if (bucket != null) {
            return bucket;
        }
        if (buckets.size() >= MAX_SOURCES) {
            buckets.values().removeIf(Bucket::full);
            if (buckets.size() >= MAX_SOURCES) {
                return buckets.computeIfAbsent(OVERFLOW, k -> new Bucket());
            }
        }
        return buckets.computeIfAbsent(source, k -> new Bucket());
    }
}
