package dev.portoneverify.tools.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portoneverify.Main;
import dev.portoneverify.db.Database;
import dev.portoneverify.db.DatabaseSettings;
import dev.portoneverify.testsupport.TestDatabase;
import dev.portoneverify.testsupport.TestServer;
import dev.portoneverify.tools.migrate.Tables.Table;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `migrate-db --to` moves a shop's SQLite file into the database under test: PostgreSQL in the
 * PostgreSQL run of the suite, another SQLite file in the SQLite run.
 */
class MigrateDbTest {
    @TempDir
    Path dir;
    private String sqliteUrl;
    private TestDatabase target;

    @BeforeEach
    void shopWithHistory() throws Exception {
        sqliteUrl = "jdbc:sqlite:" + dir.resolve("shop.db");
        target = TestDatabase.create(dir);
        try (TestServer shop = TestServer.start(Map.of("DATABASE_URL", sqliteUrl))) {
            String paid = shop.createOrder(15000);
            shop.portone.pay("imp_800000000001", paid, 15000);
            assertEquals("success", shop.complete("imp_800000000001", paid).text("status"));

            String vbank = shop.createOrder(50000);
            shop.portone.issueVbank("imp_800000000002", vbank, 50000);
            assertEquals("vbankIssued", shop.webhook("imp_800000000002", vbank, "ready").text("status"));
            shop.sms.awaitSent(1);

            String forged = shop.createOrder(50000);
            shop.portone.payTampered("imp_800000000003", forged, 500, null);
            assertEquals("forgery", shop.complete("imp_800000000003", forged).text("status"));

            long buyer = shop.createUser("Jane Doe", "010-9999-0000");
            String dollars = shop.createOrder(buyer, Map.of("user_id", buyer, "name", "USB cable",
                    "amount", new BigDecimal("14.20"), "currency", "USD"));
            assertEquals("pending", shop.orderStatus(dollars));

            shop.webhook("imp_800000000099", "order_nobody_knows", "paid"); // history without an order
            shop.reconciler().runOnce();   // a reconciliation position
            awaitSmsBookkeeping();
        }
        // a live shop has no sandbox mark; a mark of another name gives database_marks a row to carry over
        try (Database shop = Database.open(DatabaseSettings.sqlite(sqliteUrl))) {
            shop.jdbi().useHandle(h -> h.createUpdate("INSERT INTO database_marks (name, set_at) VALUES ('example', :at)")
                    .bind("at", java.time.Instant.parse("2026-11-30T12:00:00Z")).execute());
            // a V2 paymentId issued for an order (POST /orders/{merchant_uid}/checkout)
            shop.jdbi().useHandle(h -> h.createUpdate("INSERT INTO payment_attempts (payment_id, merchant_uid, created_at) "
                    + "SELECT 'pay_0123456789abcdef0123456789abcdef', merchant_uid, :at FROM orders ORDER BY merchant_uid LIMIT 1")
                    .bind("at", java.time.Instant.parse("2026-11-30T12:00:01Z")).execute());
        }
    }

    @AfterEach
    void dropTarget() {
        target.close();
    }

    @Test
    void every_row_of_every_table_arrives_with_the_same_values() {
        Output output = migrate("migrate-db", "--to", target.url());

        assertEquals(0, output.code(), output.err());
        try (Database from = Database.open(DatabaseSettings.sqlite(sqliteUrl)); Database into = Database.open(target.settings())) {
            for (Table table : Tables.ALL) {
                List<Map<String, Object>> expected = sorted(from, table);
                List<Map<String, Object>> actual = sorted(into, table);
                assertFalse(expected.isEmpty(), "the shop has no " + table.name() + " to prove anything with");
                // BigDecimal.equals compares the scale too: no amount may gain or lose trailing zeros
                assertEquals(expected, actual, table.name());
                assertTrue(output.out().contains(table.name() + ": " + expected.size() + " rows"), output.out());
            }
        }
    }

    @Test
    void the_server_carries_on_with_the_migrated_data() {
        assertEquals(0, migrate("migrate-db", "--to", target.url()).code());

        try (TestServer moved = TestServer.start(Map.of("DATABASE_URL", target.url()))) {
            assertEquals(4, moved.rows("users"));
            long next = moved.createUser("새 고객", "010-1111-2222");
            assertEquals(5, next, "new ids continue after the migrated ones");
            assertEquals(1, moved.rows("sms_outbox"));
            String order = moved.createOrder(next, Map.of("user_id", next, "name", "새 주문", "amount", 1000));
            moved.portone.pay("imp_800000000010", order, 1000);
            assertEquals("success", moved.complete("imp_800000000010", order).text("status"));
        }
    }

    @Test
    void a_target_that_already_holds_data_is_refused_and_left_as_it_was() {
        assertEquals(0, migrate("migrate-db", "--to", target.url()).code());

        Output again = migrate("migrate-db", "--to", target.url());

        assertEquals(2, again.code());
        assertTrue(again.err().contains("already holds data"), again.err());
        try (Database into = Database.open(target.settings())) {
            assertEquals(4, (int) into.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM users").mapTo(Integer.class).one()));
        }
    }

    @Test
    void a_missing_source_file_or_a_malformed_command_changes_nothing() {
        Output noFile = migrate(Map.of("DATABASE_URL", "jdbc:sqlite:" + dir.resolve("typo.db")), "migrate-db", "--to", target.url());
        Output noTarget = migrate("migrate-db");
        Output badTarget = migrate("migrate-db", "--to", "postgres://db/shop");

        assertEquals(2, noFile.code());
        assertTrue(noFile.err().contains("no such file"), noFile.err());
        assertFalse(dir.resolve("typo.db").toFile().exists());
        assertEquals(2, noTarget.code());
        assertTrue(noTarget.err().startsWith("usage:"), noTarget.err());
        assertEquals(2, badTarget.code());
        assertTrue(badTarget.err().contains("--to=postgres://db/shop is neither"), badTarget.err());
    }

    private record Output(int code, String out, String err) {}

    private Output migrate(String... args) {
        return migrate(Map.of("DATABASE_URL", sqliteUrl), args);
    }

    private static Output migrate(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, String> all = new HashMap<>(env);
        int code = MigrateCommand.run(args, Main.migrationDatabases(all), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Output(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** In primary key order, sorted here: the two databases may collate text differently. */
    private static List<Map<String, Object>> sorted(Database database, Table table) {
        return database.jdbi().withHandle(h -> {
            try (Stream<Map<String, Object>> rows = MigrateDb.rows(h, table)) {
                return rows.sorted(Comparator.comparing(row -> String.valueOf(row.get(table.key())),
                                Comparator.comparing((String key) -> key.length()).thenComparing(Comparator.naturalOrder())))
                        .collect(Collectors.toList());
            }
        });
    }

    /** The dispatcher marks the SMS sent just after the provider took it. */
    private void awaitSmsBookkeeping() throws InterruptedException {
        try (Database shop = Database.open(DatabaseSettings.sqlite(sqliteUrl))) {
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (shop.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM sms_outbox WHERE sent_at IS NULL")
                    .mapTo(Integer.class).one()) > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        }
    }
}
