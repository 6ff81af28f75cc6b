package dev.portoneverify.portone;

/**
 * PortOne's answer did not have the documented shape (not JSON, no integer {@code code}, or a payment
 * missing required fields). The body itself is deliberately not kept: it may hold a token.
 */
public final class PortOneBadResponseException extends PortOneException {
    private final int httpStatus;

    public PortOneBadResponseException(String message, int httpStatus) {
        super(message, null);
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
