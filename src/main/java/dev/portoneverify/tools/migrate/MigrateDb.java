package dev.portoneverify.tools.migrate;

import dev.portoneverify.db.Database;
import dev.portoneverify.db.DatabaseSettings.Dialect;
import dev.portoneverify.tools.migrate.Tables.Kind;
import dev.portoneverify.tools.migrate.Tables.Table;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.ColumnMapper;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Copies a shop's data from one database into another, empty one: SQLite to PostgreSQL when a shop
 * outgrows one machine (and back, or SQLite to SQLite, as a copy). Every row keeps its values
 * exactly, ids included; the copy is one transaction on the target, so a failure leaves it empty.
 * Both schemas are applied first, so the target needs no preparation.
 */
public final class MigrateDb {
    private static final int BATCH = 500;

    private MigrateDb() {}

    /** Rows copied per table, in {@link Tables#ALL} order. */
    public record Result(Map<String, Integer> rows) {}

    /** Throws {@link MigrationRefusedException} when a database is not one this version knows, or the target holds data. */
    public static Result run(Database source, Database target) {
        for (Table table : Tables.ALL) {
            checkColumns(source, table, "source");
            checkColumns(target, table, "target");
        }
        for (Table table : Tables.ALL) {
            int rows = target.jdbi().withHandle(h -> count(h, table));
            if (rows > 0) {
                throw new MigrationRefusedException("the target already holds data (" + rows + " rows in " + table.name()
                        + "); migrate-db only fills an empty database");
            }
        }
        Map<String, Integer> copied = new LinkedHashMap<>();
        target.jdbi().useTransaction(into -> source.jdbi().useHandle(from -> {
            for (Table table : Tables.ALL) {
                copied.put(table.name(), copy(from, into, table));
            }
            if (target.dialect() == Dialect.POSTGRESQL) {
                continueIdentities(into);
            }
            // still inside the transaction: a mismatch rolls the whole copy back
            for (Table table : Tables.ALL) {
                int there = count(into, table);
                if (there != copied.get(table.name())) {
                    throw new IllegalStateException(table.name() + ": copied " + copied.get(table.name())
                            + " rows but the target holds " + there);
                }
            }
        }));
        return new Result(copied);
    }

    /** Every row of {@code table}, each as column to exact value (String, Long, BigDecimal, Instant, Boolean). */
    public static Stream<Map<String, Object>> rows(Handle handle, Table table) {
        List<String> columns = List.copyOf(table.columns().keySet());
        return handle.createQuery("SELECT " + String.join(", ", columns) + " FROM " + table.name())
                .map((rs, ctx) -> {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 0; i < columns.size(); i++) {
                        row.put(columns.get(i), mapper(ctx, table.columns().get(columns.get(i))).map(rs, i + 1, ctx));
                    }
                    return row;
                })
                .stream();
    }

    private static int copy(Handle from, Handle into, Table table) {
        List<String> columns = List.copyOf(table.columns().keySet());
        String insert = "INSERT INTO " + table.name() + " (" + String.join(", ", columns) + ") VALUES (:"
                + String.join(", :", columns) + ")";
        int[] copied = {0};
        PreparedBatch[] batch = {into.prepareBatch(insert)};
        try (Stream<Map<String, Object>> rows = rows(from, table)) {
            rows.forEach(row -> {
                for (String column : columns) {
                    batch[0].bindByType(column, row.get(column), table.columns().get(column).type);
                }
                batch[0].add();
                if (++copied[0] % BATCH == 0) {
                    batch[0].execute();
                    batch[0] = into.prepareBatch(insert);
                }
            });
        }
        if (batch[0].size() > 0) {
            batch[0].execute();
        }
        return copied[0];
    }

    /** Rows were inserted with their ids; the next id PostgreSQL hands out must come after them. */
    private static void continueIdentities(Handle into) {
        for (Table table : Tables.ALL) {
            if (table.key().equals("id")) {
                into.createQuery("SELECT setval(pg_get_serial_sequence('" + table.name() + "', 'id'), "
                        + "(SELECT COALESCE(MAX(id), 0) + 1 FROM " + table.name() + "), false)").mapTo(Long.class).one();
            }
        }
    }

    private static void checkColumns(Database database, Table table, String side) {
        Set<String> actual = database.jdbi().withHandle(h -> h.createQuery("SELECT * FROM " + table.name() + " WHERE 1 = 0")
                .scanResultSet((supplier, ctx) -> {
                    try {
                        ResultSetMetaData meta = supplier.get().getMetaData();
                        Set<String> names = new TreeSet<>();
                        for (int i = 1; i <= meta.getColumnCount(); i++) {
                            names.add(meta.getColumnName(i).toLowerCase(Locale.ROOT));
                        }
                        return names;
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                }));
        Set<String> known = new TreeSet<>(table.columns().keySet());
        if (!actual.equals(known)) {
            throw new MigrationRefusedException("the " + side + " table " + table.name() + " has columns " + actual
                    + " but this version of migrate-db copies " + known);
        }
    }

    private static int count(Handle handle, Table table) {
        return handle.createQuery("SELECT count(*) FROM " + table.name()).mapTo(Integer.class).one();
    }

    private static ColumnMapper<?> mapper(StatementContext ctx, Kind kind) {
        return ctx.findColumnMapperFor(kind.type)
                .orElseThrow(() -> new IllegalStateException("no column mapper for " + kind.type));
    }
}
