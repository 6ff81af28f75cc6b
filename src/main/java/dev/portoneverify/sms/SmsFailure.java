package dev.portoneverify.sms;

/**
 * Why a provider did not take a message, split by what the outbox should do about it: send it
 * again later ({@link RetryLater}) or never ({@link Rejected}). Messages never hold the secret.
 */
public abstract sealed class SmsFailure extends RuntimeException permits SmsFailure.RetryLater, SmsFailure.Rejected {
    private final String code;

    private SmsFailure(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** The provider's own error or status code, or one of ours ({@code network}, {@code timeout}, {@code http_503}). */
    public String code() {
        return code;
    }

    /** The network, a 5xx, a rate limit, a low balance: the same message may go through later. */
    public static final class RetryLater extends SmsFailure {
        public RetryLater(String code, String message, Throwable cause) {
            super(code, message, cause);
        }
    }

    /**
     * Sending the same message again cannot succeed (a bad number, an unregistered sender number,
     * rejected credentials): the outbox stops trying and the admin API lists it.
     */
    public static final class Rejected extends SmsFailure {
        public Rejected(String code, String message) {
            super(code, message, null);
        }
    }
}
