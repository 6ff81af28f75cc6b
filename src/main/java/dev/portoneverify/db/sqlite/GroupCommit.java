package dev.portoneverify.db.sqlite;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * <p>Each caller still gets only its own result or exception, and only after the commit. When a work
 * in a group throws, the group is rolled back: that caller gets its exception and every other work
 * runs again alone, in its own transaction, so one bad report cannot fail or undo the others (which
 * is why work must be repeatable). When the database itself fails to begin or commit, every caller
 * of the group gets that error, as each would have alone.
 *
 * <p>{@code S} is what a work is given: a session made by the {@code session} function once per
 * handle the writer opens, so that what it attaches to the handle (DAOs) is attached once for every
 * group that handle serves (see {@link Held}).
 */
public final class GroupCommit<S> implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);
    /** Enough to amortise a commit; small enough that one group never holds the database long. */
    static final int MAX_GROUP = 64;

    private final Jdbi jdbi;
    private final SqliteConnections connections;
    private final Function<Handle, S> session;
    private final BlockingQueue<Call<S, ?>> queue = new LinkedBlockingQueue<>();
    /** Queued by close(), last: the writer stops after the group it ends. */
    private final Call<S, Void> stop = new Call<>(transaction -> null);
    private final Thread writer;
    private boolean closed;

    public GroupCommit(Jdbi jdbi, SqliteConnections connections, Function<Handle, S> session) {
        this.jdbi = jdbi;
        this.connections = connections;
        this.session = session;
        this.writer = new Thread(this::write, "sqlite-group-commit");
        writer.setDaemon(true);
        writer.start();
    }

    /**
     * Runs {@code work} in a grouped transaction and returns its result once committed, or throws what
     * the work or the commit threw. The work may run more than once (alone, after another work of its
     * group failed), so it must do nothing that cannot be repeated.
     */
    public <R> R run(Function<S, R> work) {
        // either would wait for itself: the writer for its own group, or a caller holding the one
        // connection for a writer that needs it
        if (Thread.currentThread() == writer) {
            throw new IllegalStateException("work must not start another transaction: it would wait for itself");
        }
        if (connections.heldByCurrentThread()) {
            throw new IllegalStateException("this thread holds the database connection; "
                    + "a grouped transaction would wait for itself: finish the open handle first");
        }
        Call<S, R> call = new Call<>(work);
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("the database is closed");
            }
            queue.add(call);
        }
        return call.await();
    }

    /**
     * Queues {@code work} for a grouped transaction and returns at once: the future completes once it is
     * committed, with its result, or fails with what the work or the commit threw (issue 17). It completes
     * on the writer thread, so whatever the caller chains on it must hand over to a thread of its own
     * ({@code Futures.on}): the writer's time is every caller's. The work may run more than once, as for
     * {@link #run}. Once queued it is answered, whatever the caller does meanwhile: a caller that stops
     * waiting (its buyer hung up) neither stops nor splits the transaction.
     */
    public <R> CompletableFuture<R> submit(Function<S, R> work) {
        Call<S, R> call = new Call<>(work);
        synchronized (this) {
            if (closed) {
                return CompletableFuture.failedFuture(new IllegalStateException("the database is closed"));
            }
            queue.add(call);
        }
        return call.outcome;
    }

    /** Calls queued and not yet taken by the writer. */
    public int waiting() {
        return queue.size();
    }

    /** Commits what is queued, then stops the writer; later calls throw. */
    @Override
    public void close() throws InterruptedException {
        synchronized (this) {
            if (!closed) {
                closed = true;
                queue.add(stop);
            }
        }
        writer.join();
    }

    private void write() {
        List<Call<S, ?>> group = new ArrayList<>(MAX_GROUP);
        Held<S> held = null;
        try {
            boolean stopping = false;
            while (!stopping) {
                // a work may have left the flag set; take() would throw on it
                Thread.interrupted();
                Call<S, ?> first = held == null ? queue.take() : queue.poll();
                if (first == null) {
                    // nothing queued: the connection goes back, and the next group takes it anew
                    held = letGo(held);
                    continue;
                }
                // stop is queued last and nothing after it, so it can only end a group
                if (first == stop) {
                    break;
                }
                // in the group before anything can fail, so that even a dying writer answers it
                group.add(first);
                if (held == null) {
                    try {
                        held = hold();
                    } catch (RuntimeException e) {
                        // as BEGIN failing: the caller gets the error it would have had alone
                        first.failed(e);
                        group.clear();
                        continue;
                    }
                }
                queue.drainTo(group, MAX_GROUP - group.size());
                stopping = group.remove(stop);
                boolean clean = commit(group, held.handle(), held.session());
                group.clear();
                if (!clean || stopping || connections.othersWaiting()) {
                    held = letGo(held);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("the group-commit writer was interrupted", e);
        } finally {
            letGo(held);
            // normally after stop, with nothing queued; if the writer dies, no caller may wait for it
            synchronized (this) {
                closed = true;
            }
            IllegalStateException closedError = new IllegalStateException("the database is closed");
            group.forEach(call -> call.failed(closedError));
            for (Call<S, ?> call = queue.poll(); call != null; call = queue.poll()) {
                call.failed(closedError);
            }
        }
    }

    /**
     * The writer's handle and the session made on it. The writer keeps them from one group to the next
     * while work keeps coming and no other thread waits for the connection: attaching the session's DAOs
     * costs about 15 µs each (three or four a verification), as much as a verification's statements, and
     * a flash sale would pay it for every group (issue 17). A reader that asks for the connection still
     * gets it after the group in progress, and an idle writer holds nothing.
     */
    private record Held<S>(Handle handle, S session) {}

    private Held<S> hold() {
        Handle handle = jdbi.open();
        try {
            return new Held<>(handle, session.apply(handle));
        } catch (RuntimeException e) {
            closeQuietly(handle);
            throw e;
        }
    }

    private static <S> Held<S> letGo(Held<S> held) {
        if (held != null) {
            closeQuietly(held.handle());
        }
        return null;
    }

    /**
     * Runs one group in one transaction. Returns false when anything failed: the handle is then let go,
     * so that the next group starts on a fresh one.
     */
    private boolean commit(List<Call<S, ?>> group, Handle handle, S transaction) {
        if (group.isEmpty()) {
            return true;
        }
        if (group.size() == 1) {
            return group.get(0).alone(handle, transaction);
        }
        Call<?, ?>[] running = {null};
        try {
            handle.useTransaction(h -> {
                for (Call<S, ?> call : group) {
                    running[0] = call;
                    call.run(transaction);
                }
                running[0] = null;
            });
        } catch (RuntimeException | Error e) {
            Call<?, ?> threw = running[0];
            if (threw == null) {
                // BEGIN or COMMIT failed, not a work. After a failed commit the group may be
                // committed, so none runs again: each caller gets the error, as alone.
                group.forEach(call -> call.failed(e));
                return false;
            }
            // that work threw and the group was rolled back: it gets its exception, the others run again alone
            for (Call<S, ?> call : group) {
                if (call == threw) {
                    call.failed(e);
                } else {
                    call.alone(handle, transaction);
                }
            }
            return false;
        }
        group.forEach(Call::committed);
        return true;
    }

    /** Every caller has its answer by now; a connection that cannot be returned is closed by SqliteConnections. */
    private static void closeQuietly(Handle handle) {
        try {
            handle.close();
        } catch (RuntimeException e) {
            log.warn("returning the writer's database connection failed: {}", e.toString());
        }
    }

    /** One caller's work, and the caller waiting for its outcome. */
    private static final class Call<S, R> {
        private final Function<S, R> work;
        private final CompletableFuture<R> outcome = new CompletableFuture<>();
        private R result;

        Call(Function<S, R> work) {
            this.work = work;
        }

        /** Runs inside a group's transaction; the result counts only once the group commits. */
        void run(S transaction) {
            result = work.apply(transaction);
        }

        void committed() {
            outcome.complete(result);
        }

        void failed(Throwable e) {
            outcome.completeExceptionally(e);
        }

        /** Runs in a transaction of its own; false when it failed. */
        boolean alone(Handle handle, S transaction) {
            try {
                outcome.complete(handle.inTransaction(h -> work.apply(transaction)));
                return true;
            } catch (RuntimeException | Error e) {
                failed(e);
                return false;
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
