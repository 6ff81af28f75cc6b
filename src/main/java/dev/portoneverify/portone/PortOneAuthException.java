package dev.portoneverify.portone;

/**
 * PortOne rejected the API credentials at {@code /users/getToken}, or rejected an access token twice
 * (once more after fetching a fresh one). Usually a configuration problem, not a transient one.
 */
public final class PortOneAuthException extends PortOneException {

    public PortOneAuthException(String message) {
        super(message, null);
    }
}
