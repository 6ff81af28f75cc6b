package dev.portoneverify.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * The simulator's own SQLite file, apart from the shop's database: what a shop does to its tables can never
 * reach PortOne's memory, and deleting the file is "a new PortOne account". One connection, used under the
 * callers' locks plus its own monitor. WAL with {@code synchronous=NORMAL}: a killed process loses no
 * committed change (only a power cut could), which is plenty for a simulator.
 */
final class SqliteSandboxStore implements SandboxStore {
    /** A payment row: the Payment object as the V1 API serves it, and what the wire does not carry. */
    record StoredPayment(long sequence, long updatedAt, String payment) {}

    record StoredPrepared(String merchantUid, String amount, String currency) {}

    record StoredToken(String token, long expiresAt) {}

    @RegisterConstructorMapper(StoredPayment.class)
    @RegisterConstructorMapper(StoredPrepared.class)
    @RegisterConstructorMapper(StoredToken.class)
    interface Dao {
        @SqlUpdate("""
                CREATE TABLE IF NOT EXISTS sandbox_payments (
                    imp_uid    TEXT PRIMARY KEY,
                    sequence   INTEGER NOT NULL UNIQUE,
                    updated_at INTEGER NOT NULL,
                    payment    TEXT NOT NULL
                )""")
        void createPayments();

        @SqlUpdate("""
                CREATE TABLE IF NOT EXISTS sandbox_prepared (
                    merchant_uid TEXT PRIMARY KEY,
                    amount       TEXT NOT NULL,
                    currency     TEXT
                )""")
        void createPrepared();

        @SqlUpdate("""
                CREATE TABLE IF NOT EXISTS sandbox_token (
                    id         INTEGER PRIMARY KEY CHECK (id = 1),
                    token      TEXT,
                    expires_at INTEGER NOT NULL
                )""")
        void createToken();

        @SqlQuery("SELECT sequence, updated_at, payment FROM sandbox_payments ORDER BY sequence")
        List<StoredPayment> payments();

        @SqlQuery("SELECT merchant_uid, amount, currency FROM sandbox_prepared")
        List<StoredPrepared> prepared();

        @SqlQuery("SELECT token, expires_at FROM sandbox_token WHERE id = 1")
        List<StoredToken> token();

        @SqlUpdate("""
                INSERT INTO sandbox_payments (imp_uid, sequence, updated_at, payment)
                VALUES (:impUid, :sequence, :updatedAt, :payment)
                ON CONFLICT (imp_uid) DO UPDATE SET updated_at = excluded.updated_at, payment = excluded.payment
                """)
        void savePayment(String impUid, long sequence,
                         long updatedAt, String payment);

        @SqlUpdate("""
                INSERT INTO sandbox_prepared (merchant_uid, amount, currency) VALUES (:merchantUid, :amount, :currency)
                ON CONFLICT (merchant_uid) DO UPDATE SET amount = excluded.amount, currency = excluded.currency
                """)
        void savePrepared(String merchantUid, String amount,
                          String currency);

        @SqlUpdate("""
                INSERT INTO sandbox_token (id, token, expires_at) VALUES (1, :token, :expiresAt)
                ON CONFLICT (id) DO UPDATE SET token = excluded.token, expires_at = excluded.expires_at
                """)
        void saveToken(String token, long expiresAt);
    }

    private final Path file;
    private final ObjectMapper json;
    private final Handle handle;
    private final Dao dao;

    private SqliteSandboxStore(Path file, ObjectMapper json, Handle handle) {
        this.file = file;
        this.json = json;
        this.handle = handle;
        this.dao = handle.attach(Dao.class);
    }

    /**
     * Opens (or creates, with its directory) the file.
     *
     * @throws SandboxStoreException when it cannot be opened or is no sandbox database
     */
    static SqliteSandboxStore open(Path file, ObjectMapper json) {
        Handle handle = null;
        try {
            Path dir = file.toAbsolutePath().getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
            handle = Jdbi.create("jdbc:sqlite:" + file).installPlugin(new SqlObjectPlugin()).open();
            handle.execute("PRAGMA journal_mode=WAL");
            handle.execute("PRAGMA synchronous=NORMAL");
            handle.execute("PRAGMA busy_timeout=5000");
            SqliteSandboxStore store = new SqliteSandboxStore(file, json, handle);
            store.dao.createPayments();
            store.dao.createPrepared();
            store.dao.createToken();
            return store;
        } catch (IOException | RuntimeException e) {
            if (handle != null) {
                handle.close();
            }
            throw new SandboxStoreException("the sandbox database " + file + " cannot be opened: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized Contents load() {
        List<SimulatedPayment> payments = new ArrayList<>();
        for (StoredPayment row : dao.payments()) {
            try {
                payments.add(SimulatedPayment.fromWire(json.readTree(row.payment()), row.sequence(), row.updatedAt()));
            } catch (JsonProcessingException e) {
                throw new SandboxStoreException("the sandbox database " + file + " holds a damaged payment: " + e.getMessage(), e);
            }
        }
        List<SandboxPayments.Prepared> prepared = dao.prepared().stream()
                .map(r -> new SandboxPayments.Prepared(r.merchantUid(), new BigDecimal(r.amount()), r.currency()))
                .toList();
        Token token = dao.token().stream().findFirst().map(t -> new Token(t.token(), t.expiresAt()))
                .orElse(new Token(null, 0));
        return new Contents(payments, prepared, token);
    }

    @Override
    public synchronized void save(SimulatedPayment p) {
        try {
            dao.savePayment(p.impUid, p.sequence, p.updatedAt, json.writeValueAsString(p.snapshot().json()));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized void save(SandboxPayments.Prepared r) {
        dao.savePrepared(r.merchantUid(), r.amount().toPlainString(), r.currency());
    }

    @Override
    public synchronized void save(Token token) {
        dao.saveToken(token.token(), token.expiresAt());
    }

    @Override
    public synchronized void close() {
        handle.close();
    }

    @Override
    public String toString() {
        return file.toString();
    }
}
