package dev.portoneverify.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portoneverify.payment.HistoryDao;
import dev.portoneverify.payment.HistoryEntry;
import dev.portoneverify.reconcile.Reconciler;
import dev.portoneverify.testsupport.Race;
import dev.portoneverify.testsupport.TestServer;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Two server instances on one database, as behind a load balancer (docs/operations.md, "Scaling out"). In the
 * PostgreSQL run of the suite they share a PostgreSQL schema; in the SQLite run, one file.
 */
class TwoInstancesTest {

    @Test
    void one_vbank_reported_to_both_instances_at_once_changes_the_order_once_and_sends_one_sms() throws Exception {
        try (TestServer a = TestServer.start(); TestServer b = TestServer.besides(a)) {
            String order = a.createOrder(50000);
            a.portone.issueVbank("imp_700000000001", order, 50000);
            a.portone.delayMillis(20);
            a.sms.delayMillis(500); // whichever instance sends is still sending when the other looks
            b.sms.delayMillis(500);

            List<Integer> statuses = Race.of(20, i -> {
                TestServer to = i % 2 == 0 ? a : b;
                return i % 4 < 2 ? to.complete("imp_700000000001", order).status()
                        : to.webhook("imp_700000000001", order, "ready").status();
            });

            assertEquals(List.of(200), statuses.stream().distinct().toList());
            assertEquals("awaiting_deposit", b.orderStatus(order));
            List<HistoryEntry> history = a.db().onDemand(HistoryDao.class).forOrder(order);
            assertEquals(20, history.size());
            assertEquals(1, history.stream().filter(HistoryEntry::orderChanged).count());
            // both dispatchers go for the queued message at once, as their schedules eventually would;
            // without the claim, the one not already sending would send it a second time
            Race.of(4, i -> {
                (i % 2 == 0 ? a : b).wakeSmsDispatcher();
                return i;
            });
            awaitOneSms(a, b);
            Thread.sleep(1_200);
            assertEquals(1, a.sms.sent().size() + b.sms.sent().size());
        }
    }

    @Test
    void one_forged_payment_reported_to_both_instances_at_once_is_refunded_once() throws Exception {
        try (TestServer a = TestServer.start(); TestServer b = TestServer.besides(a)) {
            String order = a.createOrder(50000);
            a.portone.payTampered("imp_700000000002", order, 500, null);
            a.portone.delayMillis(20);

            List<Integer> statuses = Race.of(10, i -> (i % 2 == 0 ? a : b).webhook("imp_700000000002", order, "paid").status());

            assertEquals(List.of(200), statuses.stream().distinct().toList());
            assertEquals(1, a.portone.cancels().size());
            assertEquals("pending", a.orderStatus(order));
        }
    }

    @Test
    void a_reconciliation_pass_runs_on_one_instance_at_a_time() throws Exception {
        try (TestServer a = TestServer.start(); TestServer b = TestServer.besides(a)) {
            String order = a.createOrder(15000);
            a.portone.pay("imp_700000000003", order, 15000);
            a.portone.delayMillis(400); // a's pass is still asking PortOne while b tries
            // opened now, not while the pass runs: opening it checks the schema's migrations, which on a
            // busy machine could take longer than the pass holds its lease
            assertEquals(0, a.rows("job_leases"));

            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                Future<Reconciler.Summary> first = pool.submit(() -> a.reconciler().runOnce());
                awaitLeaseHeld(a);
                Reconciler.Summary second = b.reconciler().runOnce();
                Reconciler.Summary firstDone = first.get(30, TimeUnit.SECONDS);

                assertTrue(second.skipped(), "b ran while a held the lease");
                assertFalse(firstDone.skipped());
                assertEquals(1, firstDone.changed());
                // the lease was released: b's next pass runs (and finds nothing open)
                Reconciler.Summary later = b.reconciler().runOnce();
                assertFalse(later.skipped());
                assertEquals(0, later.checked());
            } finally {
                pool.shutdownNow();
            }
            assertEquals("paid", b.orderStatus(order));
        }
    }

    private static void awaitLeaseHeld(TestServer server) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (server.rows("job_leases") == 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the first pass never took the lease");
            }
            Thread.sleep(5);
        }
    }

    private static void awaitOneSms(TestServer a, TestServer b) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (a.sms.sent().size() + b.sms.sent().size() < 1 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }
}
