package dev.portoneverify.portone;

/**
 * No answer within the request (or connect) timeout. For a cancel this means the outcome is unknown:
 * look the payment up before trying again.
 */
public final class PortOneTimeoutException extends PortOneUnavailableException {

    public PortOneTimeoutException(String message, Throwable cause) {
        super(message, 0, cause);
    }
}
