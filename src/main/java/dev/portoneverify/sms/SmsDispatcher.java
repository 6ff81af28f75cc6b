package dev.portoneverify.sms;

import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends what the outbox holds, on one background thread, so a slow or failing SMS provider never
 * delays a verification and no message is sent twice by this process. A message whose sending
 * failed stays in the outbox and is tried again on the next wake-up (after the next transition,
 * or at the next start).
 */
public final class SmsDispatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SmsDispatcher.class);
    private static final int MAX_ATTEMPTS = 5;

    private final SmsOutboxDao outbox;
    private final SmsSender sender;
    private final Clock clock;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "sms-dispatcher");
        thread.setDaemon(true);
        return thread;
    });

    public SmsDispatcher(SmsOutboxDao outbox, SmsSender sender, Clock clock) {
        this.outbox = outbox;
        this.sender = sender;
        this.clock = clock;
    }

    /** Asks the worker to drain the outbox; returns at once. */
    public void wake() {
        if (!worker.isShutdown()) {
            worker.execute(this::drain);
        }
    }

    private void drain() {
        for (OutboxMessage message : outbox.unsent(100)) {
            if (message.attempts() >= MAX_ATTEMPTS) {
                continue;
            }
            try {
                sender.send(message.phone(), message.message());
                outbox.markSent(message.id(), clock.instant());
            } catch (RuntimeException e) {
                log.warn("SMS {} to {} failed (attempt {}): {}", message.id(), Phones.mask(message.phone()),
                        message.attempts() + 1, e.toString());
                outbox.markFailed(message.id(), e.toString());
            }
        }
    }

    @Override
    public void close() {
        worker.shutdown();
        try {
            worker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
