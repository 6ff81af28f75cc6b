package dev.portoneverify.concurrent;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The few threads on which an asynchronous verification goes on once PortOne or the database answered
 * (issue 17): they never wait for either, so about one per core is enough, and the queue in front of
 * them is unbounded, so that a burst of buyers waits in it instead of being refused. Closing lets what
 * is queued finish, for a bounded time.
 */
public final class ContinuationPool implements Executor, AutoCloseable {
    private final ExecutorService threads;

    public ContinuationPool(String name, int size) {
        AtomicInteger count = new AtomicInteger();
        this.threads = Executors.newFixedThreadPool(size, task -> {
            Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** One thread per core, at least two. */
    public static ContinuationPool perCore(String name) {
        return new ContinuationPool(name, Math.max(2, Runtime.getRuntime().availableProcessors()));
    }

    @Override
    public void execute(Runnable task) {
        threads.execute(task);
    }

    @Override
    public void close() throws InterruptedException {
        threads.shutdown();
        if (!threads.awaitTermination(10, TimeUnit.SECONDS)) {
            threads.shutdownNow();
        }
    }
}
