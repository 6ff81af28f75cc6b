package dev.portoneverify.portone;

/** PortOne answered 404: no payment with that id (or a test-channel payment hidden by {@code include_sandbox}). */
public final class PortOneNotFoundException extends PortOneException {

    public PortOneNotFoundException(String message) {
        super(message, null);
    }
}
