package dev.portoneverify.db;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where the data lives: a SQLite file (the default, one server process) or PostgreSQL (several
 * instances behind a load balancer). {@link #toString()} and {@link #redactedUrl()} never show a password.
 *
 * @param poolSize connections kept to PostgreSQL; SQLite always uses one (see SqliteConnections)
 */
public record DatabaseSettings(String url, String user, String password, int poolSize) {
    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)(password=)[^&;]*");
    private static final Pattern USER_INFO = Pattern.compile("(//[^/:@]*:)[^/@]*@");

    public enum Dialect { SQLITE, POSTGRESQL }

    public static DatabaseSettings sqlite(String url) {
        return new DatabaseSettings(url, null, null, 1);
    }

    public Dialect dialect() {
        return dialectOf(url);
    }

    /** Null when the URL names neither database. */
    public static Dialect dialectOf(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        if (lower.startsWith("jdbc:sqlite:")) {
            return Dialect.SQLITE;
        }
        if (lower.startsWith("jdbc:postgresql:")) {
            return Dialect.POSTGRESQL;
        }
        return null;
    }

    /**
     * The file a SQLite URL names; empty for PostgreSQL and for SQLite URLs that name no plain file
     * ({@code :memory:}, {@code file:} URIs).
     */
    public Optional<Path> sqliteFile() {
        if (dialect() != Dialect.SQLITE) {
            return Optional.empty();
        }
        String target = url.substring("jdbc:sqlite:".length());
        int query = target.indexOf('?');
        if (query >= 0) {
            target = target.substring(0, query);
        }
        if (target.startsWith("file:") || target.startsWith(":memory:") || target.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(Path.of(target));
    }

    /** The URL as it may be logged: a password in it, as a parameter or as user info, becomes ***. */
    public String redactedUrl() {
        return redact(url);
    }

    public static String redact(String url) {
        String noParameter = PASSWORD_PARAMETER.matcher(url).replaceAll("$1***");
        return USER_INFO.matcher(noParameter).replaceAll("$1***@");
    }

    @Override
    public String toString() {
        return "DatabaseSettings[url=%s, user=%s, password=%s, poolSize=%d]"
                .formatted(redactedUrl(), user, password == null ? "unset" : "***", poolSize);
    }
}
