package dev.portoneverify.reconcile;

import dev.portoneverify.order.Order;
import dev.portoneverify.order.OrderDao;
import dev.portoneverify.order.PaymentAttemptDao;
import dev.portoneverify.payment.PaymentDao;
import dev.portoneverify.payment.PaymentSync;
import dev.portoneverify.payment.Source;
import dev.portoneverify.payment.SyncResult;
import dev.portoneverify.payment.V2Reports;
import dev.portoneverify.portone.Payment;
import dev.portoneverify.portone.PaymentPage;
import dev.portoneverify.portone.PaymentStatus;
import dev.portoneverify.portone.PortOneClient;
import dev.portoneverify.portone.PortOneException;
import dev.portoneverify.portone.PortOneNotFoundException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds what no webhook told us. PortOne V1 sends no webhook when a payment fails, none for a cancel
 * made through its API without {@code enable_webhook}, and resends a lost one only if the shop asked
 * PortOne to; a buyer may also close the browser before it reports.
 *
 * <p>A pass asks PortOne what changed, not about each order: it lists every payment whose latest
 * status (ready, paid, cancelled, failed) PortOne recorded since the previous pass
 * ({@code GET /payments/status/all} with {@code from}/{@code to}, 1,000 a page) and runs each one we
 * have not seen in that state through the same verification as every other report, straight from
 * the listing. The listed-until position is stored in the database, so a pass that was missed (the
 * server was down for a day) lists the whole gap, and every instance continues where the last one
 * stopped. PortOne calls grow with the payments that changed, not with the orders created: junk orders
 * cost nothing. Lookups by imp_uid remain only where a listing cannot answer: a virtual account past
 * its deadline (PortOne keeps it {@code ready}, so it lists no change), and a refund to settle (one
 * PortOne did not carry out or whose answer was lost, and a claim a crash cut short).
 *
 * <p>One pass at a time across every process on the database: a pass takes a lease in the
 * {@code job_leases} table first, and one that finds it held skips. PortOne being down fails the
 * pass, not the job: the position stays, and the next pass lists from there.
 */
public final class Reconciler implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Reconciler.class);
    /** Lookups per pass of each kind (expired accounts, refunds to settle); the rest wait a pass. */
    private static final int LOOKUPS_PER_PASS = 500;
    private static final String LEASE = "reconcile";
    private static final String POSITION = "payments";
    /** Far longer than a page of a pass takes; renewed with every page, so it only matters when a holder died. */
    private static final Duration LEASE_TIME = Duration.ofMinutes(15);
    /**
     * Each pass lists again from this long before the previous pass stopped: a change PortOne recorded
     * in the last moments of the previous listing may only have become visible after it, and its clock
     * is known to us only to the second. What was seen already is skipped without a write.
     */
    static final Duration OVERLAP = Duration.ofMinutes(5);
    /** PortOne lists at most 90 days at once; a longer gap is listed in windows of this. */
    private static final long MAX_WINDOW_SECONDS = Duration.ofDays(30).toSeconds();
    /** Pages within one second's window, where a window cannot be split any further. */
    private static final int MAX_PAGES = 1000;

    private final OrderDao orders;
    private final PaymentDao payments;
    private final LeaseDao leases;
    private final PositionDao positions;
    private final String holder = UUID.randomUUID().toString();
    private final PortOneClient portone;
    private final V2Attempts v2;
    private final PaymentSync sync;
    private final Clock clock;
    private final Duration firstWindow;
    private final Duration refundCallLimit;
    private final ReentrantLock running = new ReentrantLock();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "reconciler");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * @param listed  payments PortOne listed as changed
     * @param checked of those and of the payments looked up, how many were verified (new to us)
     * @param changed orders that changed state
     * @param failed  PortOne calls that failed
     */
    public record Summary(int listed, int checked, int changed, int failed, boolean skipped) {
        static Summary skippedPass() {
            return new Summary(0, 0, 0, 0, true);
        }
    }

    /** V2's part: the order's newest paymentIds, and how a V2 report is verified. */
    public record V2Attempts(PaymentAttemptDao attempts, V2Reports reports) {}

    /** A buyer retries a few times at most; older attempts of an open order were looked at by earlier passes. */
    private static final int V2_ATTEMPTS_PER_ORDER = 3;

    /**
     * @param portone         V1's client, null when V1 is off (then nothing is listed)
     * @param firstWindow     how far back the very first pass lists, and how old an open V2 order may be to be
     *                        looked up (RECONCILE_WINDOW_HOURS)
     * @param refundCallLimit a refund claim older than this was cut short by a crash, and is settled
     * @param v2              V2 reports and the paymentIds issued per order; null when V2 is off
     */
    public Reconciler(OrderDao orders, PaymentDao payments, LeaseDao leases, PositionDao positions, PortOneClient portone,
                      PaymentSync sync, Clock clock, Duration firstWindow, Duration refundCallLimit, V2Attempts v2) {
        this.v2 = v2;
        this.orders = orders;
        this.payments = payments;
        this.leases = leases;
        this.positions = positions;
        this.portone = portone;
        this.sync = sync;
        this.clock = clock;
        this.firstWindow = firstWindow;
        this.refundCallLimit = refundCallLimit;
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
            return Summary.skippedPass();
        }
        try {
            if (!holdLease()) {
                log.info("reconciliation pass skipped: another process is running one");
                return Summary.skippedPass();
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

    private boolean holdLease() {
        Instant now = clock.instant();
        return leases.acquire(LEASE, holder, now, now.plus(LEASE_TIME)) == 1;
    }

    /** Counts of one pass. */
    private static final class Tally {
        int listed;
        int checked;
        int changed;
        int failed;

        void add(SyncResult result) {
            checked++;
            if (result.orderChanged()) {
                changed++;
            }
        }
    }

    private Summary pass() {
        Tally tally = new Tally();
        if (portone != null) {
            listChanges(tally);
        }
        if (v2 != null) {
            lookUpV2Attempts(tally);
        }
        for (String impUid : payments.expiredVbanks(clock.instant(), LOOKUPS_PER_PASS)) {
            lookUp(impUid, "expired virtual account", tally);
        }
        // refunds PortOne did not carry out, whose answer was lost, or that a crash cut short: the
        // payment's balance at PortOne says whether the money went back; if not, it is refunded now
        for (String impUid : payments.unsettledRefunds(null, clock.instant().minus(refundCallLimit), LOOKUPS_PER_PASS)) {
            lookUp(impUid, "refund to settle", tally);
        }
        log.info("reconciliation pass: {} payments listed as changed, {} checked, {} orders changed, {} failed",
                tally.listed, tally.checked, tally.changed, tally.failed);
        return new Summary(tally.listed, tally.checked, tally.changed, tally.failed, false);
    }

    /** V1: the payments PortOne recorded a change for since the stored position, window by window. */
    private void listChanges(Tally tally) {
        Optional<Instant> listedUntil = positions.listedUntil(POSITION);
        long from = 0;
        try {
            // windows are in PortOne's time, which its token's `now` tells (a token costs no call once cached)
            portone.checkCredentials();
            Instant now = portone.portoneNow();
            from = listedUntil.map(until -> until.minus(OVERLAP)).orElse(now.minus(firstWindow)).getEpochSecond();
            // PortOne's clock is known to the second only, so list a second past it: a change recorded
            // after this listing within that second is listed again by the next pass (OVERLAP)
            long end = now.getEpochSecond() + 1;
            while (from <= end) {
                long to = Math.min(end, from + MAX_WINDOW_SECONDS);
                list(from, to, tally);
                positions.advance(POSITION, Instant.ofEpochSecond(to), clock.instant());
                if (to == end) {
                    break;
                }
                from = to;
            }
        } catch (PortOneException e) {
            // the position stays where the last complete window ended: the next pass lists from there
            tally.failed++;
            log.warn("reconciliation could not list PortOne's changes{}: {}",
                    from == 0 ? "" : " from " + Instant.ofEpochSecond(from), e.getMessage());
        }
    }

    /**
     * V2 has no listing by time here, nor a lookup by order: each open order's newest paymentIds (and its
     * bound payment) are asked about. Only orders someone started a V2 checkout for, so junk orders cost nothing.
     */
    private void lookUpV2Attempts(Tally tally) {
        for (Order order : orders.openWithV2Attempts(clock.instant().minus(firstWindow), LOOKUPS_PER_PASS)) {
            try {
                if (order.impUid() != null && v2.attempts().merchantUid(order.impUid()).isPresent()) {
                    // the bound V2 payment: deposited, expired, cancelled or refunded meanwhile?
                    tally.add(sync.sync(order.impUid(), Source.RECONCILIATION));
                }
                verifyV2Attempts(order, Source.RECONCILIATION, tally);
            } catch (PortOneException e) {
                tally.failed++;
                log.warn("reconciliation of V2 order {} failed: {}", order.merchantUid(), e.getMessage());
            }
        }
    }

    private void verifyV2Attempts(Order order, Source source, Tally tally) {
        for (String paymentId : v2.attempts().newestForOrder(order.merchantUid(), V2_ATTEMPTS_PER_ORDER)) {
            if (!paymentId.equals(order.impUid())) {
                SyncResult result = v2.reports().verify(paymentId, source);
                if (tally != null) {
                    tally.add(result);
                }
            }
        }
    }

    /**
     * Lists {@code [from, to]} (UNIX seconds, both inclusive) as one page where it fits; a window with
     * more is split into smaller windows rather than paged, because payments that change while a listing is
     * paged move between pages, and a page-by-page walk could skip one that did not change.
     */
    private void list(long from, long to, Tally tally) {
        PaymentPage page = portone.listPayments(null, Instant.ofEpochSecond(from), Instant.ofEpochSecond(to), 1,
                PortOneClient.MAX_PAGE_LIMIT, null);
        if (page.total() > page.list().size() && to > from) {
            // into parts of about half a page each, if the changes were spread evenly; a part that still
            // holds more than a page is split again
            long parts = Math.min(to - from + 1, Math.max(2, page.total() * 2 / PortOneClient.MAX_PAGE_LIMIT + 1));
            long width = (to - from + 1 + parts - 1) / parts;
            for (long start = from; start <= to; start += width) {
                list(start, Math.min(to, start + width - 1), tally);
            }
            return;
        }
        verify(page.list(), tally);
        // more than a page changed within one second: page through it
        for (int next = page.next(), pages = 1; next > 0 && pages < MAX_PAGES; pages++) {
            page = portone.listPayments(null, Instant.ofEpochSecond(from), Instant.ofEpochSecond(to), next,
                    PortOneClient.MAX_PAGE_LIMIT, null);
            verify(page.list(), tally);
            next = page.next();
        }
    }

    /** Verifies the listed payments of our orders that say something we have not stored yet. */
    private void verify(List<Payment> listed, Tally tally) {
        holdLease();   // a long catch-up (a first pass over a busy week) keeps the lease page by page
        tally.listed += listed.size();
        if (listed.isEmpty()) {
            return;
        }
        // PortOne lists every payment of the merchant: other systems' and other shops' orders are not ours
        Set<String> ours = new HashSet<>(orders.existing(listed.stream().map(Payment::merchantUid).distinct().toList()));
        // the first money in wins its order: of two payments for one order, the later one is the duplicate
        List<Payment> mine = listed.stream().filter(p -> ours.contains(p.merchantUid()))
                .sorted(Comparator.comparing(Payment::paidAt, Comparator.nullsLast(Comparator.naturalOrder()))).toList();
        if (mine.isEmpty()) {
            return;
        }
        Map<String, PaymentDao.Known> known = payments.known(mine.stream().map(Payment::impUid).toList()).stream()
                .collect(Collectors.toMap(PaymentDao.Known::impUid, Function.identity()));
        for (Payment payment : mine) {
            PaymentDao.Known stored = known.get(payment.impUid());
            if (stored == null || !stored.same(payment)) {
                tally.add(sync.apply(payment, Source.RECONCILIATION));
            }
        }
    }

    private void lookUp(String impUid, String why, Tally tally) {
        try {
            tally.add(sync.sync(impUid, Source.RECONCILIATION));
        } catch (PortOneException e) {
            tally.failed++;
            log.warn("reconciliation could not look up {} ({}): {}", impUid, why, e.getMessage());
        }
    }

    /**
     * Checks one order with PortOne now, whatever its state (the admin's "re-sync"): its own payment,
     * the newest (paid first) payment PortOne has for it, and its refunds to settle. Returns the order
     * as it is afterwards; throws PortOneException when PortOne cannot answer.
     */
    public Optional<Order> resync(String merchantUid) {
        Optional<Order> found = orders.find(merchantUid);
        found.ifPresent(order -> {
            if (order.impUid() != null) {
                sync.sync(order.impUid(), Source.ADMIN);
            }
            if (portone != null) {
                // a paid payment wins over the newest attempt, which may be a later failed retry
                Optional<Payment> payment = portone.findPayment(merchantUid, PaymentStatus.PAID)
                        .or(() -> portone.findPayment(merchantUid, null));
                if (payment.isPresent() && !payment.get().impUid().equals(order.impUid())) {
                    sync.apply(payment.get(), Source.ADMIN);
                }
            }
            if (v2 != null) {
                verifyV2Attempts(order, Source.ADMIN, null);
            }
            payments.unsettledRefunds(merchantUid, clock.instant().minus(refundCallLimit), LOOKUPS_PER_PASS)
                    .forEach(impUid -> sync.sync(impUid, Source.ADMIN));
        });
        return orders.find(merchantUid);
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
