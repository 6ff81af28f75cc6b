package dev.portoneverify.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.portoneverify.db.DatabaseSettings.Dialect;
import dev.portoneverify.testsupport.TestDatabase;
import dev.portoneverify.testsupport.TestServer;
import dev.portoneverify.tools.migrate.MigrateDb;
import dev.portoneverify.tools.migrate.Tables;
import dev.portoneverify.tools.migrate.Tables.Table;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;
import org.sqlite.SQLiteDataSource;

/**
 * Upgrades: every migration from empty gives the schema the code expects (schema.sql,
 * schema.postgresql.sql), and a database written by 0.1.0, the release before migrations, is taken
 * over with every row intact. The 0.1.0 database is {@code upgrade/release-0.1.0.db}, made by that
 * release's jar through its HTTP API ({@code upgrade/make-release-0.1.0.sh}); in the PostgreSQL run its
 * rows are loaded into a schema that 0.1.0's own script created.
 */
class MigrationsTest {
    private static final String FIXTURE = "/upgrade/release-0.1.0.db";
    /** 0.1.0's tables in foreign-key order, with the key each is compared by. */
    private static final Map<String, String> RELEASE_0_1 = orderedKeys(
            "users", "id", "orders", "merchant_uid", "payments", "imp_uid", "payment_history", "id", "sms_outbox", "id");
    /** Columns added to 0.1.0's tables since, by table: every upgraded row has them empty. */
    private static final Map<String, String> ADDED_SINCE_0_1 = Map.of(
            "sms_outbox", "gave_up_at", // V2
            "payments", "vbank_due"); // V6

    @TempDir
    Path dir;

    @Test
    void every_migration_applied_to_an_empty_database_gives_the_schema_the_code_expects() throws Exception {
        try (TestDatabase migrated = TestDatabase.create(dir); TestDatabase fromFile = TestDatabase.create(dir)) {
            Dialect dialect = migrated.settings().dialect();
            Migrations.Outcome outcome = Migrations.apply(dataSource(migrated.settings()), dialect);
            assertFalse(outcome.tookOver());
            assertEquals(latestVersion(dialect), outcome.version());

            String schemaFile = dialect == Dialect.SQLITE ? "schema.sql" : "schema.postgresql.sql";
            Jdbi.create(dataSource(fromFile.settings()))
                    .useHandle(h -> h.createScript(Files.readString(Path.of(schemaFile), StandardCharsets.UTF_8)).execute());

            List<String> expected = Jdbi.create(dataSource(fromFile.settings())).withHandle(h -> SchemaDescription.of(h, dialect));
            List<String> actual = Jdbi.create(dataSource(migrated.settings())).withHandle(h -> SchemaDescription.of(h, dialect));
            assertTrue(expected.size() > 40, "the description should cover every table: " + expected);
            assertEquals(String.join("\n", expected), String.join("\n", actual), schemaFile + " and the migrations differ");
        }
    }

    @Test
    void a_database_made_by_release_0_1_0_is_taken_over_with_every_row_and_a_new_payment_verifies() throws Exception {
        Path fixture = copyOfFixture();
        Map<String, List<Map<String, Object>>> before = fixtureRows(fixture);
        assertEquals(8, before.get("orders").size());
        assertEquals(17, before.get("payment_history").size());

        try (TestDatabase legacy = releaseDatabase(fixture)) {
            DatabaseSettings settings = legacy.settings();
            Migrations.Outcome outcome = Migrations.apply(dataSource(settings), settings.dialect());
            assertTrue(outcome.tookOver(), "a 0.1.0 database should be recognised");
            int latest = Integer.parseInt(latestVersion(settings.dialect()));
            assertEquals(latest - 1, outcome.applied(), "V1 is the baseline; only the later migrations run");
            assertEquals(latestVersion(settings.dialect()), outcome.version());

            try (Database upgraded = Database.open(settings)) {
                for (Map.Entry<String, List<Map<String, Object>>> table : before.entrySet()) {
                    List<Map<String, Object>> after = upgraded.jdbi().withHandle(h -> rowsNow(h, table.getKey()));
                    String added = ADDED_SINCE_0_1.get(table.getKey());
                    for (Map<String, Object> row : after) {
                        if (added != null) {
                            assertTrue(row.containsKey(added), table.getKey() + " should have " + added);
                            assertNull(row.remove(added), table.getKey() + "." + added + " of a 0.1.0 row");
                        }
                    }
                    assertEquals(table.getValue(), after, table.getKey() + " changed in the upgrade");
                }
                assertEquals(0, Migrations.apply(dataSource(settings), settings.dialect()).applied(), "a second start migrates nothing");
            }

            String admin = "migrations-test-admin-token-0123456789";
            try (TestServer shop = TestServer.sandboxMode(Map.of("DATABASE_URL", settings.url(), "ADMIN_TOKEN", admin)).started()) {
                // the 0.1.0 order that was never paid, by its 0.1.0 buyer
                String legacyOrder = "order_86802ee244931e2f95af4ec6802b0e29";
                String imp = shop.ok("/sandbox/payments", Map.of("merchant_uid", legacyOrder, "amount", 3500)).get("imp_uid").asText();
                TestServer.Answer complete = shop.post("/payments/complete", Map.of("imp_uid", imp, "merchant_uid", legacyOrder));
                assertEquals(200, complete.status(), complete.body().toString());
                assertEquals("success", complete.text("status"));
                // 0.1.0's buyers have no buyer token (V4): the owner reads their orders with ADMIN_TOKEN
                assertEquals("paid", shop.admin("GET", "/orders/" + legacyOrder, admin, null).text("status"));

                // a new order for a 0.1.0 buyer, paid by virtual account: the SMS goes through the V2 outbox
                String fresh = shop.order("모니터 받침대", 27000);
                String vbank = shop.ok("/sandbox/payments", Map.of("merchant_uid", fresh, "amount", 27000, "pay_method", "vbank"))
                        .get("imp_uid").asText();
                assertEquals("vbankIssued", shop.post("/payments/complete", Map.of("imp_uid", vbank, "merchant_uid", fresh))
                        .text("status"));
                assertEquals(1, shop.sms.awaitSent(1).size());
                assertEquals(3, shop.get("/users/3").body().path("id").asLong(), "new ids continue after 0.1.0's");
            }
        }
    }

    @Test
    void a_sqlite_database_whose_payment_names_no_order_stops_at_v5_with_every_row_kept() throws Exception {
        assumeTrue(!TestDatabase.postgresqlRun(), "V6 rebuilds tables only on SQLite");
        Path fixture = copyOfFixture();
        // a reference already broken (written with foreign keys off): the rebuild must not carry it on quietly
        Jdbi.create(sqlite("jdbc:sqlite:" + fixture)).useHandle(h -> h.execute("""
                INSERT INTO payments (imp_uid, merchant_uid, status, amount, cancel_amount, currency, pay_method, sandbox,
                                      first_seen_at, updated_at)
                VALUES ('imp_orphan', 'order_never_made', 'paid', '1000', '0', 'KRW', 'card', 0,
                        '2026-12-01T09:00:00Z', '2026-12-01T09:00:00Z')"""));
        try (TestDatabase legacy = releaseDatabase(fixture)) {
            DatabaseSettings settings = legacy.settings();
            DatabaseSetupException refused = assertThrows(DatabaseSetupException.class,
                    () -> Migrations.apply(dataSource(settings), settings.dialect()));
            assertTrue(refused.getMessage().contains("rows_naming_a_missing_row"), refused.getMessage());

            Jdbi shop = Jdbi.create(dataSource(settings));
            assertEquals(List.of("1", "2", "3", "4", "5"), shop.withHandle(h -> h.createQuery(
                    "SELECT version FROM " + Migrations.HISTORY_TABLE + " WHERE success ORDER BY installed_rank")
                    .mapTo(String.class).list()));
            int orders = shop.withHandle(h -> h.createQuery("SELECT count(*) FROM orders").mapTo(Integer.class).one());
            int payments = shop.withHandle(h -> h.createQuery("SELECT count(*) FROM payments").mapTo(Integer.class).one());
            int vbankDue = shop.withHandle(h -> h.createQuery(
                    "SELECT count(*) FROM pragma_table_info('payments') WHERE name = 'vbank_due'").mapTo(Integer.class).one());
            assertEquals(8, orders);
            assertEquals(8, payments, "0.1.0's seven payments and the broken one");
            assertEquals(0, vbankDue, "V6 was rolled back as a whole");
        }
    }

    @Test
    void several_instances_taking_over_one_database_together_migrate_it_once() throws Exception {
        assumeTrue(TestDatabase.postgresqlRun(), "several instances on one database means PostgreSQL");
        Path fixture = copyOfFixture();
        try (TestDatabase legacy = releaseDatabase(fixture)) {
            DatabaseSettings settings = legacy.settings();
            ExecutorService starts = Executors.newFixedThreadPool(4);
            try {
                List<Callable<Migrations.Outcome>> instances = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    instances.add(() -> Migrations.apply(dataSource(settings), Dialect.POSTGRESQL));
                }
                List<Migrations.Outcome> outcomes = new ArrayList<>();
                for (Future<Migrations.Outcome> outcome : starts.invokeAll(instances, 60, TimeUnit.SECONDS)) {
                    outcomes.add(outcome.get());
                }
                assertEquals(1, outcomes.stream().filter(Migrations.Outcome::tookOver).count(), outcomes.toString());
                assertEquals(Integer.parseInt(latestVersion(Dialect.POSTGRESQL)) - 1,
                        outcomes.stream().mapToInt(Migrations.Outcome::applied).sum(), outcomes.toString());
            } finally {
                starts.shutdownNow();
            }
            List<String> history = Jdbi.create(dataSource(settings)).withHandle(h -> h.createQuery(
                    "SELECT version || ' ' || type FROM " + Migrations.HISTORY_TABLE + " ORDER BY installed_rank")
                    .mapTo(String.class).list());
            List<String> expected = new ArrayList<>(List.of("1 BASELINE"));
            for (int v = 2; v <= Integer.parseInt(latestVersion(Dialect.POSTGRESQL)); v++) {
                expected.add(v + " SQL");
            }
            assertEquals(expected, history);
            int orders = Jdbi.create(dataSource(settings)).withHandle(h ->
                    h.createQuery("SELECT count(*) FROM orders").mapTo(Integer.class).one());
            assertEquals(8, orders);
        }
    }

    @Test
    void a_database_newer_than_the_jar_is_refused_with_what_to_do() throws Exception {
        try (TestDatabase database = TestDatabase.create(dir)) {
            DatabaseSettings settings = database.settings();
            Migrations.apply(dataSource(settings), settings.dialect());
            Jdbi.create(dataSource(settings)).useHandle(h -> h.execute("""
                    INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum,
                                                       installed_by, execution_time, success)
                    VALUES (99, '99', 'from a later release', 'SQL', 'V99__later.sql', 0, 'test', 0, true)"""));

            DatabaseSetupException refused = assertThrows(DatabaseSetupException.class, () -> Database.open(settings));
            assertTrue(refused.getMessage().contains("schema version 99, newer than this jar knows"), refused.getMessage());
        }
    }

    @Test
    void a_database_holding_only_some_of_our_tables_and_no_history_is_left_alone() throws Exception {
        try (TestDatabase database = TestDatabase.create(dir)) {
            DatabaseSettings settings = database.settings();
            Jdbi.create(dataSource(settings)).useHandle(h -> h.execute("CREATE TABLE orders (merchant_uid TEXT PRIMARY KEY)"));

            DatabaseSetupException refused = assertThrows(DatabaseSetupException.class, () -> Database.open(settings));
            assertTrue(refused.getMessage().contains("it was not made by portone-verify, so it is left alone"), refused.getMessage());
            String tables = settings.dialect() == Dialect.SQLITE
                    ? "SELECT name FROM sqlite_master WHERE type = 'table'"
                    : "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()";
            assertEquals(List.of("orders"), Jdbi.create(dataSource(settings)).withHandle(h ->
                    h.createQuery(tables).mapTo(String.class).list()), "nothing was added to the database");
        }
    }

    @Test
    void a_database_shared_with_another_application_gets_every_migration_beside_its_tables() throws Exception {
        try (TestDatabase database = TestDatabase.create(dir)) {
            DatabaseSettings settings = database.settings();
            Jdbi.create(dataSource(settings)).useHandle(h -> {
                h.execute("CREATE TABLE shop_products (sku TEXT PRIMARY KEY, name TEXT NOT NULL)");
                h.execute("INSERT INTO shop_products VALUES ('kb-01', '기계식 키보드')");
            });

            Migrations.Outcome outcome = Migrations.apply(dataSource(settings), settings.dialect());
            assertFalse(outcome.tookOver());
            assertEquals(latestVersion(settings.dialect()), outcome.version());
            try (Database opened = Database.open(settings)) {
                int orders = opened.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM orders").mapTo(Integer.class).one());
                assertEquals(0, orders);
                assertEquals("기계식 키보드", opened.jdbi().withHandle(h ->
                        h.createQuery("SELECT name FROM shop_products").mapTo(String.class).one()));
            }
        }
    }

    /** The 0.1.0 database to upgrade: the fixture itself on SQLite; on PostgreSQL, 0.1.0's script plus its rows. */
    private TestDatabase releaseDatabase(Path fixture) throws IOException {
        if (!TestDatabase.postgresqlRun()) {
            return TestDatabase.sqliteFile(fixture);
        }
        TestDatabase database = TestDatabase.postgresql();
        Jdbi target = Jdbi.create(dataSource(database.settings()));
        target.useHandle(h -> h.createScript(resource("/db/migration/postgresql/V1__baseline.sql")).execute());
        Jdbi source = Jdbi.create(sqlite("jdbc:sqlite:" + fixture));
        source.useHandle(from -> target.useTransaction(into -> {
            for (String table : RELEASE_0_1.keySet()) {
                for (Map<String, Object> row : from.createQuery("SELECT * FROM " + table).mapToMap().list()) {
                    String columns = String.join(", ", row.keySet());
                    String values = row.keySet().stream().map(c -> pgValue(table, c))
                            .collect(Collectors.joining(", "));
                    var insert = into.createUpdate("INSERT INTO " + table + " (" + columns + ") VALUES (" + values + ")");
                    row.forEach((column, value) -> insert.bind(column, value == null ? null : value.toString()));
                    insert.execute();
                }
                if (RELEASE_0_1.get(table).equals("id")) {
                    into.createQuery("SELECT setval(pg_get_serial_sequence('" + table + "', 'id'), (SELECT max(id) FROM "
                            + table + "))").mapTo(Long.class).one();
                }
            }
        }));
        return database;
    }

    /** SQLite's text (or integer) value of {@code column}, as PostgreSQL's type for it. */
    private static String pgValue(String table, String column) {
        Tables.Kind kind = Tables.ALL.stream().filter(t -> t.name().equals(table)).findFirst().orElseThrow()
                .columns().get(column);
        String text = "CAST(:" + column + " AS text)";
        return switch (kind) {
            case TEXT -> text;
            case WHOLE -> "CAST(" + text + " AS bigint)";
            case MONEY -> "CAST(" + text + " AS numeric)";
            case TIME -> "CAST(" + text + " AS timestamptz)";
            case FLAG -> "CAST(CAST(" + text + " AS integer) AS boolean)";
        };
    }

    /** The fixture's rows as exact values, read straight from the file, before anything touched it. */
    private static Map<String, List<Map<String, Object>>> fixtureRows(Path fixture) {
        Jdbi jdbi = Jdbi.create(sqlite("jdbc:sqlite:" + fixture));
        Map<String, List<Map<String, Object>>> rows = new LinkedHashMap<>();
        for (Map.Entry<String, String> table : RELEASE_0_1.entrySet()) {
            Table known = Tables.ALL.stream().filter(t -> t.name().equals(table.getKey())).findFirst().orElseThrow();
            rows.put(table.getKey(), jdbi.withHandle(h -> h.createQuery("SELECT * FROM " + table.getKey() + " ORDER BY " + table.getValue())
                    .mapToMap().list()).stream().map(raw -> exact(known, raw)).toList());
        }
        return rows;
    }

    private static Map<String, Object> exact(Table table, Map<String, Object> raw) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (Map.Entry<String, Tables.Kind> column : table.columns().entrySet()) {
            if (!raw.containsKey(column.getKey())) {
                continue; // a column added after 0.1.0
            }
            Object value = raw.get(column.getKey());
            row.put(column.getKey(), value == null ? null : switch (column.getValue()) {
                case TEXT -> value.toString();
                case WHOLE -> ((Number) value).longValue();
                case MONEY -> new BigDecimal(value.toString());
                case TIME -> Instant.parse(value.toString());
                case FLAG -> ((Number) value).intValue() != 0;
            });
        }
        return row;
    }

    /** The upgraded table's rows, through the server's own mappers, in key order. */
    private static List<Map<String, Object>> rowsNow(org.jdbi.v3.core.Handle handle, String table) {
        Table known = Tables.ALL.stream().filter(t -> t.name().equals(table)).findFirst().orElseThrow();
        try (var rows = MigrateDb.rows(handle, known)) {
            List<Map<String, Object>> list = new ArrayList<>(rows.map(LinkedHashMap::new).toList());
            list.sort((a, b) -> compareKeys(a.get(known.key()), b.get(known.key())));
            return list;
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compareKeys(Object a, Object b) {
        return ((Comparable) a).compareTo(b);
    }

    private Path copyOfFixture() throws IOException {
        Path copy = Files.createDirectories(dir.resolve("release-0.1.0")).resolve("shop.db");
        try (InputStream in = MigrationsTest.class.getResourceAsStream(FIXTURE)) {
            assertTrue(in != null, FIXTURE + " is missing");
            Files.copy(in, copy);
        }
        return copy;
    }

    private static String latestVersion(Dialect dialect) throws IOException {
        String folder = dialect == Dialect.SQLITE ? "sqlite" : "postgresql";
        try (var files = Files.list(Path.of("src/main/resources/db/migration", folder))) {
            return String.valueOf(files.map(f -> f.getFileName().toString())
                    .mapToInt(name -> Integer.parseInt(name.substring(1, name.indexOf("__")))).max().orElseThrow());
        }
    }

    private static DataSource dataSource(DatabaseSettings settings) {
        if (settings.dialect() == Dialect.SQLITE) {
            return sqlite(settings.url());
        }
        PGSimpleDataSource pg = new PGSimpleDataSource();
        pg.setURL(settings.url());
        return pg;
    }

    private static DataSource sqlite(String url) {
        SQLiteDataSource sqlite = new SQLiteDataSource();
        sqlite.setUrl(url);
        return sqlite;
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = MigrationsTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static Map<String, String> orderedKeys(String... tablesAndKeys) {
        Map<String, String> keys = new LinkedHashMap<>();
        for (int i = 0; i < tablesAndKeys.length; i += 2) {
            keys.put(tablesAndKeys[i], tablesAndKeys[i + 1]);
        }
        return keys;
    }
}
