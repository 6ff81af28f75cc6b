package dev.portoneverify.tools.migrate;

import dev.portoneverify.db.Database;
import dev.portoneverify.db.DatabaseSettings;
import dev.portoneverify.db.DatabaseSetupException;
import java.io.PrintStream;
import java.nio.file.Files;

/**
 * {@code java -jar portone-verify.jar migrate-db --to <jdbc url>}: copies the data of DATABASE_URL
 * (by default the SQLite file) into the empty database at the given URL. Stop the server first:
 * what it writes during the copy would be left behind.
 */
public final class MigrateCommand {
    public static final String USAGE = "usage: java -jar portone-verify.jar migrate-db --to jdbc:postgresql://host:5432/db";

    private MigrateCommand() {}

    /**
     * How the command learns its two databases from the shop's settings (the composition root reads
     * them). Each throws {@link IllegalArgumentException} for a setting it cannot use.
     */
    public interface Databases {
        /** DATABASE_URL and its login: the data to copy. */
        DatabaseSettings source();

        /** The database {@code url} names, with the same login settings; {@code option} names it in errors. */
        DatabaseSettings target(String option, String url);
    }

    /** Returns the exit code: 0 copied, 1 the copy failed (the target is left empty), 2 a usage or setting problem. */
    public static int run(String[] args, Databases databases, PrintStream out, PrintStream err) {
        String to = target(args);
        if (to == null) {
            err.println(USAGE);
            return 2;
        }
        DatabaseSettings source;
        DatabaseSettings target;
        try {
            source = databases.source();
            target = databases.target("--to", to);
            if (source.url().equals(target.url())) {
                throw new IllegalArgumentException("--to names DATABASE_URL itself; give the database to copy into");
            }
            requireExistingFile(source);
        } catch (IllegalArgumentException e) {
            err.println("migrate-db: " + e.getMessage());
            return 2;
        }
        out.println("copying " + source.redactedUrl() + " into " + target.redactedUrl());
        try (Database from = Database.open(source); Database into = Database.open(target)) {
            MigrateDb.Result result = MigrateDb.run(from, into);
            result.rows().forEach((table, rows) -> out.println("  " + table + ": " + rows + " rows"));
            out.println("done, and the row counts match. Start the server with DATABASE_URL=" + target.redactedUrl());
            return 0;
        } catch (MigrationRefusedException | DatabaseSetupException e) {
            err.println("migrate-db: " + e.getMessage());
            return 2;
        } catch (RuntimeException e) {
            err.println("migrate-db failed, and the target was left as it was: " + rootCause(e));
            return 1;
        }
    }

    /**
     * The database's own words, not the exception's: a Jdbi message lists the statement's arguments,
     * which here are customers' names and phone numbers.
     */
    private static String rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    private static String target(String[] args) {
        if (args.length == 3 && args[0].equals("migrate-db") && args[1].equals("--to") && !args[2].isBlank()) {
            return args[2].trim();
        }
        if (args.length == 2 && args[0].equals("migrate-db") && args[1].startsWith("--to=") && args[1].length() > 5) {
            return args[1].substring(5).trim();
        }
        return null;
    }

    /** Opening a SQLite URL creates the file; a mistyped path must not migrate an empty new database. */
    private static void requireExistingFile(DatabaseSettings source) {
        if (source.sqliteFile().filter(file -> !Files.isRegularFile(file)).isPresent()) {
            throw new IllegalArgumentException("DATABASE_URL=" + source.url() + ": no such file to migrate from");
        }
    }
}
