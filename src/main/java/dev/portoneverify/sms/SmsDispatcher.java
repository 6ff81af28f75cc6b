package dev.portoneverify.sms;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends what the outbox holds, on one background thread, so a slow or failing SMS provider never
 * delays a verification. No message is sent twice, by this process or by another server instance
 * on the same database: each is claimed before it is sent. A failed message is retried with
 * exponential backoff (5 s, 10 s, 20 s ... at most 1 h) up to {@value #MAX_ATTEMPTS} attempts, unless
 * the provider refused it for good ({@link SmsFailure.Rejected}): that one is marked and never tried
 * again. A message marked sent is never sent again, also after a restart.
 */
public final class SmsDispatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SmsDispatcher.class);
    public static final int MAX_ATTEMPTS = 10;
    private static final Duration FIRST_RETRY = Duration.ofSeconds(5);
    private static final Duration LONGEST_RETRY = Duration.ofHours(1);
    /** How long a claimed message is left to its sender before another may try it. */
    private static final Duration CLAIM_TIME = Duration.ofMinutes(5);

    private final SmsOutboxDao outbox;
    private final SmsSender sender;
    private final Clock clock;
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "sms-dispatcher");
        thread.setDaemon(true);
        return thread;
    });

    private final SmsObserver observer;

    public SmsDispatcher(SmsOutboxDao outbox, SmsSender sender, Clock clock) {
        this(outbox, sender, clock, SmsObserver.NONE);
    }

    public SmsDispatcher(SmsOutboxDao outbox, SmsSender sender, Clock clock, SmsObserver observer) {
        this.observer = observer;
        this.outbox = outbox;
        this.sender = sender;
        this.clock = clock;
    }

    /** Drains now, and then every {@code interval} to pick up retries whose backoff has passed. */
    public void start(Duration interval) {
        worker.scheduleWithFixedDelay(this::drainSafely, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Asks the worker to drain the outbox soon; returns at once. */
    public void wake() {
        if (!worker.isShutdown()) {
            worker.execute(this::drainSafely);
        }
    }

    /** Runs {@code task} on the dispatcher's thread once the work queued before it is done. */
    void afterPendingWork(Runnable task) {
        worker.execute(task);
    }

    private void drainSafely() {
        try {
            drain();
        } catch (RuntimeException e) {
            // e.g. the database is briefly unavailable: the next run tries again; a scheduled task
            // that throws would never run again
            log.error("SMS outbox drain failed", e);
        }
    }

    private void drain() {
        for (OutboxMessage message : outbox.due(clock.instant(), MAX_ATTEMPTS, 100)) {
            Instant now = clock.instant();
            if (outbox.claim(message.id(), now, now.plus(CLAIM_TIME)) == 0) {
                continue; // another instance on the same database is sending it
            }
            try {
                sender.send(message.phone(), message.message());
            } catch (SmsFailure.Rejected e) {
                log.warn("SMS {} to {} refused for good, not retried (listed by GET /admin/sms/failed): {} {}", message.id(),
                        Phones.mask(message.phone()), e.code(), e.getMessage());
                outbox.markGaveUp(message.id(), e.code() + ": " + e.getMessage(), clock.instant());
                observer.rejected();
                continue;
            } catch (RuntimeException e) {
                Instant retryAt = clock.instant().plus(backoff(message.attempts()));
                String error = e instanceof SmsFailure failure ? failure.code() + ": " + failure.getMessage() : e.toString();
                log.warn("SMS {} to {} failed (attempt {} of {}), next try after {}: {}", message.id(),
                        Phones.mask(message.phone()), message.attempts() + 1, MAX_ATTEMPTS, retryAt, error);
                outbox.markFailed(message.id(), error, retryAt);
                observer.failed();
                continue;
            }
            outbox.markSent(message.id(), clock.instant());
            observer.delivered();
        }
    }

    static Duration backoff(int failedAttempts) {
        Duration wait = FIRST_RETRY.multipliedBy(1L << Math.min(failedAttempts, 20));
        return wait.compareTo(LONGEST_RETRY) > 0 ? LONGEST_RETRY : wait;
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
