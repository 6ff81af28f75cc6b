package dev.portoneverify.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import com.zaxxer.hikari.pool.HikariPool;
import dev.portoneverify.db.DatabaseSettings.Dialect;
import dev.portoneverify.db.sqlite.GroupCommit;
import dev.portoneverify.db.sqlite.SqliteConnections;
import java.io.IOException;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.jdbi.v3.core.ConnectionException;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.argument.AbstractArgumentFactory;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.config.ConfigRegistry;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.postgresql.ds.PGSimpleDataSource;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * Opens the database named by {@link DatabaseSettings}, teaches Jdbi our exact money and time types
 * for it, and brings its schema up to date ({@link Migrations}; {@code schema.sql} and
 * {@code schema.postgresql.sql} show the result).
 *
 * <p>The DAOs are the same for both. The one place their SQL differs is the {@code <forUpdate>}
 * attribute: empty on SQLite, whose transactions already hold the database's single write lock from
 * their first statement, and a row lock on PostgreSQL.
 */
public final class Database implements AutoCloseable {
    /** Fixed width, so that timestamps compare correctly as text in SQLite. */
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final Jdbi jdbi;
    private final Dialect dialect;
    private final Transactions transactions;
    /** In closing order: the group commit's writer still needs the connections. */
    private final List<AutoCloseable> resources;

    private Database(Jdbi jdbi, Dialect dialect, Transactions transactions, List<AutoCloseable> resources) {
        this.jdbi = jdbi;
        this.dialect = dialect;
        this.transactions = transactions;
        this.resources = resources;
    }

    /** Throws {@link DatabaseSetupException} when the database cannot be reached or created. */
    public static Database open(DatabaseSettings settings) {
        return settings.dialect() == Dialect.POSTGRESQL ? openPostgresql(settings) : openSqlite(settings);
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    public Dialect dialect() {
        return dialect;
    }

    /**
     * For the verification path's write transactions: grouped on SQLite ({@link GroupCommit}), one
     * per call on PostgreSQL, where a group would hold several orders' row locks at once and could
     * deadlock against another instance's group locking them in another order.
     */
    public Transactions transactions() {
        return transactions;
    }

    /** Commits queued work, then closes every connection; the Jdbi must not be used afterwards. */
    @Override
    public void close() {
        try {
            for (AutoCloseable resource : resources) {
                resource.close();
            }
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("closing the database failed", e);
        }
    }

    /**
     * True when {@code e} says the database could not store anything: the disk is full, an I/O error,
     * or the file became read-only. Like an unreachable database, asking again later helps and
     * nothing was committed (issue 15).
     */
    public static boolean cannotStore(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof org.sqlite.SQLiteException sqlite) {
                String code = sqlite.getResultCode().name();
                if (code.equals("SQLITE_FULL") || code.startsWith("SQLITE_IOERR") || code.startsWith("SQLITE_READONLY")
                        || code.equals("SQLITE_CANTOPEN")) {
                    return true;
                }
            }
            // SQLSTATE class 53: insufficient resources (53100 disk_full); 58030: io_error
            if (cause instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("53") || sql.getSQLState().equals("58030"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * True when {@code e} says the database could not be reached at all (no connection, or it broke),
     * rather than that a statement failed.
     */
    public static boolean isUnreachable(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectionException || cause instanceof SQLTransientConnectionException) {
                return true;
            }
            // SQLSTATE class 08: connection exception
            if (cause instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
                return true;
            }
        }
        return false;
    }

    private static Database openSqlite(DatabaseSettings settings) {
        settings.sqliteFile().ifPresent(file -> createParentDirectory(settings, file));
        SQLiteConfig sqlite = new SQLiteConfig();
        // Within one process all calls take turns on one connection (SqliteConnections). WAL and the
        // busy timeout are for the other processes on the same file (`java -jar ... reconcile`, a
        // second server): their readers never wait for our writer, and writers queue for the lock
        // instead of failing with SQLITE_BUSY. Write transactions never wait on the network.
        sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
        sqlite.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        // SQLite's automatic checkpoint: the commit that takes the log past 1,000 pages copies it into
        // the database file (a thread of its own doing that measured within noise, issue 14)
        sqlite.setBusyTimeout(10_000);
        // BEGIN IMMEDIATE takes the write lock when a transaction starts, so the order row that
        // a verification reads cannot change before it writes: no lost update, no deadlock on
        // upgrading a read lock to a write lock.
        sqlite.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        sqlite.enforceForeignKeys(true);
        SQLiteDataSource dataSource = new SQLiteDataSource(sqlite);
        dataSource.setUrl(settings.url());
        migrate(settings, dataSource);

        // One connection, kept open and used in turn: see SqliteConnections for why (issue 5).
        SqliteConnections connections = new SqliteConnections(dataSource);
        Jdbi jdbi = Jdbi.create(connections).installPlugin(new SqlObjectPlugin());
        jdbi.setStatementBuilderFactory(connections);
        jdbi.define("forUpdate", "");
        registerTextTypes(jdbi);
        GroupCommit<Transaction> groupCommit = new GroupCommit<>(jdbi, connections, Transaction::new);
        // the connection closes after the writer's last group; closing it checkpoints what is left of the log
        return new Database(jdbi, Dialect.SQLITE, grouped(groupCommit), List.of(groupCommit, connections));
    }

    /** Each call queued for SQLite's one writer, which commits the calls queued meanwhile together. */
    private static Transactions grouped(GroupCommit<Transaction> groupCommit) {
        return new Transactions() {
            @Override
            public <R> CompletableFuture<R> inTransactionAsync(Function<Transaction, R> work) {
                return groupCommit.submit(work);
            }

            @Override
            public <R> R inTransaction(Function<Transaction, R> work) {
                return groupCommit.run(work);
            }

            @Override
            public int waiting() {
                return groupCommit.waiting();
            }
        };
    }

    /** A read-only file, a full disk, a failed migration: one line that names the database. */
    private static void migrate(DatabaseSettings settings, javax.sql.DataSource dataSource) {
        try {
            Migrations.apply(dataSource, settings.dialect());
        } catch (DatabaseSetupException e) {
            throw new DatabaseSetupException("DATABASE_URL=" + settings.redactedUrl() + ": " + e.getMessage());
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage();
    }

    private static Database openPostgresql(DatabaseSettings settings) {
        HikariConfig pool = new HikariConfig();
        pool.setPoolName("portone-verify");
        pool.setJdbcUrl(settings.url());
        pool.setUsername(settings.user());
        pool.setPassword(settings.password());
        pool.setMaximumPoolSize(settings.poolSize());
        pool.setMinimumIdle(Math.min(2, settings.poolSize()));
        // a request waiting longer than this for a connection gets an error rather than hanging
        pool.setConnectionTimeout(10_000);
        // nor does one wait forever on a server that stopped answering mid-query (the URL may say otherwise)
        pool.addDataSourceProperty("socketTimeout", "30");
        HikariDataSource dataSource;
        try {
            dataSource = new HikariDataSource(pool);
        } catch (HikariPool.PoolInitializationException e) {
            throw new DatabaseSetupException("DATABASE_URL=" + settings.redactedUrl() + ": cannot connect to PostgreSQL ("
                    + (e.getCause() == null ? e.getMessage() : e.getCause().getMessage()) + ")");
        }
        Jdbi jdbi = Jdbi.create(dataSource).installPlugin(new SqlObjectPlugin());
        // not FOR UPDATE: that would also block the foreign-key checks of inserts that merely name
        // the order (a payments row), which deadlocks against a refund's payments update
        jdbi.define("forUpdate", "FOR NO KEY UPDATE");
        registerPostgresqlTypes(jdbi);
        try {
            // unpooled, so that the migration's lock and Flyway's own connections never wait for the pool
            PGSimpleDataSource direct = new PGSimpleDataSource();
            direct.setURL(settings.url());
            direct.setUser(settings.user());
            direct.setPassword(settings.password());
            direct.setConnectTimeout(10);
            migrate(settings, direct);
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        // the asynchronous verifications' transactions: as many at once as there are connections, the rest
        // queued (a queue, not a thread each: a burst of buyers waits without holding threads, issue 17)
        HikariPoolMXBean connections = dataSource.getHikariPoolMXBean();
        WorkerTransactions transactions = new WorkerTransactions(jdbi, settings.poolSize(),
                () -> connections.getThreadsAwaitingConnection() > 0);
        return new Database(jdbi, Dialect.POSTGRESQL, transactions, List.of(transactions, dataSource));
    }

    /** SQLite stores money and instants as TEXT (see schema.sql); bind and read them as such. */
    private static void registerTextTypes(Jdbi jdbi) {
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

    /**
     * PostgreSQL has exact NUMERIC (Jdbi's own BigDecimal binding fits it) and TIMESTAMPTZ. Instants
     * go as UTC OffsetDateTimes, independent of the JVM's time zone, cut to the milliseconds SQLite
     * keeps, so both databases hand back the same values. A null instant goes as a null of type
     * timestamptz: an untyped one would leave {@code :from IS NULL OR created_at >= :from} without a
     * type PostgreSQL can infer for {@code :from}.
     */
    private static void registerPostgresqlTypes(Jdbi jdbi) {
        Argument typedNull = (position, statement, ctx) ->
                statement.setNull(position, Types.TIMESTAMP_WITH_TIMEZONE, "timestamptz");
        jdbi.registerArgument(new AbstractArgumentFactory<Instant>(Types.TIMESTAMP_WITH_TIMEZONE) {
            @Override
            public Optional<Function<Object, Argument>> prepare(Type type, ConfigRegistry config) {
                return super.prepare(type, config)
                        .map(bind -> value -> value == null ? typedNull : bind.apply(value));
            }

            @Override
            protected Argument build(Instant value, ConfigRegistry config) {
                OffsetDateTime utc = value.truncatedTo(ChronoUnit.MILLIS).atOffset(ZoneOffset.UTC);
                return (position, statement, ctx) -> statement.setObject(position, utc, Types.TIMESTAMP_WITH_TIMEZONE);
            }
        });
        jdbi.registerColumnMapper(Instant.class, (rs, column, ctx) -> {
            OffsetDateTime time = rs.getObject(column, OffsetDateTime.class);
            return time == null ? null : time.toInstant();
        });
    }

    /** SQLite creates the file but not its folder; the default lives under ./data/. */
    private static void createParentDirectory(DatabaseSettings settings, Path file) {
        Path parent = file.toAbsolutePath().getParent();
        try {
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new DatabaseSetupException("DATABASE_URL=" + settings.url() + ": cannot create folder " + parent + " (" + e.getMessage() + ")");
        }
    }
}
