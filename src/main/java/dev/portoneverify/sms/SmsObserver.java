package dev.portoneverify.sms;

/** Told of every delivery attempt, e.g. to count them in metrics. Must be quick and never throw. */
public interface SmsObserver {
    SmsObserver NONE = new SmsObserver() {
    };

    default void delivered() {
    }

    default void failed() {
    }

    /** The provider refused a message for good; it is not retried. */
    default void rejected() {
    }
}
