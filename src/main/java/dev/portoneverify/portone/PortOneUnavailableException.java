package dev.portoneverify.portone;

/** PortOne could not be reached, or answered 5xx. Worth retrying later; the payment state is unknown. */
public non-sealed class PortOneUnavailableException extends PortOneException {
    private final int httpStatus;

    public PortOneUnavailableException(String message, int httpStatus, Throwable cause) {
        super(message, cause);
        this.httpStatus = httpStatus;
    }

    /** The 5xx status, or 0 when no answer arrived. */
    public int httpStatus() {
        return httpStatus;
    }
}
