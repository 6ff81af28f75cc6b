package dev.portoneverify.portone;

import dev.portoneverify.concurrent.Futures;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
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

    /**
     * PortOne's payment for {@code impUid}, from {@code fetch} or from a caller already fetching it. The
     * shared lookup is a future, so a caller waiting for another's answer holds no thread; each caller
     * gets a copy of it, so that one giving up (cancelling its copy) cannot fail the others.
     */
    CompletableFuture<Payment> get(String impUid, Function<String, CompletableFuture<Payment>> fetch) {
        if (recentlyUnknown(impUid)) {
            return CompletableFuture.failedFuture(new PortOneNotFoundException("PortOne knows no payment with this "
                    + "imp_uid (answered within the last " + unknownFor.toSeconds() + " s; not asked again)"));
        }
        CompletableFuture<Payment> mine = new CompletableFuture<>();
        CompletableFuture<Payment> running = inFlight.putIfAbsent(impUid, mine);
        if (running != null) {
            return running.copy();
        }
        CompletableFuture<Payment> fetched;
        try {
            fetched = fetch.apply(impUid);
        } catch (RuntimeException | Error e) {
            fetched = CompletableFuture.failedFuture(e);
        }
        fetched.whenComplete((payment, failure) -> {
            // out of the map before anyone hears the answer: a report arriving after it asks PortOne anew
            inFlight.remove(impUid, mine);
            if (failure == null) {
                mine.complete(payment);
                return;
            }
            Throwable cause = Futures.unwrap(failure);
            if (cause instanceof PortOneNotFoundException) {
                remember(impUid);
            }
            mine.completeExceptionally(cause);
        });
        return mine.copy();
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
