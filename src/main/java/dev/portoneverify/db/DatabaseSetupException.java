package dev.portoneverify.db;

/**
 * The database named by the settings cannot be used at all: not reachable, its folder cannot be
 * created, or the URL names no database this server knows. Start-up stops with its message, which
 * never holds a password.
 */
public final class DatabaseSetupException extends RuntimeException {
    public DatabaseSetupException(String message) {
        super(message);
    }
}
