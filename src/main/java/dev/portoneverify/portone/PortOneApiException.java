package dev.portoneverify.portone;

/**
 * PortOne refused the request with a non-zero {@code code}. Note that refusals such as a stale cancel
 * checksum arrive as HTTP 200 with {@code code} 1.
 */
public final class PortOneApiException extends PortOneException {
    private final int httpStatus;
    private final int code;
    private final String portoneMessage;

    public PortOneApiException(String message, int httpStatus, int code, String portoneMessage) {
        super(message, null);
        this.httpStatus = httpStatus;
        this.code = code;
        this.portoneMessage = portoneMessage;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public int code() {
        return code;
    }

    /** PortOne's own (usually Korean) explanation; may be null. */
    public String portoneMessage() {
        return portoneMessage;
    }
}
