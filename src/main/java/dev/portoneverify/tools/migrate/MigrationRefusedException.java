package dev.portoneverify.tools.migrate;

/** migrate-db will not copy: a database is not one this version knows, or the target holds data. */
public final class MigrationRefusedException extends RuntimeException {
    public MigrationRefusedException(String message) {
        super(message);
    }
}
