package dev.portoneverify.reconcile;

import dev.portoneverify.order.Order;
import dev.portoneverify.order.OrderDao;
import dev.portoneverify.order.PaymentAttemptDao;
import dev.portoneverify.payment.Outcome;
import dev.portoneverify.payment.PaymentDao;
import dev.portoneverify.payment.PaymentSync;
import dev.portoneverify.payment.Source;
import dev.portoneverify.payment.V2Reports;
import dev.portoneverify.portone.Payment;
import dev.portoneverify.portone.PaymentStatus;
import dev.portoneverify.portone.PortOneClient;
import dev.portoneverify.portone.PortOneException;
import dev.portoneverify.portone.PortOneNotFoundException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds what no webhook told us, and retries refunds PortOne did not carry out. PortOne V1 sends no webhook when a payment fails, and resends a
 * lost one only if the shop asked PortOne to; a buyer may also close the browser before it reports.
 * So every open order of the recent window is looked up at PortOne and run through the same
 * verification as every other report.
 *
 * <p>One pass at a time across every process on the database: a pass takes a lease in the
 * {@code job_leases} table first, and one that finds it held skips. PortOne being down fails the
 * orders of that pass, not the job: the next pass tries again.
 */
public final class Reconciler implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Reconciler.class);
    private static final int ORDERS_PER_PASS = 500;
    private static final String LEASE = "reconcile";
    /** Far longer than a pass takes; only matters when a holder died without releasing. */
    private static final Duration LEASE_TIME = Duration.ofMinutes(15);

    private final OrderDao orders;
    private final PaymentDao payments;
    private final LeaseDao leases;
    private final String holder = UUID.randomUUID().toString();
    private final PortOneClient portone;
    private final V2Attempts v2;
    private final PaymentSync sync;
    private final Clock clock;
    private final Duration window;
    private final ReentrantLock running = new ReentrantLock();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "reconciler");
        thread.setDaemon(true);
        return thread;
    });

    public record Summary(int checked, int changed, int failed, boolean skipped) {}

    /** V2's part: the order's newest paymentIds, and how a V2 report is verified. */
    public record V2Attempts(PaymentAttemptDao attempts, V2Reports reports) {}

    /** A buyer retries a few times at most; older attempts of an open order were looked at by earlier passes. */
    private static final int V2_ATTEMPTS_PER_ORDER = 3;

    /**
     * @param portone V1's client, null when V1 is off
     * @param v2      V2 reports and the paymentIds issued per order; null when V2 is off
     */
    public Reconciler(OrderDao orders, PaymentDao payments, LeaseDao leases, PortOneClient portone, PaymentSync sync,
                      Clock clock, Duration window, V2Attempts v2) {
        this.v2 = v2;
        this.orders = orders;
        this.payments = payments;
        this.leases = leases;
        this.portone = portone;
        this.sync = sync;
        this.clock = clock;
        this.window = window;
    }

    /** Runs a pass every {@code interval}, the first one after {@code interval}. */
    public void start(Duration interval) {
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                runOnce();
            } catch (RuntimeException e) {
                // a scheduled task that throws is never run again; the next pass must still happen
                log.error("reconciliation pass failed", e);
            }
        }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    public Summary runOnce() {
        if (!running.tryLock()) {
            log.info("reconciliation pass skipped: the previous one is still running");
            return new Summary(0, 0, 0, true);
        }
        try {
            if (leases.acquire(LEASE, holder, clock.instant(), clock.instant().plus(LEASE_TIME)) != 1) {
                log.info("reconciliation pass skipped: another process is running one");
                return new Summary(0, 0, 0, true);
            }
            try {
                return pass();
            } finally {
                leases.release(LEASE, holder);
            }
        } finally {
            running.unlock();
        }
    }

    private Summary pass() {
        int checked = 0;
        int changed = 0;
        int failed = 0;
        for (Order order : orders.open(clock.instant().minus(window), ORDERS_PER_PASS)) {
            checked++;
            try {
                if (reconcile(order, Source.RECONCILIATION)) {
                    changed++;
                }
            } catch (PortOneException e) {
                failed++;
                log.warn("reconciliation of {} failed: {}", order.merchantUid(), e.getMessage());
            }
        }
        // a refund PortOne did not carry out is tried again: the payment is re-verified, and a
        // forgery or duplicate still holding money is refunded (its order may be long closed)
        for (String impUid : payments.failedRefunds(null, ORDERS_PER_PASS)) {
            try {
                sync.sync(impUid, Source.RECONCILIATION);
            } catch (PortOneException e) {
                failed++;
                log.warn("refund retry of {} failed: {}", impUid, e.getMessage());
            }
        }
        log.info("reconciliation pass: {} open orders checked, {} changed, {} failed", checked, changed, failed);
        return new Summary(checked, changed, failed, false);
    }

    /**
     * Checks one order with PortOne now, whatever its state (the admin's "re-sync"). Returns the
     * order as it is afterwards; throws PortOneException when PortOne cannot answer.
     */
    public Optional<Order> resync(String merchantUid) {
        Optional<Order> order = orders.find(merchantUid);
        order.ifPresent(o -> {
            reconcile(o, Source.ADMIN);
            payments.failedRefunds(merchantUid, ORDERS_PER_PASS).forEach(impUid -> sync.sync(impUid, Source.ADMIN));
        });
        return orders.find(merchantUid);
    }

    /** True when the order's state changed. */
    private boolean reconcile(Order order, Source source) {
        String before = order.status().wire();
        if (order.impUid() != null) {
            // the bound payment: deposited, expired, cancelled or refunded meanwhile?
            sync.sync(order.impUid(), source);
        }
        if (portone != null) {
            // a paid payment wins over the newest attempt, which may be a later failed retry
            Optional<Payment> payment = portone.findPayment(order.merchantUid(), PaymentStatus.PAID)
                    .or(() -> portone.findPayment(order.merchantUid(), null));
            if (payment.isPresent() && !payment.get().impUid().equals(order.impUid())) {
                Outcome outcome = sync.apply(payment.get(), source);
                log.debug("reconciled {} with {}: {}", order.merchantUid(), outcome.impUid(), outcome.verdict());
            }
        }
        if (v2 != null) {
            // V2 has no lookup by order: each paymentId issued for it is asked about (V2 sends no resend by default either)
            for (String paymentId : v2.attempts().newestForOrder(order.merchantUid(), V2_ATTEMPTS_PER_ORDER)) {
                if (!paymentId.equals(order.impUid())) {
                    v2.reports().verify(paymentId, source);
                }
            }
        }
        return orders.find(order.merchantUid()).map(o -> !o.status().wire().equals(before)).orElse(false);
    }

    /**
     * Whether PortOne says it has no such payment as the one {@code order} is bound to: then the order's
     * state is only the shop's last record, which PortOne cannot confirm (a sandbox that forgot its payments,
     * keys of another account). False for an order bound to none.
     */
    public boolean boundPaymentUnknownToPortOne(Order order) {
        if (order.impUid() == null) {
            return false;
        }
        try {
            portone.getPayment(order.impUid());
            return false;
        } catch (PortOneNotFoundException e) {
            return true;
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
