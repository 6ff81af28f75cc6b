package dev.portoneverify.testsupport;

import dev.portoneverify.sms.SmsFailure;
import dev.portoneverify.sms.SmsSender;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An SMS provider that keeps what it was asked to send. */
public final class RecordingSmsSender implements SmsSender {
    public record Sms(String phone, String text) {}

    private final List<Sms> sent = new CopyOnWriteArrayList<>();
    private volatile long delayMillis;
    private volatile SmsFailure.Rejected refusal;

    @Override
    public void send(String phone, String text) {
        if (delayMillis > 0) {
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while sending", e);
            }
        }
        if (refusal != null) {
            throw refusal;
        }
        sent.add(new Sms(phone, text));
    }

    /** A provider that refuses every message for good (e.g. an unregistered sender number), until set back to null. */
    public void refuse(SmsFailure.Rejected refusal) {
        this.refusal = refusal;
    }

    /** A provider that takes this long per message, so that a second sender can come along meanwhile. */
    public void delayMillis(long millis) {
        delayMillis = millis;
    }

    public List<Sms> sent() {
        return List.copyOf(sent);
    }

    /** The dispatcher sends in the background: wait (bounded) until {@code count} messages went out. */
    public List<Sms> awaitSent(int count) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (sent.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return sent();
    }
}
