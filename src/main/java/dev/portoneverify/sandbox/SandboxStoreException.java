package dev.portoneverify.sandbox;

/** The sandbox's own database cannot be opened or read; the message is one line fit for a start-up error. */
public final class SandboxStoreException extends RuntimeException {
    SandboxStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
