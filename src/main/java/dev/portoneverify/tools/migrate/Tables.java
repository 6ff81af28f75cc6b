package dev.portoneverify.tools.migrate;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every table a shop's data lives in, in foreign-key order, with what each column holds. The two
 * schema files store the same column differently (money is TEXT in SQLite, NUMERIC in PostgreSQL);
 * this is the meaning both share, so rows can be copied from one to the other as exact values.
 * {@link MigrateDb} refuses to run when a database has a column this list lacks, or lacks one it has.
 */
public final class Tables {
    private Tables() {}

    /** The Java type each kind of column is read and written as, through Jdbi's per-database mappers. */
    public enum Kind {
        TEXT(String.class), WHOLE(Long.class), MONEY(BigDecimal.class), TIME(Instant.class), FLAG(Boolean.class);

        final Class<?> type;

        Kind(Class<?> type) {
            this.type = type;
        }
    }

    /** {@code key}: the primary key, the order rows are copied and compared in. */
    public record Table(String name, String key, Map<String, Kind> columns) {}

    /**
     * job_leases is left out on purpose: a lease only means something to the processes running
     * now, and none may run during a migration.
     */
    public static final List<Table> ALL = List.of(
            table("users", "id",
                    "id", Kind.WHOLE, "name", Kind.TEXT, "phone", Kind.TEXT, "vbank_num", Kind.TEXT,
                    "vbank_name", Kind.TEXT, "vbank_holder", Kind.TEXT, "vbank_date", Kind.TIME,
                    "created_at", Kind.TIME),
            table("buyer_tokens", "user_id", "user_id", Kind.WHOLE, "token_hash", Kind.TEXT),
            table("orders", "merchant_uid",
                    "merchant_uid", Kind.TEXT, "user_id", Kind.WHOLE, "name", Kind.TEXT, "amount", Kind.MONEY,
                    "currency", Kind.TEXT, "status", Kind.TEXT, "imp_uid", Kind.TEXT, "created_at", Kind.TIME,
                    "updated_at", Kind.TIME),
            table("payments", "imp_uid",
                    "imp_uid", Kind.TEXT, "merchant_uid", Kind.TEXT, "status", Kind.TEXT, "amount", Kind.MONEY,
                    "cancel_amount", Kind.MONEY, "currency", Kind.TEXT, "pay_method", Kind.TEXT,
                    "sandbox", Kind.FLAG, "paid_at", Kind.TIME, "refund_state", Kind.TEXT,
                    "refund_requested_at", Kind.TIME, "first_seen_at", Kind.TIME, "updated_at", Kind.TIME,
                    "vbank_due", Kind.TIME),
            table("payment_attempts", "payment_id",
                    "payment_id", Kind.TEXT, "merchant_uid", Kind.TEXT, "created_at", Kind.TIME),
            table("payment_history", "id",
                    "id", Kind.WHOLE, "imp_uid", Kind.TEXT, "merchant_uid", Kind.TEXT, "source", Kind.TEXT,
                    "portone_status", Kind.TEXT, "portone_amount", Kind.MONEY, "portone_currency", Kind.TEXT,
                    "expected_amount", Kind.MONEY, "expected_currency", Kind.TEXT, "outcome", Kind.TEXT,
                    "order_changed", Kind.FLAG, "detail", Kind.TEXT, "created_at", Kind.TIME),
            table("sms_outbox", "id",
                    "id", Kind.WHOLE, "dedupe_key", Kind.TEXT, "user_id", Kind.WHOLE, "phone", Kind.TEXT,
                    "message", Kind.TEXT, "created_at", Kind.TIME, "attempts", Kind.WHOLE,
                    "last_error", Kind.TEXT, "next_attempt_at", Kind.TIME, "sent_at", Kind.TIME,
                    "gave_up_at", Kind.TIME),
            // how far reconciliation has listed PortOne's changes: without it the copy's first pass would
            // start over from RECONCILE_WINDOW_HOURS ago
            table("reconcile_position", "name",
                    "name", Kind.TEXT, "listed_until", Kind.TIME, "updated_at", Kind.TIME),
            // the sandbox mark goes along: a migrated sandbox database must not pass for a live one
            table("database_marks", "name", "name", Kind.TEXT, "set_at", Kind.TIME));

    private static Table table(String name, String key, Object... columnsAndKinds) {
        Map<String, Kind> columns = new LinkedHashMap<>();
        for (int i = 0; i < columnsAndKinds.length; i += 2) {
            columns.put((String) columnsAndKinds[i], (Kind) columnsAndKinds[i + 1]);
        }
        return new Table(name, key, Collections.unmodifiableMap(columns));
    }
}
