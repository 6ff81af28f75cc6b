package dev.portoneverify.sms;

/**
 * Delivers one text message. Implementations may be slow or fail (throw): the outbox
 * dispatcher calls them off the request path and records failures.
 */
public interface SmsSender {
    void send(String phone, String text);
}
