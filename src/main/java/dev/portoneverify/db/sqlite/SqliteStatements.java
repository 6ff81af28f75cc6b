package dev.portoneverify.db.sqlite;

import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.statement.DefaultStatementBuilder;
import org.jdbi.v3.core.statement.StatementBuilder;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * The prepared statements of one kept-open SQLite connection, kept for reuse (issue 5).
 *
 * <p>Jdbi prepares every statement afresh and closes it after use. For SQLite, preparing means
 * parsing and planning the SQL, and under a flash sale it took more than half as long as running
 * the statements: 13% of the group-commit writer's time in a profile. The verification's write path
 * alone (bench/src's WritePath: PaymentSync.applyAsync on one SQLite file, 16 in flight) took 111-122 µs
 * a verification with kept statements and 188-190 µs without, in two interleaved pairs (issue 17); the
 * full benchmark could not tell them apart while the GC took a quarter of the server's CPU (issue 14).
 * Here the statement is prepared
 * once per distinct SQL text (Jdbi's rendered SQL, so each DAO method has one) and handed back to
 * Jdbi every time with its parameters and batch cleared; SQLite re-prepares it by itself
 * if the schema changes. A statement is lent to one user at a time: asking for the same SQL while it
 * is lent out (a query iterated while the same query runs again) gets a fresh one that is closed
 * after use. Statements that return generated keys, plain and callable statements, and statements
 * given a row limit or timeout are not kept.
 *
 * <p>Not thread-safe, and need not be: only the thread holding the connection uses it
 * ({@link SqliteConnections} lends the connection to one thread at a time).
 */
final class SqliteStatements implements StatementBuilder {
    /** Far more than the application's distinct statements; the bound only guards against a leak. */
    static final int MAX_KEPT = 256;

    private final StatementBuilder plain = new DefaultStatementBuilder();
    private final Map<String, PreparedStatement> kept = new LinkedHashMap<>(64, 0.75f, true);
    private final Set<Statement> lent = Collections.newSetFromMap(new IdentityHashMap<>());

    @Override
    public PreparedStatement create(Connection connection, String sql, StatementContext context) throws SQLException {
        if (context.isReturningGeneratedKeys() || context.isConcurrentUpdatable()) {
            return plain.create(connection, sql, context);
        }
        PreparedStatement statement = kept.get(sql);
        if (statement != null && lent.contains(statement)) {
            return plain.create(connection, sql, context);
        }
        if (statement == null || statement.isClosed()) {
            statement = connection.prepareStatement(sql);
            kept.put(sql, statement);
            lent.add(statement);
            evictBeyondBound();
        } else {
            lent.add(statement);
        }
        return statement;
    }

    @Override
    public void close(Connection connection, String sql, Statement statement) throws SQLException {
        if (!lent.remove(statement)) {
            statement.close();
            return;
        }
        try {
            if (statement.getMaxRows() != 0 || statement.getQueryTimeout() != 0) {
                // limits set for one use must not apply to the next: prepare afresh next time
                kept.remove(sql, statement);
                statement.close();
                return;
            }
            // a batch that failed before executing keeps its rows, which the next execute would run.
            // (Result sets need nothing here: Jdbi closes them, which resets the statement, before
            // it returns the statement; getResultSet() would reopen one.)
            statement.clearBatch();
            statement.clearWarnings();
            ((PreparedStatement) statement).clearParameters();
        } catch (SQLException e) {
            kept.remove(sql, statement);
            statement.close();
            throw e;
        }
    }

    @Override
    public Statement create(Connection connection, StatementContext context) throws SQLException {
        return plain.create(connection, context);
    }

    @Override
    public CallableStatement createCall(Connection connection, String sql, StatementContext context) throws SQLException {
        return plain.createCall(connection, sql, context);
    }

    /** Called when Jdbi's handle closes: the statements outlive it, as the connection does. */
    @Override
    public void close(Connection connection) {
    }

    int size() {
        return kept.size();
    }

    /** Closes every kept statement; for when the connection itself is about to close. */
    void closeAll() throws SQLException {
        List<PreparedStatement> statements = new ArrayList<>(kept.values());
        kept.clear();
        lent.clear();
        SQLException first = null;
        for (PreparedStatement statement : statements) {
            try {
                statement.close();
            } catch (SQLException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** Least recently used first; a statement lent out now stays, so the bound may be passed briefly. */
    private void evictBeyondBound() throws SQLException {
        var eldest = kept.entrySet().iterator();
        while (kept.size() > MAX_KEPT && eldest.hasNext()) {
            PreparedStatement statement = eldest.next().getValue();
            if (!lent.contains(statement)) {
                eldest.remove();
                statement.close();
            }
        }
    }
}
