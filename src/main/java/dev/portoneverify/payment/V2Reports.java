package dev.portoneverify.payment;

import dev.portoneverify.db.Transactions;
import dev.portoneverify.portone.Payment;
import dev.portoneverify.portone.PortOneNotFoundException;
import dev.portoneverify.portone.PortOneVersion;
import java.time.Clock;
import java.util.Optional;
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
    private final Transactions transactions;
    private final Clock clock;
    private final VerificationObserver observer;

    public V2Reports(PortOneRouter portone, PaymentSync sync, Transactions transactions, Clock clock,
                     VerificationObserver observer) {
        this.portone = portone;
        this.sync = sync;
        this.transactions = transactions;
        this.clock = clock;
        this.observer = observer;
    }

    public SyncResult verify(String paymentId, Source source) {
        Optional<String> order = portone.v2Order(paymentId);
        if (order.isEmpty()) {
            log.info("sync payment_id={} source={}: not a paymentId issued here", paymentId, source.wire());
            observer.verified(source, Verdict.UNKNOWN_ORDER, PortOneVersion.V2);
            return new SyncResult(Verdict.UNKNOWN_ORDER, paymentId, null, SyncResult.Refund.NONE, null, false);
        }
        Payment payment;
        try {
            payment = portone.getPayment(paymentId);
        } catch (PortOneNotFoundException e) {
            // reconciliation asks about every recent attempt, most of which the buyer never opened: no row for those
            if (source != Source.RECONCILIATION) {
                transactions.useTransaction(transaction -> transaction.dao(HistoryDao.class).insert(HistoryEntry.of(
                        paymentId, order.get(), source, Verdict.UNKNOWN_PAYMENT.wire(),
                        "PortOne V2 knows no such payment for this store", clock.instant())));
            }
            log.info("sync payment_id={} source={}: unknown to PortOne", paymentId, source.wire());
            observer.verified(source, Verdict.UNKNOWN_PAYMENT, PortOneVersion.V2);
            return new SyncResult(Verdict.UNKNOWN_PAYMENT, paymentId, null, SyncResult.Refund.NONE, null, false);
        }
        return sync.apply(payment, source);
    }
}
