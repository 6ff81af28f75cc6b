package dev.portoneverify.db.sqlite;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import org.jdbi.v3.core.ConnectionFactory;
import org.jdbi.v3.core.statement.StatementBuilder;
import org.jdbi.v3.core.statement.StatementBuilderFactory;
import org.sqlite.SQLiteDataSource;

/**
 * Keeps the process's one SQLite connection open and lends it out, one caller at a time.
 *
 * <p>Opening a connection per request (what a bare {@link SQLiteDataSource} does) costs more than a
 * verification's statements: the file and its WAL index are opened and mapped, every pragma runs,
 * and the schema is parsed again. And with one connection per request thread, concurrent write
 * transactions meet inside SQLite, where the loser sleeps in the busy handler (1, 2, 5, 10 ... 100 ms)
 * or, under enough load, fails with SQLITE_BUSY. Here every database call of the process queues
 * for the one connection instead, fairly and without sleeping; SQLite allows one writer at a time anyway.
 * Each connection keeps its prepared statements too ({@link SqliteStatements}), as the statement
 * builder Jdbi asks this factory for.
 *
 * <p>Thread-safe. A thread must not open a second handle while it holds one (it would wait for
 * itself): that throws {@link IllegalStateException}.
 */
public final class SqliteConnections implements ConnectionFactory, StatementBuilderFactory, AutoCloseable {
    private final SQLiteDataSource source;
    private final Map<Connection, SqliteStatements> statements = new ConcurrentHashMap<>();
    private final Semaphore permits;
    private final BlockingQueue<Connection> idle;
    private final ThreadLocal<Boolean> holding = ThreadLocal.withInitial(() -> false);
    private volatile boolean closed;

    public SqliteConnections(SQLiteDataSource source) {
        this.source = source;
        this.permits = new Semaphore(1, true);
        this.idle = new ArrayBlockingQueue<>(1);
    }

    @Override
    public Connection openConnection() throws SQLException {
        if (holding.get()) {
            throw new IllegalStateException("this thread already holds a database connection; "
                    + "nested handles would deadlock: pass the open Handle down instead");
        }
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for the database", e);
        }
        try {
            Connection c = idle.poll();
            if (c != null && c.isClosed()) {
                statements.remove(c);
                c = null;
            }
            if (c == null) {
                c = source.getConnection();
            }
            holding.set(true);
            return c;
        } catch (SQLException | RuntimeException e) {
            permits.release();
            throw e;
        }
    }

    /** Jdbi asks for this with every handle it opens on {@code c}, which the calling thread holds. */
    @Override
    public StatementBuilder createStatementBuilder(Connection c) {
        return statements.computeIfAbsent(c, opened -> new SqliteStatements());
    }

    /** True when another thread waits for the connection (the group-commit writer then lets it go). */
    boolean othersWaiting() {
        return permits.hasQueuedThreads();
    }

    /** True when the calling thread holds a connection now. */
    boolean heldByCurrentThread() {
        return holding.get();
    }

    /** A connection goes back in autocommit mode with no transaction open, or is closed. */
    @Override
    public void closeConnection(Connection c) throws SQLException {
        try {
            if (!c.isClosed() && !c.getAutoCommit()) {
                c.rollback();
                c.setAutoCommit(true);
            }
            if (c.isClosed() || closed || !idle.offer(c)) {
                close(c);
            }
        } catch (SQLException e) {
            close(c);
            throw e;
        } finally {
            holding.set(false);
            permits.release();
        }
    }

    /** Closes the idle connections; one lent out now is closed when it comes back. */
    @Override
    public void close() throws SQLException {
        closed = true;
        for (Connection c = idle.poll(); c != null; c = idle.poll()) {
            close(c);
        }
    }

    private void close(Connection c) throws SQLException {
        SqliteStatements kept = statements.remove(c);
        try {
            if (kept != null && !c.isClosed()) {
                kept.closeAll();
            }
        } finally {
            c.close();
        }
    }
}
