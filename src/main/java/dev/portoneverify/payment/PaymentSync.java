package dev.portoneverify.payment;

import dev.portoneverify.concurrent.Futures;
import dev.portoneverify.db.Transaction;
import dev.portoneverify.db.Transactions;
import dev.portoneverify.order.Order;
import dev.portoneverify.order.OrderDao;
import dev.portoneverify.portone.CancelRequest;
import dev.portoneverify.portone.Payment;
import dev.portoneverify.portone.PortOneApi;
import dev.portoneverify.portone.PortOneException;
import dev.portoneverify.portone.PortOneNotFoundException;
import dev.portoneverify.portone.PortOneUnavailableException;
import dev.portoneverify.portone.Vbank;
import dev.portoneverify.sms.SmsDispatcher;
import dev.portoneverify.sms.SmsOutboxDao;
import dev.portoneverify.text.LogSafe;
import dev.portoneverify.user.User;
import dev.portoneverify.user.UserDao;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one verification path behind the browser's report and PortOne's webhook.
 *
 * <ol>
 *   <li>Ask PortOne for the payment (network; no transaction is open).</li>
 *   <li>In one short write transaction: read the order named by PortOne's merchant_uid, decide with
 *       {@link PaymentRules}, apply the transition with its side effects (virtual account on the
 *       user, SMS in the outbox, refund claim) and append the history row. The transaction locks the
 *       order first (SQLite's write lock; a row lock on PostgreSQL), so concurrent reports of one
 *       payment, to this instance or another, are decided one after the other, each on the state
 *       the previous one left: the change happens once. On SQLite the transaction is shared with
 *       other reports queued meanwhile ({@link Transactions}), each still deciding on what the one
 *       before it left.</li>
 *   <li>After commit: refund if this report claimed it, close a virtual account nobody should pay into
 *       any more, and wake the SMS dispatcher.</li>
 * </ol>
 *
 * <p>Asynchronous (issue 17): no thread waits while PortOne answers or the transaction queues. Each step
 * goes on, on the continuation executor, when the one before it completed; {@link #sync} and
 * {@link #apply} wait for the same steps, for callers that hold a thread anyway.
 *
 * <p>Thread-safe. Fails with {@link PortOneException} (other than not-found) when PortOne cannot
 * answer; nothing is stored then.
 */
public final class PaymentSync {
    private static final Logger log = LoggerFactory.getLogger(PaymentSync.class);
    private static final DateTimeFormatter KST_MINUTES =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.of("Asia/Seoul"));

    private final PortOneApi portone;
    private final Transactions transactions;
    private final SmsDispatcher sms;
    private final Policy policy;
    private final Clock clock;
    private final Duration refundCallLimit;
    private final VerificationObserver observer;
    private final Executor continuation;

    /**
     * @param refundCallLimit a refund call still unanswered after this long was cut short by a crash
     * @param continuation    where a verification goes on once PortOne or the database answered: a few
     *                        threads that never wait, so that neither the HTTP client's selector nor the
     *                        database's writer does the next step's work
     */
    public PaymentSync(PortOneApi portone, Transactions transactions, SmsDispatcher sms, Policy policy, Clock clock,
                       Duration refundCallLimit, VerificationObserver observer, Executor continuation) {
        this.observer = observer;
        this.portone = portone;
        this.transactions = transactions;
        this.sms = sms;
        this.policy = policy;
        this.clock = clock;
        this.refundCallLimit = refundCallLimit;
        this.continuation = continuation;
    }

    /** {@link #syncAsync}, waiting: for callers that hold a thread anyway (the admin API). */
    public SyncResult sync(String impUid, Source source) {
        return await(syncAsync(impUid, source));
    }

    /**
     * The browser's report or a webhook, verified without holding the caller's thread (issue 17): the
     * future completes, on the continuation executor, once PortOne answered, the transaction committed and
     * any refund is done. It fails with a {@link PortOneException} (other than not-found) when PortOne
     * cannot answer, and with the database's error when it cannot store; nothing is stored then. Once
     * started it runs to its end whatever the caller does: a buyer who hangs up leaves nothing half done.
     */
    public CompletableFuture<SyncResult> syncAsync(String impUid, Source source) {
        return asked(() -> portone.getPaymentAsync(impUid)).handle((payment, failure) -> {
            if (failure == null) {
                return applyAsync(payment, source);
            }
            if (Futures.unwrap(failure) instanceof PortOneNotFoundException) {
                // no history row: anyone can make up imp_uids, and each would be a row (issue 15)
                log.info("sync imp_uid={} source={}: unknown to PortOne", LogSafe.of(impUid), source.wire());
                observer.verified(source, Verdict.UNKNOWN_PAYMENT);
                return CompletableFuture.completedFuture(
                        new SyncResult(Verdict.UNKNOWN_PAYMENT, impUid, null, SyncResult.Refund.NONE, null, false));
            }
            return Futures.<SyncResult>failed(failure);
        }).thenCompose(next -> next);
    }

    /**
     * Verifies a payment that was just fetched from PortOne (by imp_uid or by merchant_uid), or that
     * PortOne's cancel answered with. Only for callers holding PortOne's own answer: the reconciler
     * and {@link Refunds}; never for anything a browser or webhook sent. Waits for the commit and the
     * steps after it.
     */
    public SyncResult apply(Payment payment, Source source) {
        return await(applyAsync(payment, source));
    }

    /** {@link #apply} without holding the caller's thread; completes on the continuation executor. */
    public CompletableFuture<SyncResult> applyAsync(Payment payment, Source source) {
        return committed(transaction -> apply(transaction, payment, source))
                .thenCompose(applied -> afterCommit(payment, source, applied));
    }

    /** Step 3: the log line, the metrics, the SMS, then the refund and the virtual account, in that order. */
    private CompletableFuture<SyncResult> afterCommit(Payment payment, Source source, Applied applied) {
        Decision decision = applied.decision();
        // PortOne's strings are the buyer's choice (merchant_uid, status): LogSafe keeps them to one line
        log.info("sync imp_uid={} merchant_uid={} source={} portone_status={}: {} ({}){}", LogSafe.of(payment.impUid()),
                LogSafe.of(payment.merchantUid()), source.wire(), LogSafe.of(payment.rawStatus()), decision.verdict().wire(),
                decision.transition(), decision.detail() == null ? "" : " - " + LogSafe.of(decision.detail()));
        observer.verified(source, decision.verdict(), payment.version());
        if (applied.smsQueued()) {
            sms.wake();
        }
        CompletableFuture<SyncResult.Refund> refund = applied.refundClaimed()
                ? refund(payment, applied.order(), decision, source)
                : CompletableFuture.completedFuture(decision.refund() && decision.refundWaitsForShop()
                        ? SyncResult.Refund.WAITING : SyncResult.Refund.NONE);
        return refund.thenCompose(refunded -> (decision.closeVbank() == null ? CompletableFuture.<Void>completedFuture(null)
                        : closeVbank(decision.closeVbank(), applied.order(), payment, decision, source))
                .thenApply(closed -> new SyncResult(decision.verdict(), payment.impUid(), payment.merchantUid(), refunded,
                        payment.failReason(), decision.transition() != Transition.NONE)));
    }

    /** A transaction queued for the database; what follows its commit runs on the continuation executor. */
    <R> CompletableFuture<R> committed(Function<Transaction, R> work) {
        return Futures.on(continuation, transactions.inTransactionAsync(work));
    }

    /** A PortOne call; what follows its answer runs on the continuation executor. */
    CompletableFuture<Payment> asked(Supplier<CompletableFuture<Payment>> call) {
        CompletableFuture<Payment> pending;
        try {
            pending = call.get();
        } catch (RuntimeException e) {
            pending = CompletableFuture.failedFuture(e);
        }
        return Futures.on(continuation, pending);
    }

    /** Waits without being interruptible: once queued, the work may be committed whatever the caller does. */
    private static SyncResult await(CompletableFuture<SyncResult> pending) {
        try {
            return pending.join();
        } catch (CompletionException | CancellationException e) {
            throw Futures.rethrow(Futures.unwrap(e));
        }
    }

    private record Applied(Order order, Decision decision, boolean refundClaimed, boolean smsQueued) {}

    private Applied apply(Transaction transaction, Payment payment, Source source) {
        OrderDao orders = transaction.dao(OrderDao.class);
        PaymentDao payments = transaction.dao(PaymentDao.class);
        Instant now = clock.instant();

        Order order = orders.findForUpdate(payment.merchantUid()).orElse(null);
        Decision decision = PaymentRules.decide(order, payment, policy, now);
        if (order != null) {
            payments.upsert(order.merchantUid(), payment, now);
        }
        boolean smsQueued = false;
        switch (decision.transition()) {
            case NONE -> { }
            case TO_PAID -> applied(orders.markPaid(order.merchantUid(), payment.impUid(), now), decision);
            case TO_PARTIALLY_REFUNDED ->
                    applied(orders.markPartiallyRefunded(order.merchantUid(), payment.impUid(), now), decision);
            case TO_CANCELLED -> applied(orders.markCancelled(order.merchantUid(), payment.impUid(), now), decision);
            case REOPENED -> applied(orders.reopen(order.merchantUid(), payment.impUid(), now), decision);
            case TO_AWAITING_DEPOSIT -> {
                applied(orders.markAwaitingDeposit(order.merchantUid(), payment.impUid(), now), decision);
                smsQueued = vbankIssued(transaction, order, payment, now);
            }
        }
        boolean refundClaimed = false;
        if (decision.refund() && decision.refundWaitsForShop()) {
            // only the shop can name the buyer's bank account: no PortOne call now, nor on any later pass
            payments.awaitShop(payment.impUid(), now);
        } else if (decision.refund()) {
            refundClaimed = payments.claimRefund(payment.impUid(), now, now.minus(refundCallLimit)) == 1;
        }
        HistoryDao history = transaction.dao(HistoryDao.class);
        // a payment for no order of ours is recorded once, however often it is reported (issue 15)
        if (order != null || !history.exists(payment.impUid(), payment.merchantUid(), decision.verdict().wire())) {
            history.insert(HistoryEntry.of(payment.impUid(), payment.merchantUid(), source, decision.verdict().wire(),
                            decision.detail(), now)
                    .reported(payment).expected(order).changingOrder(decision.transition() != Transition.NONE));
        }
        if (order != null && payment.balance().signum() <= 0
                && payments.settleRefunded(payment.impUid(), now, now.minus(refundCallLimit)) == 1) {
            // a refund whose answer was lost, or that a crash cut short, or that the shop made elsewhere
            history.insert(HistoryEntry.of(payment.impUid(), order.merchantUid(), source, "refunded",
                    "PortOne's record settles the refund: " + payment.cancelAmount().toPlainString() + " of "
                            + payment.amount().toPlainString() + " " + payment.currency() + " refunded, nothing left",
                    now).reported(payment).expected(order));
        }
        return new Applied(order, decision, refundClaimed, smsQueued);
    }

    /** Saves the account on the buyer and queues the one SMS that tells them where to pay. */
    private boolean vbankIssued(Transaction transaction, Order order, Payment payment, Instant now) {
        UserDao users = transaction.dao(UserDao.class);
        Vbank vbank = payment.vbank();
        users.saveVbank(order.userId(), vbank.num(), vbank.name(), vbank.holder(), vbank.date());
        User user = users.find(order.userId()).orElseThrow();
        String text = "가상계좌 발급이 성공되었습니다. 계좌 정보 %s %s%s, 금액 %s %s, 입금기한 %s".formatted(
                vbank.name(), vbank.num(), vbank.holder() == null ? "" : " (예금주 " + vbank.holder() + ")",
                order.amount().toPlainString(), order.currency(),
                vbank.date() == null ? "없음" : KST_MINUTES.format(vbank.date()));
        return transaction.dao(SmsOutboxDao.class)
                .enqueue("vbank:" + payment.impUid(), user.id(), user.phone(), text, now) == 1;
    }

    /**
     * Refunds the whole remaining balance. {@code checksum} is the balance we saw, so PortOne
     * refuses the cancel if anything was refunded meanwhile: a retry can never refund twice.
     */
    private CompletableFuture<SyncResult.Refund> refund(Payment payment, Order order, Decision decision, Source source) {
        String reason = decision.verdict() == Verdict.FORGERY ? "위조된 결제시도 (amount/currency mismatch)"
                : "이미 결제된 주문의 중복 결제 (order already paid or closed)";
        return asked(() -> portone.cancelAsync(new CancelRequest(payment.impUid(), null, payment.balance(), reason)))
                .handle((after, failure) -> {
                    if (failure == null) {
                        return committed(transaction -> {
                            Instant now = clock.instant();
                            PaymentDao payments = transaction.dao(PaymentDao.class);
                            payments.setRefundState(payment.impUid(), "refunded", now);
                            payments.upsert(order.merchantUid(), after, now);
                            recordRefund(transaction, after, order, source, "refunded",
                                    "refunded " + payment.balance().toPlainString() + " " + payment.currency(), now);
                            return null;
                        }).thenApply(recorded -> {
                            log.warn("refunded imp_uid={} merchant_uid={}: {}", LogSafe.of(payment.impUid()),
                                    order.merchantUid(), LogSafe.of(decision.detail()));
                            observer.refunded(true);
                            return SyncResult.Refund.REFUNDED;
                        });
                    }
                    if (!(Futures.unwrap(failure) instanceof PortOneException e)) {
                        return Futures.<SyncResult.Refund>failed(failure);
                    }
                    // PortOne may have refunded and only its answer was lost (a reset, a 5xx, a timeout): the
                    // next reconciliation pass settles it from the payment's balance, or retries with checksum
                    String detail = e instanceof PortOneUnavailableException
                            ? e.getMessage() + "; PortOne's answer was lost: the next reconciliation pass settles the refund "
                                    + "from PortOne's record" : e.getMessage();
                    return committed(transaction -> {
                        Instant now = clock.instant();
                        transaction.dao(PaymentDao.class).setRefundState(payment.impUid(), "failed", now);
                        recordRefund(transaction, payment, order, source, "refund_failed", detail, now);
                        return null;
                    }).thenApply(recorded -> {
                        log.error("REFUND FAILED imp_uid={} merchant_uid={}: {}", LogSafe.of(payment.impUid()),
                                order.merchantUid(), LogSafe.of(e.getMessage()));
                        observer.refunded(false);
                        return SyncResult.Refund.FAILED;
                    });
                }).thenCompose(next -> next);
    }

    /**
     * Revokes a virtual account nobody should pay into any more (its order is paid, closed, or it was
     * forged), so the buyer cannot deposit money the shop would have to send back by bank transfer.
     * A PortOne refusal (a PG that cannot revoke, an account already paid) is recorded, never a failure.
     */
    private CompletableFuture<Void> closeVbank(String impUid, Order order, Payment reported, Decision decision,
                                               Source source) {
        String why = !impUid.equals(reported.impUid()) ? "order " + order.merchantUid() + " is now paid by " + reported.impUid()
                : decision.verdict() == Verdict.FORGERY ? "its amount does not match the order's"
                : "order " + order.merchantUid() + " is already " + order.status().wire() + " by " + order.impUid();
        return asked(() -> portone.closeVbankAsync(impUid)).handle((after, failure) -> {
            if (failure == null) {
                return committed(transaction -> {
                    Instant now = clock.instant();
                    transaction.dao(PaymentDao.class).upsert(order.merchantUid(), after, now);
                    recordRefund(transaction, after, order, source, "vbank_closed",
                            "virtual account closed at PortOne (" + why + "): nobody can deposit into it any more", now);
                    return null;
                }).thenRun(() -> log.info("closed virtual account imp_uid={} merchant_uid={}: {}", impUid,
                        order.merchantUid(), why));
            }
            if (!(Futures.unwrap(failure) instanceof PortOneException e)) {
                return Futures.<Void>failed(failure);
            }
            return committed(transaction -> {
                transaction.dao(HistoryDao.class).insert(HistoryEntry.of(impUid,
                        order.merchantUid(), source, "vbank_close_failed", "could not close the virtual account (" + why
                                + "): " + e.getMessage() + "; a deposit into it waits for the shop to refund it to the buyer's "
                                + "bank account", clock.instant()).expected(order));
                return null;
            }).thenRun(() -> log.warn("could not close virtual account imp_uid={} merchant_uid={}: {}", impUid,
                    order.merchantUid(), e.getMessage()));
        }).thenCompose(next -> next);
    }

    private static void recordRefund(Transaction transaction, Payment payment, Order order, Source source,
                                     String outcome, String detail, Instant now) {
        transaction.dao(HistoryDao.class).insert(HistoryEntry.of(payment.impUid(), order.merchantUid(), source, outcome,
                detail, now).reported(payment).expected(order));
    }

    /** The transaction holds the order's lock, so a guarded update that matches no row is a bug, not a race. */
    private static void applied(int rows, Decision decision) {
        if (rows != 1) {
            throw new IllegalStateException("transition " + decision.transition() + " matched " + rows + " orders");
        }
    }
}
