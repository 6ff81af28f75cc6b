package dev.portoneverify.sandbox.v2;

/** What the simulated V2 API refuses, as PortOne does: an HTTP status and a {@code {type, message}} body. */
final class V2Refusal extends RuntimeException {
    private final int httpStatus;
    private final String type;

    V2Refusal(int httpStatus, String type, String message) {
        super(message, null, false, false);
        this.httpStatus = httpStatus;
        this.type = type;
    }

    int httpStatus() {
        return httpStatus;
    }

    String type() {
        return type;
    }
}
