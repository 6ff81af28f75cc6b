package dev.portoneverify.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A closed-loop load generator: {@code clients} platform threads, each with its own keep-alive
 * connection, each sending its next request as soon as the previous one was answered. All threads
 * connect before the clock starts, so the figures are request latencies, not TCP handshakes.
 *
 * <p>Java 17 has no virtual threads; a blocked platform thread costs a stack and nothing else, and
 * 1,000 of them are far cheaper in CPU than an async client's callbacks.
 */
final class Load {
    private Load() {}

    /** One request; {@code expect} (nullable) must occur in the answer's body, after the expected status. */
    record Request(String method, String target, byte[] body, int expectStatus, byte[] expect, String authorization) {
        static Request get(String target) {
            return new Request("GET", target, null, 200, null, null);
        }

        static Request postJson(String target, String json, int expectStatus, String expect) {
            return new Request("POST", target, json.getBytes(java.nio.charset.StandardCharsets.UTF_8), expectStatus,
                    expect == null ? null : expect.getBytes(java.nio.charset.StandardCharsets.UTF_8), null);
        }

        /** With {@code Authorization: <authorization>}, e.g. an order for a buyer, with the buyer's token. */
        Request authorized(String authorization) {
            return new Request(method, target, body, expectStatus, expect, authorization);
        }
    }

    /** Gets each answered request, from the client thread that sent it; must be thread-safe. */
    interface Listener {
        void answered(int index, Http1Connection.Response response);
    }

    /**
     * What one phase measured. {@code latencyNanos} is sorted; {@code errors} counts every request that
     * did not get its expected answer, {@code timeouts} (a subset) those the client gave up on.
     */
    record Result(int requests, long elapsedNanos, long[] latencyNanos, int errors, int timeouts,
                  Map<String, Integer> errorKinds, List<String> errorSamples, long clientCpuNanos) {

        double perSecond() {
            return requests / (elapsedNanos / 1e9);
        }

        double percentileMillis(double p) {
            if (latencyNanos.length == 0) {
                return Double.NaN;
            }
            // nearest-rank: the smallest latency that p percent of requests did not exceed
            int rank = (int) Math.ceil(p / 100.0 * latencyNanos.length);
            return latencyNanos[Math.max(0, Math.min(latencyNanos.length, rank) - 1)] / 1e6;
        }

        double meanMillis() {
            return latencyNanos.length == 0 ? Double.NaN : Arrays.stream(latencyNanos).average().orElseThrow() / 1e6;
        }

        double maxMillis() {
            return latencyNanos.length == 0 ? Double.NaN : latencyNanos[latencyNanos.length - 1] / 1e6;
        }
    }

    /** Sends every request of {@code requests} exactly once, in list order, over {@code clients} connections. */
    static Result each(int port, int clients, List<Request> requests, int timeoutMillis, Listener listener)
            throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        return run(port, clients, timeoutMillis, listener, () -> {
            int i = next.getAndIncrement();
            return i < requests.size() ? i : -1;
        }, i -> requests.get(i));
    }

    /**
     * Sends the requests of {@code requests} at most once each, in list order, and starts none after
     * {@code millis}; the requests in flight then finish (a cold start's first seconds).
     */
    static Result eachFor(int port, int clients, List<Request> requests, long millis, int timeoutMillis)
            throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        AtomicLong deadline = new AtomicLong(Long.MAX_VALUE);
        return run(port, clients, timeoutMillis, null, () -> {
            if (deadline.get() == Long.MAX_VALUE) {
                deadline.compareAndSet(Long.MAX_VALUE, System.nanoTime() + millis * 1_000_000);
            }
            int i = next.getAndIncrement();
            return i < requests.size() && System.nanoTime() < deadline.get() ? i : -1;
        }, requests::get);
    }

    /** Cycles through {@code requests} for {@code millis}, then lets the requests in flight finish. */
    static Result forMillis(int port, int clients, List<Request> requests, long millis, int timeoutMillis)
            throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        AtomicLong deadline = new AtomicLong(Long.MAX_VALUE);
        return run(port, clients, timeoutMillis, null, () -> {
            if (deadline.get() == Long.MAX_VALUE) {
                deadline.compareAndSet(Long.MAX_VALUE, System.nanoTime() + millis * 1_000_000);
            }
            return System.nanoTime() < deadline.get() ? next.getAndIncrement() : -1;
        }, i -> requests.get(Math.floorMod(i, requests.size())));
    }

    private interface Indexes {
        int next();
    }

    private interface Lookup {
        Request at(int index);
    }

    private static Result run(int port, int clients, int timeoutMillis, Listener listener, Indexes indexes,
                              Lookup lookup) throws InterruptedException {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        CountDownLatch connected = new CountDownLatch(clients);
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(clients);
        LongAdder cpu = new LongAdder();
        AtomicInteger errors = new AtomicInteger();
        AtomicInteger timeouts = new AtomicInteger();
        Map<String, Integer> kinds = new ConcurrentHashMap<>();
        List<String> samples = java.util.Collections.synchronizedList(new ArrayList<>());
        long[][] perThread = new long[clients][];
        int[] perThreadCount = new int[clients];
        AtomicLong finishedAt = new AtomicLong();

        for (int t = 0; t < clients; t++) {
            int id = t;
            // 256 KiB stacks: a client thread only parses HTTP
            Thread thread = new Thread(null, () -> {
                long cpuStart = threads.getCurrentThreadCpuTime();
                long[] latencies = new long[256];
                int n = 0;
                boolean ready = false;
                try (Http1Connection connection = new Http1Connection(port, timeoutMillis)) {
                    try {
                        connection.connect();
                    } catch (IOException e) {
                        // counted on its first request, which reconnects
                    }
                    connected.countDown();
                    ready = true;
                    go.await();
                    for (int i = indexes.next(); i >= 0; i = indexes.next()) {
                        Request r = lookup.at(i);
                        long start = System.nanoTime();
                        String error = null;
                        try {
                            Http1Connection.Response response = connection.send(r.method(), r.target(), r.body(), r.authorization());
                            if (response.status() != r.expectStatus()) {
                                error = "http_" + response.status();
                                sample(samples, r, response.status() + " " + abbreviate(response.text()));
                            } else if (r.expect() != null && !response.bodyContains(r.expect())) {
                                error = "unexpected_answer";
                                sample(samples, r, abbreviate(response.text()));
                            } else if (listener != null) {
                                listener.answered(i, response);
                            }
                        } catch (SocketTimeoutException e) {
                            error = "timeout";
                            timeouts.incrementAndGet();
                        } catch (IOException e) {
                            error = "io_" + e.getClass().getSimpleName();
                            sample(samples, r, e.toString());
                        }
                        long elapsed = System.nanoTime() - start;
                        if (error != null) {
                            errors.incrementAndGet();
                            kinds.merge(error, 1, Integer::sum);
                        }
                        if (n == latencies.length) {
                            latencies = Arrays.copyOf(latencies, n * 2);
                        }
                        latencies[n++] = elapsed;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    perThread[id] = latencies;
                    perThreadCount[id] = n;
                    cpu.add(threads.getCurrentThreadCpuTime() - cpuStart);
                    finishedAt.accumulateAndGet(System.nanoTime(), Math::max);
                    if (!ready) {
                        connected.countDown();
                    }
                    done.countDown();
                }
            }, "bench-client-" + t, 256 * 1024);
            thread.setDaemon(true);
            thread.start();
        }
        connected.await();
        long started = System.nanoTime();
        go.countDown();
        done.await();

        int total = 0;
        for (int c : perThreadCount) {
            total += c;
        }
        long[] all = new long[total];
        int at = 0;
        for (int t = 0; t < clients; t++) {
            System.arraycopy(perThread[t], 0, all, at, perThreadCount[t]);
            at += perThreadCount[t];
        }
        Arrays.sort(all);
        return new Result(total, finishedAt.get() - started, all, errors.get(), timeouts.get(),
                new TreeMap<>(kinds), List.copyOf(samples), cpu.sum());
    }

    private static void sample(List<String> samples, Request r, String what) {
        if (samples.size() < 5) {
            samples.add(r.method() + " " + r.target() + " -> " + what);
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "...";
    }
}
