package dev.portoneverify;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Function;
import org.jdbi.v3.core.Jdbi;

/**
 * SQLite's write transactions, committed in groups by one writer thread (issue 5).
 *
 * <p>SQLite has one writer at a time, so under a flash sale every verification queued for the one
 * connection (see {@link SqliteConnections}), and each paid for its own transaction: handing the
 * connection to the next thread, BEGIN, writing the changed pages to the WAL at COMMIT. Here callers
 * queue their work instead, and the writer runs whatever has queued up (up to {@link #MAX_GROUP})
 * in one transaction: consecutive orders and payments share B-tree pages, so a group writes few more
 * pages than one verification does. An idle server commits each call at once; groups grow only
 * while the connection is busy, which is exactly when waiting for it cost time anyway.
 *
 * <p>Each caller still gets only its own result or exception, and only after the commit. When any
 * work in a group throws, or the commit fails, the whole group is rolled back and every work in it
 * runs again alone, in its own transaction: one bad report cannot fail or undo the others. That is
 * why work must be repeatable (see {@link Transactions#inTransaction}).
 */
final class GroupCommit implements Transactions, AutoCloseable {
    /** Enough to amortise a commit; small enough that one group never holds the database long. */
    static final int MAX_GROUP = 64;

    private final Jdbi jdbi;
    private final BlockingQueue<Call<?>> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private boolean closed;

    GroupCommit(Jdbi jdbi) {
        this.jdbi = jdbi;
        this.writer = new Thread(this::write, "sqlite-group-commit");
        writer.setDaemon(true);
        writer.start();
    }

    @Override
    public <R> R inTransaction(Function<Transaction, R> work) {
        if (Thread.currentThread() == writer) {
            throw new IllegalStateException("work must not start another transaction: it would wait for itself");
        }
        Call<R> call = new Call<>(work);
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("the database is closed");
            }
            queue.add(call);
        }
        return call.await();
    }

    /** Calls queued and not yet taken by the writer. */
    int waiting() {
        return queue.size();
    }

    /** Commits what is queued, then stops the writer; later calls throw. */
    @Override
    public void close() throws InterruptedException {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            queue.add(Call.STOP);
        }
        writer.join();
    }

    private void write() {
        List<Call<?>> group = new ArrayList<>(MAX_GROUP);
        boolean stop = false;
        while (!stop) {
            try {
                group.add(queue.take());
            } catch (InterruptedException e) {
                // nobody else interrupts this thread; close() stops it with Call.STOP
                Thread.currentThread().interrupt();
                throw new IllegalStateException("the group-commit writer was interrupted", e);
            }
            queue.drainTo(group, MAX_GROUP - 1);
            // STOP is queued last and nothing after it, so it can only end a group
            stop = group.remove(Call.STOP);
            commit(group);
            group.clear();
        }
    }

    private void commit(List<Call<?>> group) {
        if (group.size() > 1) {
            try {
                jdbi.useTransaction(handle -> {
                    Transaction transaction = new Transaction(handle);
                    for (Call<?> call : group) {
                        call.run(transaction);
                    }
                });
                group.forEach(Call::committed);
                return;
            } catch (RuntimeException | Error e) {
                // rolled back: each runs alone below and meets its own fate, or this one again
            }
        }
        for (Call<?> call : group) {
            call.alone(jdbi);
        }
    }

    /** One caller's work, and the caller waiting for its outcome. */
    private static final class Call<R> {
        static final Call<Void> STOP = new Call<>(transaction -> null);

        private final Function<Transaction, R> work;
        private final CompletableFuture<R> outcome = new CompletableFuture<>();
        private R result;

        Call(Function<Transaction, R> work) {
            this.work = work;
        }

        /** Runs inside a group's transaction; the result counts only once the group commits. */
        void run(Transaction transaction) {
            result = work.apply(transaction);
        }

        void committed() {
            outcome.complete(result);
        }

        void alone(Jdbi jdbi) {
            try {
                outcome.complete(jdbi.inTransaction(handle -> work.apply(new Transaction(handle))));
            } catch (RuntimeException | Error e) {
                outcome.completeExceptionally(e);
            }
        }

        /**
         * Waits, uninterruptibly: the writer answers every call, and once queued the work may be
         * committed, so a caller that gave up early could not tell whether it happened.
         */
        R await() {
            boolean interrupted = false;
            try {
                while (true) {
                    try {
                        return outcome.get();
                    } catch (InterruptedException e) {
                        interrupted = true;
                    } catch (ExecutionException e) {
                        throw rethrow(e.getCause());
                    }
                }
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        private static RuntimeException rethrow(Throwable cause) {
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(cause);
        }
    }
}
