package dev.portoneverify.db;

import java.util.function.Consumer;
import java.util.function.Function;
import org.jdbi.v3.core.Jdbi;

/**
 * Runs the write transactions of the verification path (PaymentSync: the verification, and the
 * refund and history rows after it), which a flash sale runs hundreds of times a second.
 * {@link Database#transactions()} gives the right one for the database: on SQLite grouped by
 * the SQLite GroupCommit, elsewhere a plain transaction per call.
 */
public interface Transactions {

    /**
     * Runs {@code work} in a transaction and returns its result once it is committed, or throws what
     * the work or the commit threw, after rolling it back. The work may run more than once and on
     * another thread (see the SQLite GroupCommit), so it must reach the database only through the
     * {@link Transaction} it is given and do nothing else that cannot be repeated.
     */
    <R> R inTransaction(Function<Transaction, R> work);

    /** {@link #inTransaction} for work without a result. */
    default void useTransaction(Consumer<Transaction> work) {
        inTransaction(transaction -> {
            work.accept(transaction);
            return null;
        });
    }

    /** Works queued behind the running transaction: how far the database is behind (a metric). */
    default int waiting() {
        return 0;
    }

    /** One transaction per call, on the caller's thread. */
    static Transactions direct(Jdbi jdbi) {
        return new Transactions() {
            @Override
            public <R> R inTransaction(Function<Transaction, R> work) {
                return jdbi.inTransaction(handle -> work.apply(new Transaction(handle)));
            }
        };
    }
}
