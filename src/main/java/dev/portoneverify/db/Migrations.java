package dev.portoneverify.db;

import dev.portoneverify.db.DatabaseSettings.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a database to the schema this version of the code expects, with Flyway's versioned
 * migrations in {@code db/migration/sqlite} or {@code db/migration/postgresql}. Runs once at every
 * start (and for {@code migrate-db}), before the server touches any table.
 *
 * <ul>
 *   <li>An empty database gets every migration, V1 (the schema of 0.1.0) first; so does one that holds
 *       only other applications' tables.</li>
 *   <li>A database made by 0.1.0, which applied its schema with {@code CREATE ... IF NOT EXISTS} and kept
 *       no migration history, is recognised by its tables and recorded as being at V1 (a Flyway
 *       baseline), so the later migrations run on it and no row is touched by V1.</li>
 *   <li>A database at a version newer than this jar knows is refused: the jar is older than the data.</li>
 * </ul>
 *
 * <p>Several instances starting together on PostgreSQL take turns: each holds a session-level advisory
 * lock for the whole check-and-migrate (Flyway also locks its history table, but deciding whether to
 * baseline happens before that). The second finds nothing left to do. Each migration runs in one
 * transaction, so a failure leaves the database at the last version that succeeded.
 */
public final class Migrations {
    private static final Logger log = LoggerFactory.getLogger(Migrations.class);
    /** Flyway's history table; every other table is ours. */
    public static final String HISTORY_TABLE = "flyway_schema_history";
    /** The tables 0.1.0 created: a database holding all of them and no history is taken over at V1. */
    static final List<String> RELEASE_0_1_TABLES =
            List.of("users", "orders", "payments", "payment_history", "sms_outbox", "job_leases");
    /** Any constant, distinct from the keys Flyway uses. */
    private static final long MIGRATION_LOCK = 0x706f72746f6e66L;

    private Migrations() {}

    /** What a run did. {@code version} is the schema version now; {@code tookOver}: a 0.1.0 database was baselined. */
    public record Outcome(String version, int applied, boolean tookOver) {}

    /** Throws {@link DatabaseSetupException} when the database cannot be brought to this version's schema. */
    public static Outcome apply(DataSource dataSource, Dialect dialect) {
        if (dialect == Dialect.POSTGRESQL) {
            try (Connection lock = dataSource.getConnection()) {
                advisoryLock(lock, "pg_advisory_lock");
                try {
                    return migrate(dataSource, dialect);
                } finally {
                    advisoryLock(lock, "pg_advisory_unlock");
                }
            } catch (SQLException e) {
                throw new DatabaseSetupException("database migration could not lock the database: " + e.getMessage());
            }
        }
        return migrate(dataSource, dialect);
    }

    private static Outcome migrate(DataSource dataSource, Dialect dialect) {
        boolean tookOver = isRelease01Database(dataSource, dialect);
        Flyway flyway = Flyway.configure(Migrations.class.getClassLoader())
                .dataSource(dataSource)
                .locations("classpath:db/migration/" + (dialect == Dialect.POSTGRESQL ? "postgresql" : "sqlite"))
                .table(HISTORY_TABLE)
                // Flyway baselines only a schema that holds tables and no history: 0.1.0's at V1, so V1
                // is skipped; anyone else's (a database shared with another application) at V0, so every
                // migration still runs beside those tables
                .baselineOnMigrate(true)
                .baselineVersion(MigrationVersion.fromVersion(tookOver ? "1" : "0"))
                .baselineDescription(tookOver ? "made by 0.1.0, before migrations" : "tables of another application")
                .cleanDisabled(true)
                .load();
        refuseNewerDatabase(flyway);
        MigrateResult result;
        try {
            result = flyway.migrate();
        } catch (FlywayException e) {
            throw new DatabaseSetupException("database migration failed, the database stays at the last version that "
                    + "succeeded (restore your backup or fix the cause and start again): " + oneLine(rootMessage(e)));
        }
        String version = result.targetSchemaVersion != null ? result.targetSchemaVersion
                : flyway.info().current() == null ? "none" : flyway.info().current().getVersion().getVersion();
        if (tookOver) {
            log.info("database made before migrations (0.1.0): recorded as schema version 1, kept every row");
        }
        // Only an upgrade of a database that already held data is news to the operator; a new database
        // (and a start with nothing to do) stays quiet, so that a start that fails later, e.g. on a port
        // in use, still says nothing but its one line.
        String from = result.initialSchemaVersion;
        if (result.migrationsExecuted > 0 && (tookOver || from != null)) {
            log.info("database schema migrated from version {} to {} ({} migration{} applied)", tookOver ? "1" : from,
                    version, result.migrationsExecuted, result.migrationsExecuted == 1 ? "" : "s");
        } else {
            log.debug("database schema at version {} ({} migrations applied)", version, result.migrationsExecuted);
        }
        return new Outcome(version, result.migrationsExecuted, tookOver);
    }

    /**
     * Flyway ignores applied migrations it has no file for ("future" ones) by default; an older jar on a
     * newer database would then run against columns it does not know. Refuse instead.
     */
    private static void refuseNewerDatabase(Flyway flyway) {
        MigrationInfo[] all = flyway.info().all();
        MigrationVersion newestKnown = null;
        List<String> future = new ArrayList<>();
        for (MigrationInfo info : all) {
            if (info.getState().isResolved() && info.getVersion() != null
                    && (newestKnown == null || info.getVersion().isNewerThan(newestKnown))) {
                newestKnown = info.getVersion();
            }
            if (info.getState().name().startsWith("FUTURE")) {
                future.add(info.getVersion().getVersion());
            }
        }
        if (!future.isEmpty()) {
            throw new DatabaseSetupException("the database is at schema version " + future.get(future.size() - 1)
                    + ", newer than this jar knows (" + (newestKnown == null ? "none" : newestKnown.getVersion())
                    + "): run the newer jar, or restore the backup taken before the upgrade");
        }
    }

    /** All of 0.1.0's tables and no history table. Some of them only: refuse rather than guess. */
    private static boolean isRelease01Database(DataSource dataSource, Dialect dialect) {
        try (Connection connection = dataSource.getConnection()) {
            if (tableExists(connection, dialect, HISTORY_TABLE)) {
                return false;
            }
            List<String> present = new ArrayList<>();
            for (String table : RELEASE_0_1_TABLES) {
                if (tableExists(connection, dialect, table)) {
                    present.add(table);
                }
            }
            if (present.isEmpty()) {
                return false;
            }
            if (present.size() < RELEASE_0_1_TABLES.size()) {
                throw new DatabaseSetupException("the database has some of portone-verify's tables " + present
                        + " but not all of " + RELEASE_0_1_TABLES + " and no migration history (" + HISTORY_TABLE
                        + "); it was not made by portone-verify, so it is left alone");
            }
            return true;
        } catch (SQLException e) {
            throw new DatabaseSetupException("database migration could not read the database: " + e.getMessage());
        }
    }

    /** In the connection's current schema (PostgreSQL's search_path, the one Flyway uses too). */
    private static boolean tableExists(Connection connection, Dialect dialect, String table) throws SQLException {
        String sql = dialect == Dialect.SQLITE
                ? "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?"
                : "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ?";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, table);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() && rows.getInt(1) > 0;
            }
        }
    }

    private static void advisoryLock(Connection connection, String function) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SELECT " + function + "(" + MIGRATION_LOCK + ")");
        }
    }

    /** The deepest cause says what went wrong (SQLITE_READONLY, a full disk); Flyway's wrapper quotes whole scripts. */
    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage();
    }

    private static String oneLine(String message) {
        return message == null ? "" : message.replaceAll("\\s+", " ").trim();
    }
}
