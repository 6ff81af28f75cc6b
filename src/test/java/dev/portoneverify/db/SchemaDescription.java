package dev.portoneverify.db;

import dev.portoneverify.db.DatabaseSettings.Dialect;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;

/**
 * A database's schema as comparable lines: every table's columns (name, type, nullability, default,
 * key), constraints (checks, uniques, foreign keys) and indexes, in a fixed order. Flyway's history
 * table is left out: it is the one difference between a migrated database and the schema file.
 */
final class SchemaDescription {
    private static final Pattern CHECK = Pattern.compile("(?i)\\bCHECK\\s*\\(");

    private SchemaDescription() {}

    static List<String> of(Handle handle, Dialect dialect) {
        return dialect == Dialect.SQLITE ? sqlite(handle) : postgresql(handle);
    }

    private static List<String> sqlite(Handle handle) {
        List<String> lines = new ArrayList<>();
        List<String> tables = handle.createQuery("""
                SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> :history
                 ORDER BY name""").bind("history", Migrations.HISTORY_TABLE).mapTo(String.class).list();
        for (String table : tables) {
            lines.add("table " + table);
            handle.createQuery("SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info(:t) ORDER BY cid")
                    .bind("t", table)
                    .map((rs, ctx) -> "  column " + rs.getString(1) + " " + rs.getString(2) + " notnull=" + rs.getInt(3)
                            + " default=" + rs.getString(4) + " pk=" + rs.getInt(5))
                    .forEach(lines::add);
            handle.createQuery("""
                    SELECT "table", "from", "to", on_update, on_delete FROM pragma_foreign_key_list(:t) ORDER BY id, seq""")
                    .bind("t", table)
                    .map((rs, ctx) -> "  foreign key " + rs.getString(2) + " -> " + rs.getString(1) + "(" + rs.getString(3)
                            + ") on update " + rs.getString(4) + " on delete " + rs.getString(5))
                    .forEach(lines::add);
            String sql = handle.createQuery("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = :t")
                    .bind("t", table).mapTo(String.class).one();
            checks(sql).forEach(check -> lines.add("  check " + check));
            handle.createQuery("""
                    SELECT il.name, il."unique", il.origin, il.partial, m.sql FROM pragma_index_list(:t) il
                      LEFT JOIN sqlite_master m ON m.type = 'index' AND m.name = il.name
                     ORDER BY il.origin, il.name""")
                    .bind("t", table)
                    .map((rs, ctx) -> {
                        String name = rs.getString(1);
                        String columns = String.join(",", handle.createQuery("SELECT name FROM pragma_index_info(:i) ORDER BY seqno")
                                .bind("i", name).mapTo(String.class).list());
                        // automatic indexes (UNIQUE, PRIMARY KEY) are named by position; describe them by their columns
                        String label = rs.getString(3).equals("c") ? name : rs.getString(3);
                        return "  index " + label + " (" + columns + ") unique=" + rs.getInt(2) + " partial=" + rs.getInt(4)
                                + (rs.getString(5) == null ? "" : " " + normalize(rs.getString(5)));
                    })
                    .forEach(lines::add);
        }
        return lines;
    }

    private static List<String> postgresql(Handle handle) {
        List<String> lines = new ArrayList<>();
        handle.createQuery("""
                SELECT table_name, column_name, data_type, is_nullable, column_default, is_identity, identity_generation
                  FROM information_schema.columns
                 WHERE table_schema = current_schema() AND table_name <> :history
                 ORDER BY table_name, ordinal_position""")
                .bind("history", Migrations.HISTORY_TABLE)
                .map((rs, ctx) -> rs.getString(1) + " column " + rs.getString(2) + " " + rs.getString(3) + " nullable="
                        + rs.getString(4) + " default=" + rs.getString(5) + " identity=" + rs.getString(6) + "/" + rs.getString(7))
                .forEach(lines::add);
        handle.createQuery("""
                SELECT conrelid::regclass::text, contype, pg_get_constraintdef(oid) FROM pg_constraint
                 WHERE connamespace = current_schema()::regnamespace AND conrelid::regclass::text <> :history
                 ORDER BY 1, 2, 3""")
                .bind("history", Migrations.HISTORY_TABLE)
                .map((rs, ctx) -> rs.getString(1) + " constraint " + rs.getString(2) + " " + rs.getString(3))
                .forEach(lines::add);
        handle.createQuery("""
                SELECT tablename, indexname, replace(indexdef, current_schema() || '.', '') FROM pg_indexes
                 WHERE schemaname = current_schema() AND tablename <> :history ORDER BY 1, 2""")
                .bind("history", Migrations.HISTORY_TABLE)
                .map((rs, ctx) -> rs.getString(1) + " index " + rs.getString(2) + " " + rs.getString(3))
                .forEach(lines::add);
        return lines;
    }

    /** The CHECK (...) clauses of a CREATE TABLE, with balanced parentheses; SQLite has no catalog of them. */
    static List<String> checks(String createTable) {
        List<String> checks = new ArrayList<>();
        String sql = createTable.replaceAll("--[^\n]*", "");
        Matcher m = CHECK.matcher(sql);
        while (m.find()) {
            int depth = 0;
            int i = m.end() - 1;
            int start = i;
            for (; i < sql.length(); i++) {
                if (sql.charAt(i) == '(') {
                    depth++;
                } else if (sql.charAt(i) == ')' && --depth == 0) {
                    break;
                }
            }
            checks.add(normalize(sql.substring(start, Math.min(i + 1, sql.length()))));
        }
        checks.sort(null);
        return checks;
    }

    private static String normalize(String sql) {
        return sql.replaceAll("--[^\n]*", "").replaceAll("\\s+", " ").replaceAll("\\( ", "(").replaceAll(" \\)", ")")
                .trim().toLowerCase(Locale.ROOT).replace("if not exists ", "");
    }
}
