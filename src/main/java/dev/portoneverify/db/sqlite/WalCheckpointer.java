package dev.portoneverify.db.sqlite;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteDataSource;

/**
 * Copies SQLite's write-ahead log into the database file from a thread of its own (issue 5).
 *
 * <p>By default the connection whose commit takes the log past 1,000 pages copies them into the
 * database file and syncs it, inside that commit. Here that connection is the group-commit writer's,
 * so during a flash sale, every second or so, one group (and every buyer queued behind it) waited for
 * a checkpoint. Here a PASSIVE checkpoint runs every second on a connection of its own: PASSIVE never
 * waits for the writer or the readers and never blocks them, and once it has copied everything, the
 * next write starts the log from the beginning again. Our own connections checkpoint only past
 * {@link #WRITER_FALLBACK_PAGES} ((the server's connections)): while writes never pause, each of these
 * checkpoints ends with frames appended meanwhile, the log cannot start over and keeps growing, and
 * then the writer's own checkpoint, of frames mostly copied already, bounds it. When the process
 * stops, the last connection to close (SQLite's rule) checkpoints whatever is left.
 */
public final class WalCheckpointer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WalCheckpointer.class);
    static final Duration INTERVAL = Duration.ofSeconds(1);
    /** About 200 MB of log: reached only under writes that never pause for long, such as a flash sale. */
    public static final int WRITER_FALLBACK_PAGES = 50_000;

    private final SQLiteDataSource source;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread t = new Thread(runnable, "sqlite-wal-checkpoint");
        t.setDaemon(true);
        return t;
    });
    /** Used only on {@link #thread}. */
    private Connection connection;
    private boolean failing;

    public WalCheckpointer(SQLiteDataSource source) {
        this.source = source;
        thread.scheduleWithFixedDelay(this::checkpoint, INTERVAL.toMillis(), INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void checkpoint() {
        try {
            if (connection == null) {
                connection = source.getConnection();
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute("PRAGMA wal_checkpoint(PASSIVE)");
            }
            if (failing) {
                log.info("WAL checkpoints work again");
                failing = false;
            }
        } catch (SQLException e) {
            // said once, not every second; the log keeps growing meanwhile, and the commits stay correct
            if (!failing) {
                log.warn("WAL checkpoint failed, retrying every {} s: {}", INTERVAL.toSeconds(), e.getMessage());
                failing = true;
            }
            closeConnection();
        }
    }

    private void closeConnection() {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException e) {
            log.warn("closing the WAL checkpoint connection failed: {}", e.getMessage());
        }
        connection = null;
    }

    /** Stops checkpointing and closes its connection, on its own thread. */
    @Override
    public void close() throws InterruptedException {
        thread.execute(this::closeConnection);
        thread.shutdown();
        if (!thread.awaitTermination(10, TimeUnit.SECONDS)) {
            log.warn("the WAL checkpoint thread did not stop within 10 s");
        }
    }
}
