package dev.portoneverify.payment;

import dev.portoneverify.portone.PortOneVersion;

/** Told of every verification and refund, e.g. to count them in metrics. Must be quick and never throw. */
public interface VerificationObserver {
    VerificationObserver NONE = new VerificationObserver() {
    };

    default void verified(Source source, Verdict verdict) {
    }

    /** The same, knowing which PortOne generation the payment belongs to. */
    default void verified(Source source, Verdict verdict, PortOneVersion version) {
        verified(source, verdict);
    }

    default void refunded(boolean succeeded) {
    }

    default void webhookReceived() {
    }
}
