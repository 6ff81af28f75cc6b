package dev.portoneverify.order;

/** PortOne did not register an order's amount; the order must not be created without that protection. */
public final class AmountRegistrationFailedException extends RuntimeException {
    public AmountRegistrationFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
