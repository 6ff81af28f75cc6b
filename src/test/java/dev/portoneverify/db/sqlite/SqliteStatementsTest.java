package dev.portoneverify.db.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.portoneverify.db.Database;
import dev.portoneverify.testsupport.TestDatabase;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.StatementCustomizer;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SQLite's kept prepared statements: reused, never shared by two users at once, closed with the connection. */
class SqliteStatementsTest {
    private static final String NAME_BY_ID = "SELECT name FROM t WHERE id = ?";
    private static final String INSERT = "INSERT INTO t (id, name) VALUES (?, ?)";
    private static final String ALL_IDS = "SELECT id FROM t ORDER BY id";

    @TempDir
    Path dir;
    private Database database;
    private Jdbi jdbi;
    private int keptBefore;
    /** Every prepared statement Jdbi executed, in order. */
    private final List<PreparedStatement> executed = new ArrayList<>();
    private final StatementCustomizer recordExecuted = new StatementCustomizer() {
        @Override
        public void beforeExecution(PreparedStatement statement, StatementContext context) {
            executed.add(statement);
        }
    };

    @BeforeEach
    void open() {
        assumeFalse(TestDatabase.postgresqlRun(), "SQLite only: PostgreSQL's pool and driver prepare statements their own way");
        database = Database.open(TestDatabase.sqlite(dir).settings());
        jdbi = database.jdbi();
        jdbi.useHandle(handle -> handle.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL)"));
        keptBefore = kept();
    }

    private int kept() {
        return jdbi.withHandle(handle -> ((SqliteStatements) handle.getStatementBuilder()).size());
    }

    @AfterEach
    void close() throws Exception {
        if (database != null) {
            database.close();
        }
    }

    private void insert(Handle handle, int id, String name) {
        handle.createUpdate(INSERT).bind(0, id).bind(1, name).addCustomizer(recordExecuted).execute();
    }

    private void insertThreeRows() {
        jdbi.useHandle(handle -> {
            for (int id = 1; id <= 3; id++) {
                insert(handle, id, "n" + id);
            }
        });
    }

    private String nameById(Handle handle, int id) {
        return handle.createQuery(NAME_BY_ID).bind(0, id).addCustomizer(recordExecuted).mapTo(String.class).one();
    }

    @Test
    void a_statement_is_prepared_once_and_reused_by_later_handles_with_their_own_parameters() {
        jdbi.useHandle(handle -> insert(handle, 1, "a"));
        jdbi.useHandle(handle -> insert(handle, 2, "b"));

        assertEquals("a", jdbi.withHandle(handle -> nameById(handle, 1)));
        assertEquals("b", jdbi.withHandle(handle -> nameById(handle, 2)));

        assertSame(executed.get(0), executed.get(1), "the insert");
        assertSame(executed.get(2), executed.get(3), "the query");
        assertEquals(keptBefore + 2, kept());
    }

    @Test
    void the_same_query_run_while_its_results_are_still_being_read_gets_a_statement_of_its_own() {
        insertThreeRows();

        List<List<Integer>> inner = new ArrayList<>();
        List<Integer> outer = jdbi.withHandle(handle -> {
            List<Integer> read = new ArrayList<>();
            try (var ids = handle.createQuery(ALL_IDS).addCustomizer(recordExecuted).mapTo(Integer.class).iterator()) {
                while (ids.hasNext()) {
                    read.add(ids.next());
                    inner.add(handle.createQuery(ALL_IDS).addCustomizer(recordExecuted).mapTo(Integer.class).list());
                }
            }
            return read;
        });

        assertEquals(List.of(1, 2, 3), outer);
        assertEquals(List.of(List.of(1, 2, 3), List.of(1, 2, 3), List.of(1, 2, 3)), inner);
        PreparedStatement outerStatement = executed.get(3);
        assertNotSame(outerStatement, executed.get(4));
    }

    @Test
    void a_statement_that_failed_is_reused_cleanly_afterwards() {
        jdbi.useHandle(handle -> insert(handle, 1, "a"));
        assertThrows(UnableToExecuteStatementException.class, () -> jdbi.useHandle(handle -> insert(handle, 1, "again")));

        jdbi.useHandle(handle -> insert(handle, 2, "b"));

        assertEquals("a", jdbi.withHandle(handle -> nameById(handle, 1)));
        assertEquals("b", jdbi.withHandle(handle -> nameById(handle, 2)));
        assertSame(executed.get(0), executed.get(2), "the insert after the failed one");
    }

    @Test
    void closing_the_database_closes_the_kept_statements() throws Exception {
        jdbi.useHandle(handle -> insert(handle, 1, "a"));
        PreparedStatement kept = executed.get(0);
        assertTrue(!kept.isClosed(), "kept open between handles");

        database.close();
        database = null;

        assertTrue(kept.isClosed());
    }

    @Test
    void statements_that_return_generated_keys_are_not_kept_and_the_number_kept_is_bounded() {
        jdbi.useHandle(handle -> handle.createUpdate("INSERT INTO t (name) VALUES ('k')")
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
        assertEquals(keptBefore, kept());

        jdbi.useHandle(handle -> {
            for (int i = 0; i < SqliteStatements.MAX_KEPT + 10; i++) {
                handle.createQuery("SELECT " + i).mapTo(Integer.class).one();
            }
        });
        assertEquals(SqliteStatements.MAX_KEPT, kept());
    }

    @Test
    void a_batch_that_failed_before_it_ran_leaves_none_of_its_rows_to_the_next_use() {
        assertThrows(RuntimeException.class, () -> jdbi.useHandle(handle -> {
            var batch = handle.prepareBatch(INSERT);
            batch.bind(0, 1).bind(1, "batched-1").add();
            batch.bind(0, 2).bind(1, "batched-2").add();
            // no argument factory takes a bare Object: binding the third row fails before executeBatch
            batch.bind(0, 3).bind(1, new Object()).add();
            batch.execute();
        }));

        jdbi.useHandle(handle -> insert(handle, 10, "alone"));

        assertEquals("alone", jdbi.withHandle(handle -> nameById(handle, 10)));
        assertEquals(List.of(10), jdbi.withHandle(handle -> handle.createQuery("SELECT id FROM t")
                .mapTo(Integer.class).list()));
    }

    @Test
    void a_row_limit_set_for_one_query_does_not_apply_to_the_next() {
        insertThreeRows();

        List<Integer> limited = jdbi.withHandle(handle -> handle.createQuery(ALL_IDS).setMaxRows(1)
                .mapTo(Integer.class).list());
        List<Integer> all = jdbi.withHandle(handle -> handle.createQuery(ALL_IDS).mapTo(Integer.class).list());

        assertEquals(List.of(1), limited);
        assertEquals(List.of(1, 2, 3), all);
    }
}
