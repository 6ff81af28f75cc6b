package dev.portoneverify.portone;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Keeps lookups of one imp_uid from multiplying into PortOne calls (issue 15): callers that ask for
 * an imp_uid while a lookup of it is in flight share that lookup's answer, and an imp_uid PortOne
 * just called unknown is answered "unknown" again without asking, for {@code unknownFor}.
 *
 * <p>Only in-flight answers are shared, never kept: a payment's state changes (a deposit, a
 * cancel), and a webhook about the change must see PortOne's answer from after it. "Unknown" is
 * kept briefly because it is what made-up imp_uids get, over and over; a real payment PortOne did
 * not know a moment ago is still found by the reconciler, by its merchant_uid.
 *
 * <p>Thread-safe. At most {@link #MAX_REMEMBERED} unknown imp_uids are remembered; the oldest go first.
 */
final class PaymentLookups {
    static final int MAX_REMEMBERED = 10_000;

    private final Clock clock;
    private final Duration unknownFor;
    private final Map<String, CompletableFuture<Payment>> inFlight = new ConcurrentHashMap<>();
    private final Map<String, Instant> unknownUntil = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
            return size() > MAX_REMEMBERED;
        }
    };

    PaymentLookups(Clock clock, Duration unknownFor) {
        this.clock = clock;
        this.unknownFor = unknownFor;
    }

    /** PortOne's payment for {@code impUid}, from {@code fetch} or from a caller already fetching it. */
    Payment get(String impUid, Function<String, Payment> fetch) {
        if (recentlyUnknown(impUid)) {
            throw new PortOneNotFoundException("PortOne knows no payment with this imp_uid (answered within the last "
                    + unknownFor.toSeconds() + " s; not asked again)");
        }
        CompletableFuture<Payment> mine = new CompletableFuture<>();
        CompletableFuture<Payment> running = inFlight.putIfAbsent(impUid, mine);
        if (running != null) {
            return join(running);
        }
        try {
            Payment payment = fetch.apply(impUid);
            mine.complete(payment);
            return payment;
        } catch (PortOneNotFoundException e) {
            remember(impUid);
            mine.completeExceptionally(e);
            throw e;
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(impUid, mine);
        }
    }

    private static Payment join(CompletableFuture<Payment> running) {
        try {
            return running.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    private boolean recentlyUnknown(String impUid) {
        synchronized (unknownUntil) {
            Instant until = unknownUntil.get(impUid);
            if (until == null) {
                return false;
            }
            if (clock.instant().isBefore(until)) {
                return true;
            }
            unknownUntil.remove(impUid);
            return false;
        }
    }

    private void remember(String impUid) {
        if (unknownFor.isZero()) {
            return;
        }
        synchronized (unknownUntil) {
            unknownUntil.remove(impUid);
            unknownUntil.put(impUid, clock.instant().plus(unknownFor));
        }
    }
}
