package dev.portoneverify.portone.v2;

/** A webhook whose Standard Webhooks signature does not hold; the message says which check failed. */
public final class WebhookSignatureException extends RuntimeException {

    public WebhookSignatureException(String message) {
        super(message, null, false, false);
    }
}
