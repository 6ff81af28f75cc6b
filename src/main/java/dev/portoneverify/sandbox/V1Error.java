package dev.portoneverify.sandbox;

/**
 * An error answer of the V1 surface: HTTP status plus the envelope's integer {@code code} and message
 * (docs §1.3). Thrown by {@link V1Routes} and written as {@code {code, message, response: null}} in one place.
 */
final class V1Error extends RuntimeException {
    private final int httpStatus;
    private final int code;

    V1Error(int httpStatus, int code, String message) {
        super(message, null, false, false);
        this.httpStatus = httpStatus;
        this.code = code;
    }

    /** The real 401 body was never captured; this shape is the doc's simulator choice (§1.3). */
    static V1Error unauthorized() {
        return new V1Error(401, -1, "Unauthorized");
    }

    static V1Error badRequest(String message) {
        return new V1Error(400, -1, message);
    }

    static V1Error notFound(String message) {
        return new V1Error(404, -1, message);
    }

    int httpStatus() {
        return httpStatus;
    }

    int code() {
        return code;
    }
}
