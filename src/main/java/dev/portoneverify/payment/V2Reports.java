package dev.portoneverify.payment;

import dev.portoneverify.concurrent.Futures;
import dev.portoneverify.portone.PortOneNotFoundException;
import dev.portoneverify.portone.PortOneVersion;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a V2 report (the browser's {@code {paymentId}}, a signed V2 webhook, reconciliation of an attempt)
 * enters the one verification path. The order is the one this server issued the paymentId for; a paymentId
 * it never issued is {@code unknown_order} at once, with no PortOne call and no write, whatever PortOne's
 * payment (or its {@code customData}) says. A paymentId PortOne does not know (or knows for another store) is
 * {@code unknown_payment}. Everything else is {@link PaymentSync#apply}, the same as for V1.
 */
public final class V2Reports {
    private static final Logger log = LoggerFactory.getLogger(V2Reports.class);

    private final PortOneRouter portone;
    private final PaymentSync sync;
    private final Clock clock;
    private final VerificationObserver observer;

    public V2Reports(PortOneRouter portone, PaymentSync sync, Clock clock, VerificationObserver observer) {
        this.portone = portone;
        this.sync = sync;
        this.clock = clock;
        this.observer = observer;
    }

    /** {@link #verifyAsync}, waiting: for the reconciler, which holds a thread anyway. */
    public SyncResult verify(String paymentId, Source source) {
        try {
            return verifyAsync(paymentId, source).join();
        } catch (CompletionException e) {
            throw Futures.rethrow(Futures.unwrap(e));
        }
    }

    /** Without holding the caller's thread while PortOne answers (issue 17); as {@link PaymentSync#syncAsync}. */
    public CompletableFuture<SyncResult> verifyAsync(String paymentId, Source source) {
        Optional<String> order = portone.v2Order(paymentId);
        if (order.isEmpty()) {
            log.info("sync payment_id={} source={}: not a paymentId issued here", paymentId, source.wire());
            observer.verified(source, Verdict.UNKNOWN_ORDER, PortOneVersion.V2);
            return CompletableFuture.completedFuture(
                    new SyncResult(Verdict.UNKNOWN_ORDER, paymentId, null, SyncResult.Refund.NONE, null, false));
        }
        return sync.asked(() -> portone.getPaymentAsync(paymentId)).handle((payment, failure) -> {
            if (failure == null) {
                return sync.applyAsync(payment, source);
            }
            if (!(Futures.unwrap(failure) instanceof PortOneNotFoundException)) {
                return Futures.<SyncResult>failed(failure);
            }
            // reconciliation asks about every recent attempt, most of which the buyer never opened: no row for those
            CompletableFuture<Void> recorded = source == Source.RECONCILIATION ? CompletableFuture.completedFuture(null)
                    : sync.committed(transaction -> {
                        transaction.dao(HistoryDao.class).insert(HistoryEntry.of(paymentId, order.get(), source,
                                Verdict.UNKNOWN_PAYMENT.wire(), "PortOne V2 knows no such payment for this store",
                                clock.instant()));
                        return null;
                    });
            return recorded.thenApply(done -> {
                log.info("sync payment_id={} source={}: unknown to PortOne", paymentId, source.wire());
                observer.verified(source, Verdict.UNKNOWN_PAYMENT, PortOneVersion.V2);
                return new SyncResult(Verdict.UNKNOWN_PAYMENT, paymentId, null, SyncResult.Refund.NONE, null, false);
            });
        }).thenCompose(next -> next);
    }
}
