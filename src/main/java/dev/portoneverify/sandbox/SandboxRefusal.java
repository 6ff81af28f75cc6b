package dev.portoneverify.sandbox;

/**
 * A business rule of the simulated PortOne refused an operation, and nothing changed. The V1 surface
 * answers it as HTTP 200 with code 1 (docs §1.3); the control API as a 4xx with {@link #status()}.
 */
final class SandboxRefusal extends RuntimeException {
    private final String status;

    SandboxRefusal(String status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    /** A snake_case word for the control API, e.g. {@code prepare_mismatch}. */
    String status() {
        return status;
    }
}
