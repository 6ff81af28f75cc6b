package dev.portoneverify.db.sqlite;

import dev.portoneverify.db.Database;
import dev.portoneverify.db.DatabaseSettings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.portoneverify.testsupport.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SQLite's write-ahead log is copied into the database file by a thread of its own, not by the writer's commits. */
class WalCheckpointerTest {
    @TempDir
    Path dir;
    private DatabaseSettings settings;
    private Database database;

    @BeforeEach
    void open() {
        assumeFalse(TestDatabase.postgresqlRun(), "SQLite only: PostgreSQL has no write-ahead log file of ours");
        settings = TestDatabase.sqlite(dir).settings();
        database = Database.open(settings);
        database.jdbi().useHandle(handle -> handle.execute("CREATE TABLE blobs (id INTEGER PRIMARY KEY, data BLOB)"));
    }

    @AfterEach
    void close() {
        if (database != null) {
            database.close();
        }
    }

    private Path databaseFile() {
        return settings.sqliteFile().orElseThrow();
    }

    @Test
    void the_servers_connections_checkpoint_inside_a_commit_only_when_the_log_grows_past_the_fallback() {
        int pages = database.jdbi().withHandle(handle ->
                handle.createQuery("PRAGMA wal_autocheckpoint").mapTo(Integer.class).one());

        assertEquals(WalCheckpointer.WRITER_FALLBACK_PAGES, pages);
    }

    @Test
    void committed_pages_reach_the_database_file_within_seconds_without_a_checkpoint_by_the_writer() throws Exception {
        long before = Files.size(databaseFile());

        // about 2 MB, twice the 1,000 pages after which a commit would otherwise checkpoint
        database.transactions().useTransaction(transaction -> {
            for (int i = 0; i < 500; i++) {
                transaction.handle().execute("INSERT INTO blobs (data) VALUES (randomblob(4000))");
            }
        });
        assertTrue(Files.size(databaseFile()) < before + 1_000_000, "the commit itself did not copy the log");

        long deadline = System.nanoTime() + 10_000_000_000L;
        while (Files.size(databaseFile()) < before + 2_000_000) {
            assertTrue(System.nanoTime() < deadline, "the log was not copied into the database file within 10 s");
            Thread.sleep(50);
        }
    }

    @Test
    void after_a_checkpoint_the_log_starts_over_instead_of_growing() throws Exception {
        Path wal = Path.of(databaseFile() + "-wal");
        for (int round = 0; round < 3; round++) {
            database.transactions().useTransaction(transaction -> {
                for (int i = 0; i < 250; i++) {
                    transaction.handle().execute("INSERT INTO blobs (data) VALUES (randomblob(4000))");
                }
            });
            long copied = 1_000_000L * (round + 1);
            long deadline = System.nanoTime() + 10_000_000_000L;
            // the log starts over only after a checkpoint copied all of it: the file has reached the
            // round's size and did not grow through a whole checkpoint interval (a loaded machine may
            // need several checkpoints for one round)
            long size = -1;
            while (Files.size(databaseFile()) < copied || Files.size(databaseFile()) != size) {
                assertTrue(System.nanoTime() < deadline, "round " + round + " was not checkpointed within 10 s");
                size = Files.size(databaseFile());
                Thread.sleep(WalCheckpointer.INTERVAL.toMillis() + 200);
            }
        }

        // three rounds of about 1 MB each went through a log that holds about one
        assertTrue(Files.size(wal) < 1_500_000, "log grew to " + Files.size(wal) + " bytes");
    }
}
