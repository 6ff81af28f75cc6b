package dev.portoneverify.testsupport;

import dev.portoneverify.db.DatabaseSettings;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * A fresh, empty database for one test server: a SQLite file in the test's folder, or, in the
 * PostgreSQL run of the suite ({@code -DportoneVerify.testDatabase=postgresql}, which `mvn verify`
 * does second), a schema of its own in the PostgreSQL database that {@code TEST_DATABASE_URL} names
 * (default {@value #DEFAULT_POSTGRESQL}), dropped again by {@link #close()}.
 */
public final class TestDatabase implements AutoCloseable {
    static final String DEFAULT_POSTGRESQL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    private final DatabaseSettings settings;
    private final String schema;

    private TestDatabase(DatabaseSettings settings, String schema) {
        this.settings = settings;
        this.schema = schema;
    }

    /** True in the PostgreSQL run of the suite. */
    public static boolean postgresqlRun() {
        return "postgresql".equals(System.getProperty("portoneVerify.testDatabase"));
    }

    /** Where the PostgreSQL run finds its server. */
    public static String postgresqlUrl() {
        String url = System.getenv("TEST_DATABASE_URL");
        return url == null || url.isBlank() ? DEFAULT_POSTGRESQL : url.trim();
    }

    /** The database this run of the suite tests against; SQLite files go into {@code dir}. */
    public static TestDatabase create(Path dir) {
        return postgresqlRun() ? postgresql() : sqlite(dir);
    }

    public static TestDatabase sqlite(Path dir) {
        return new TestDatabase(DatabaseSettings.sqlite("jdbc:sqlite:" + dir.resolve("shop-" + UUID.randomUUID() + ".db")), null);
    }

    /** An existing SQLite file, such as a copy of a fixture. */
    public static TestDatabase sqliteFile(Path file) {
        return new TestDatabase(DatabaseSettings.sqlite("jdbc:sqlite:" + file), null);
    }

    /** A new schema in the test PostgreSQL; every connection of the returned URL works inside it. */
    public static TestDatabase postgresql() {
        String schema = "test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
        run(postgresqlUrl(), "CREATE SCHEMA " + schema);
        String base = postgresqlUrl();
        String url = base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        return new TestDatabase(new DatabaseSettings(url, null, null, 4), schema);
    }

    public DatabaseSettings settings() {
        return settings;
    }

    public String url() {
        return settings.url();
    }

    /** Drops the PostgreSQL schema; a SQLite file goes with its test's folder. */
    @Override
    public void close() {
        if (schema != null) {
            run(postgresqlUrl(), "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    static void run(String url, String sql) {
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " on " + DatabaseSettings.redact(url) + " failed: " + e.getMessage(), e);
        }
    }
}
