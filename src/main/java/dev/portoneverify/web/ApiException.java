package dev.portoneverify.web;

/**
 * A request the server refuses, with the HTTP status and the {@code {status, message}} body it
 * answers. Thrown by handlers at the HTTP edge and mapped to a response in {@link App}.
 */
public final class ApiException extends RuntimeException {
    private final int httpStatus;
    private final String status;

    public ApiException(int httpStatus, String status, String message) {
        super(message, null, false, false);
        this.httpStatus = httpStatus;
        this.status = status;
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, "invalid_request", message);
    }

    public static ApiException notFound(String status, String message) {
        return new ApiException(404, status, message);
    }

    public int httpStatus() {
        return httpStatus;
    }

    public String status() {
        return status;
    }
}
