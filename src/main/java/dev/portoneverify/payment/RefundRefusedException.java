package dev.portoneverify.payment;

/** A refund the shop asked for that cannot be made as asked: nothing to refund, too much, an account missing. */
public final class RefundRefusedException extends RuntimeException {
    private final String status;

    public RefundRefusedException(String status, String message) {
        super(message);
        this.status = status;
    }

    public String status() {
        return status;
    }
}
