package dev.portoneverify;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.argument.AbstractArgumentFactory;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.config.ConfigRegistry;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/** Opens the SQLite database, teaches Jdbi our exact money and time types, and applies schema.sql. */
public final class Database {
    /** Fixed width, so that timestamps compare correctly as text in SQL. */
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private Database() {}

    public static Jdbi open(String jdbcUrl) {
        createParentDirectory(jdbcUrl);
        SQLiteConfig sqlite = new SQLiteConfig();
        // Within one process all calls take turns on one connection (SqliteConnections). WAL and the
        // busy timeout are for the other processes on the same file (`java -jar ... reconcile`, a
        // second server): their readers never wait for our writer, and writers queue for the lock
        // instead of failing with SQLITE_BUSY. Write transactions never wait on the network.
        sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
        sqlite.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        sqlite.setBusyTimeout(10_000);
        // BEGIN IMMEDIATE takes the write lock when a transaction starts, so the order row that
        // a verification reads cannot change before it writes: no lost update, no deadlock on
        // upgrading a read lock to a write lock.
        sqlite.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        sqlite.enforceForeignKeys(true);
        SQLiteDataSource dataSource = new SQLiteDataSource(sqlite);
        dataSource.setUrl(jdbcUrl);

        // One connection, kept open and used in turn: see SqliteConnections for why (issue 5).
        Jdbi jdbi = Jdbi.create(new SqliteConnections(dataSource, 1)).installPlugin(new SqlObjectPlugin());
        registerExactTypes(jdbi);
        jdbi.useHandle(handle -> handle.createScript(schema()).execute());
        return jdbi;
    }

    /** SQLite stores money and instants as TEXT (see schema.sql); bind and read them as such. */
    private static void registerExactTypes(Jdbi jdbi) {
        jdbi.registerArgument(new AbstractArgumentFactory<BigDecimal>(Types.VARCHAR) {
            @Override
            protected Argument build(BigDecimal value, ConfigRegistry config) {
                return (position, statement, ctx) -> statement.setString(position, value.toPlainString());
            }
        });
        jdbi.registerArgument(new AbstractArgumentFactory<Instant>(Types.VARCHAR) {
            @Override
            protected Argument build(Instant value, ConfigRegistry config) {
                return (position, statement, ctx) -> statement.setString(position, TIMESTAMP.format(value));
            }
        });
        jdbi.registerColumnMapper(BigDecimal.class, (rs, column, ctx) -> {
            String text = rs.getString(column);
            return text == null ? null : new BigDecimal(text);
        });
        jdbi.registerColumnMapper(Instant.class, (rs, column, ctx) -> {
            String text = rs.getString(column);
            return text == null ? null : Instant.parse(text);
        });
    }

    private static String schema() {
        try (InputStream in = Database.class.getResourceAsStream("/schema.sql")) {
            if (in == null) {
                throw new IllegalStateException("schema.sql is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SQLite creates the file but not its folder; the default lives under ./data/. */
    private static void createParentDirectory(String jdbcUrl) {
        String target = jdbcUrl.substring("jdbc:sqlite:".length());
        int query = target.indexOf('?');
        if (query >= 0) {
            target = target.substring(0, query);
        }
        if (target.startsWith("file:") || target.startsWith(":memory:") || target.isBlank()) {
            return;
        }
        Path parent = Path.of(target).toAbsolutePath().getParent();
        try {
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new ConfigException("DATABASE_URL=" + jdbcUrl + ": cannot create folder " + parent + " (" + e.getMessage() + ")");
        }
    }
}
