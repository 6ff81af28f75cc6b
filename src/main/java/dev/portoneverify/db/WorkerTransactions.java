package dev.portoneverify.db;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.jdbi.v3.core.Jdbi;

/**
 * PostgreSQL's write transactions: one per call, on a few threads of their own, each thread keeping
 * its pooled connection, and the DAOs attached to it, from one transaction to the next (issue 17).
 *
 * <p>Attaching the DAOs was 28% of these threads' CPU in a flash sale when every transaction had a
 * handle of its own (a JFR profile at 100 buyers). A thread lets its handle go when anything failed,
 * when anybody else waits for a connection (a read, the reconciler), and when it has had no work for
 * {@link #IDLE_SECONDS}: it then ends, so an idle server holds no connection, and the pool validates
 * and retires connections as it would any other. The price: right after a burst, when every worker
 * still holds one and none has work to finish, a read may wait up to that second for a connection.
 */
final class WorkerTransactions implements Transactions, AutoCloseable {
    static final int IDLE_SECONDS = 1;

    private final Jdbi jdbi;
    private final ThreadPoolExecutor workers;
    private final BooleanSupplier othersWaitForConnections;
    /** The thread's handle while it holds one; only ever used on that thread. */
    private final ThreadLocal<Transaction> held = new ThreadLocal<>();

    /**
     * {@code threads} should be as many as the pool has connections: more could only wait for a
     * connection, fewer would leave connections idle.
     */
    WorkerTransactions(Jdbi jdbi, int threads, BooleanSupplier othersWaitForConnections) {
        this.jdbi = jdbi;
        this.othersWaitForConnections = othersWaitForConnections;
        AtomicInteger count = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(threads, threads, IDLE_SECONDS, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                task -> {
                    Thread thread = new Thread(() -> {
                        try {
                            task.run();
                        } finally {
                            letGo();
                        }
                    }, "postgresql-transaction-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        workers.allowCoreThreadTimeOut(true);
    }

    @Override
    public <R> CompletableFuture<R> inTransactionAsync(Function<Transaction, R> work) {
        try {
            return CompletableFuture.supplyAsync(() -> onWorker(work), workers);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new IllegalStateException("the database is closed", e));
        }
    }

    /** On the caller's thread, which waits anyway, with a handle of its own. */
    @Override
    public <R> R inTransaction(Function<Transaction, R> work) {
        return jdbi.inTransaction(handle -> work.apply(new Transaction(handle)));
    }

    @Override
    public int waiting() {
        return workers.getQueue().size();
    }

    @Override
    public void close() throws InterruptedException {
        workers.shutdown();
        if (!workers.awaitTermination(30, TimeUnit.SECONDS)) {
            workers.shutdownNow();
        }
    }

    private <R> R onWorker(Function<Transaction, R> work) {
        Transaction transaction = held.get();
        if (transaction == null) {
            transaction = new Transaction(jdbi.open());
            held.set(transaction);
        }
        boolean keep = false;
        try {
            Transaction open = transaction;
            R result = open.handle().inTransaction(handle -> work.apply(open));
            keep = !othersWaitForConnections.getAsBoolean();
            return result;
        } finally {
            if (!keep) {
                letGo();
            }
        }
    }

    private void letGo() {
        Transaction transaction = held.get();
        if (transaction == null) {
            return;
        }
        held.remove();
        try {
            transaction.handle().close();
        } catch (RuntimeException e) {
            // the pool retires a connection that fails to close; the work's own outcome stands
        }
    }
}
