package dev.portoneverify.portone;

/**
 * Root of the failures {@link PortOneClient} throws. Business states (a failed or cancelled payment)
 * are data on {@link Payment}, not exceptions.
 *
 * <p>Messages name the call, HTTP status, PortOne {@code code} and {@code message}, and are safe to log:
 * they never carry the API secret, an access token or a raw response body.
 */
public abstract sealed class PortOneException extends RuntimeException
        permits PortOneAuthException, PortOneNotFoundException, PortOneApiException,
                PortOneUnavailableException, PortOneBadResponseException {

    protected PortOneException(String message, Throwable cause) {
        super(message, cause);
    }
}
