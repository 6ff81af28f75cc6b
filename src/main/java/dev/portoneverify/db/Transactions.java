package dev.portoneverify.db;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs the write transactions of the verification path (PaymentSync: the verification, and the
 * refund and history rows after it), which a flash sale runs hundreds of times a second.
 * {@link Database#transactions()} gives the right one for the database: on SQLite grouped by
 * the SQLite GroupCommit, on PostgreSQL a transaction per call on a small pool of threads of its
 * own ({@link WorkerTransactions}).
 */
public interface Transactions {

    /**
     * Queues {@code work} for a transaction and returns at once; the future completes with its result
     * once it is committed, or fails with what the work or the commit threw, after rolling it back. No
     * caller's thread waits meanwhile (issue 17). The work may run more than once and on another thread
     * (see the SQLite GroupCommit), so it must reach the database only through the {@link Transaction}
     * it is given and do nothing else that cannot be repeated.
     *
     * <p>The future completes on the database's own thread (SQLite's one writer, a PostgreSQL worker):
     * continue on a thread of your own ({@code Futures.on}), or that thread does your work instead of
     * the next transaction.
     */
    <R> CompletableFuture<R> inTransactionAsync(Function<Transaction, R> work);

    /**
     * {@link #inTransactionAsync}, waiting for the commit: for callers that hold a thread anyway. The
     * wait is not interruptible: once queued the work may be committed, so a caller that gave up early
     * could not tell whether it happened.
     */
    <R> R inTransaction(Function<Transaction, R> work);

    /** {@link #inTransaction} for work without a result. */
    default void useTransaction(Consumer<Transaction> work) {
        inTransaction(transaction -> {
            work.accept(transaction);
            return null;
        });
    }

    /** {@link #inTransactionAsync} for work without a result. */
    default CompletableFuture<Void> useTransactionAsync(Consumer<Transaction> work) {
        return inTransactionAsync(transaction -> {
            work.accept(transaction);
            return null;
        });
    }

    /** Works queued behind the running transaction: how far the database is behind (a metric). */
    default int waiting() {
        return 0;
    }
}
