package dev.portoneverify.payment;

/** Told of every verification and refund, e.g. to count them in metrics. Must be quick and never throw. */
public interface VerificationObserver {
    VerificationObserver NONE = new VerificationObserver() {
    };

    default void verified(Source source, Verdict verdict) {
    }

    default void refunded(boolean succeeded) {
    }

    default void webhookReceived() {
    }
}
