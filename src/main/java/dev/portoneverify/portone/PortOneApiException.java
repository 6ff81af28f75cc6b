package dev.portoneverify.portone;

/**
 * PortOne refused the request with a non-zero {@code code}. Note that refusals such as a stale cancel
 * checksum arrive as HTTP 200 with {@code code} 1.
 */
public final class PortOneApiException extends PortOneException {
    private final int httpStatus;
    private final int code;
    private final String portoneMessage;
    private final String type;

    public PortOneApiException(String message, int httpStatus, int code, String portoneMessage) {
        this(message, httpStatus, code, portoneMessage, null);
    }

    private PortOneApiException(String message, int httpStatus, int code, String portoneMessage, String type) {
        super(message, null);
        this.httpStatus = httpStatus;
        this.code = code;
        this.portoneMessage = portoneMessage;
        this.type = type;
    }

    /** A V2 refusal: {@code {type, message}} instead of V1's envelope with a {@code code}. */
    public static PortOneApiException v2(String message, int httpStatus, String type, String portoneMessage) {
        return new PortOneApiException(message, httpStatus, 0, portoneMessage, type);
    }

    /** V2's error {@code type}, e.g. {@code CANCELLABLE_AMOUNT_CONSISTENCY_BROKEN}; null for V1. */
    public String type() {
        return type;
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
