package dev.portoneverify.db;

import java.util.HashMap;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * The open transaction that a {@link Transactions} work runs in: its handle, and the DAOs attached
 * to it. Attaching a SqlObject DAO prepares every one of its methods, which cost more than running
 * one statement (issue 5), so each DAO is attached once per handle, however many works ask for it:
 * once per run of consecutive transactions on a PostgreSQL worker ({@link WorkerTransactions}), once
 * per run of consecutive groups on SQLite's GroupCommit writer. Not thread-safe; only valid inside the
 * work.
 */
public final class Transaction {
    private final Handle handle;
    private final Map<Class<?>, Object> daos = new HashMap<>();

    Transaction(Handle handle) {
        this.handle = handle;
    }

    public Handle handle() {
        return handle;
    }

    /** The DAO on this transaction's handle, attached at its first use. */
    public <T> T dao(Class<T> type) {
        return type.cast(daos.computeIfAbsent(type, handle::attach));
    }
}
