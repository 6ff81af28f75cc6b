package dev.portoneverify.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portoneverify.payment.HistoryDao;
import dev.portoneverify.payment.HistoryEntry;
import dev.portoneverify.payment.PaymentDao;
import dev.portoneverify.testsupport.FaultProxy;
import dev.portoneverify.testsupport.FaultProxy.Fault;
import dev.portoneverify.testsupport.MutableClock;
import dev.portoneverify.testsupport.ServerProcess;
import dev.portoneverify.testsupport.SimulatedPortOne;
import dev.portoneverify.testsupport.TestDatabase;
import dev.portoneverify.testsupport.TestServer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Reconciliation: what no webhook and no browser told us is found by asking PortOne. */
class ReconcilerTest {
    @RegisterExtension
    final TestServer server = TestServer.live();
    @TempDir
    Path dir;

    @Test
    void a_payment_nobody_reported_is_found_and_the_order_marked_paid() {
        String order = server.createOrder(15000);
        server.portone.pay("imp_600000000001", order, 15000);

        Reconciler.Summary summary = server.reconciler().runOnce();

        assertEquals(1, summary.checked());
        assertEquals(1, summary.changed());
        assertEquals("paid", server.orderStatus(order));
        List<HistoryEntry> history = server.db().onDemand(HistoryDao.class).forOrder(order);
        assertEquals("reconciliation", history.get(0).source());
    }

    @Test
    void a_paid_payment_is_preferred_over_a_newer_failed_attempt() {
        String order = server.createOrder(15000);
        server.portone.pay("imp_600000000002", order, 15000);
        server.portone.decline("imp_600000000003", order, 15000);

        server.reconciler().runOnce();

        assertEquals("paid", server.orderStatus(order));
    }

    @Test
    void a_deposit_whose_webhook_was_lost_is_found() {
        String order = server.createOrder(32000);
        server.portone.issueVbank("imp_600000000004", order, 32000);
        server.complete("imp_600000000004", order);
        server.portone.deposit("imp_600000000004");

        server.reconciler().runOnce();

        assertEquals("paid", server.orderStatus(order));
    }

    @Test
    void a_virtual_account_past_its_deadline_returns_the_order_to_payable_and_says_so() throws InterruptedException {
        String order = server.createOrder(32000);
        server.portone.issueVbank("imp_600000000005", order, 32000);
        // an account due a few seconds from now (the browser's report must come before the deadline, even
        // on a busy machine): PortOne's answer is edited rather than the shop's clock moved
        long deadline = Instant.now().getEpochSecond() + 3;
        server.portone.rewritePayment("imp_600000000005", p -> p.put("vbank_date", deadline));
        // and in PortOne's listing of changes, which the pass reads first
        server.portone.proxy().rewrite("GET", "/payments/status/*", listing -> listing.withArray("list").forEach(p -> {
            if (p.path("imp_uid").asText().equals("imp_600000000005")) {
                ((com.fasterxml.jackson.databind.node.ObjectNode) p).put("vbank_date", deadline);
            }
        }));
        server.complete("imp_600000000005", order);
        // PortOne keeps the account "ready" past its deadline: no listing shows a change, so the pass looks it up
        while (Instant.now().getEpochSecond() <= deadline) {
            Thread.sleep(50);
        }

        server.reconciler().runOnce();

        assertEquals("pending", server.orderStatus(order));
        List<HistoryEntry> history = server.db().onDemand(HistoryDao.class).forOrder(order);
        assertTrue(history.stream().anyMatch(h -> h.orderChanged() && h.detail().contains("expired")),
                history.toString());
    }

    @Test
    void a_pass_survives_portone_being_down_and_the_next_pass_catches_up() {
        String order = server.createOrder(15000);
        server.portone.pay("imp_600000000006", order, 15000);
        server.portone.fault(Fault.HTTP_503);

        Reconciler.Summary down = server.reconciler().runOnce();
        server.portone.fault(null);
        Reconciler.Summary up = server.reconciler().runOnce();

        assertEquals(1, down.failed());
        assertEquals(1, up.changed());
        assertEquals("paid", server.orderStatus(order));
    }

    @Test
    void a_pass_is_skipped_while_another_process_holds_the_lease() {
        String order = server.createOrder(15000);
        server.portone.pay("imp_600000000007", order, 15000);
        Instant now = Instant.now();
        server.db().onDemand(LeaseDao.class).acquire("reconcile", "another-process", now, now.plusSeconds(60));

        Reconciler.Summary summary = server.reconciler().runOnce();

        assertTrue(summary.skipped());
        assertEquals("pending", server.orderStatus(order));
    }

    @Test
    void a_pass_asks_portone_once_for_what_changed_and_looks_up_no_order() {
        String order = server.createOrder(15000);
        server.portone.pay("imp_600000000008", order, 15000);
        server.complete("imp_600000000008", order);
        for (int i = 0; i < 5; i++) {
            server.createOrder(1000 + i);
        }
        int before = server.portone.requests().size();

        Reconciler.Summary summary = server.reconciler().runOnce();

        List<FaultProxy.Recorded> pass = server.portone.requests().subList(before, server.portone.requests().size());
        assertEquals(List.of("/payments/status/all"), pass.stream().map(FaultProxy.Recorded::path).toList());
        assertTrue(pass.get(0).query().contains("limit=1000"), pass.get(0).query());
        assertEquals(1, summary.listed());
        assertEquals(0, summary.checked(), "what the browser reported already is not verified again");
    }

    @Test
    void a_refund_portone_did_not_carry_out_is_retried_by_the_next_pass_even_for_a_closed_order() {
        String order = server.createOrder(15000);
        server.portone.pay("imp_600000000010", order, 15000);
        server.complete("imp_600000000010", order);
        server.portone.refuseCancels(true);
        server.portone.pay("imp_600000000011", order, 15000);
        server.complete("imp_600000000011", order);   // a duplicate: refund due, PortOne refuses
        server.portone.refuseCancels(false);

        server.reconciler().runOnce();

        assertEquals("cancelled", server.portone.payment("imp_600000000011").path("status").asText());
        assertEquals("paid", server.orderStatus(order));
        assertEquals("refunded", server.db().onDemand(dev.portoneverify.payment.PaymentDao.class).refundState("imp_600000000011"));
    }

    @Test
    void a_refund_portone_carried_out_whose_answer_was_lost_is_settled_by_the_next_pass_without_a_second_cancel() {
        String order = server.createOrder(15000);
        server.portone.pay("imp_600000000020", order, 15000);
        server.complete("imp_600000000020", order);
        server.portone.pay("imp_600000000021", order, 15000);
        server.portone.loseCancelAnswers(true);
        server.complete("imp_600000000021", order);   // a duplicate: refunded, but the answer is a 500
        server.portone.loseCancelAnswers(false);
        PaymentDao payments = server.db().onDemand(PaymentDao.class);
        assertEquals("failed", payments.refundState("imp_600000000021"));

        server.reconciler().runOnce();
        server.reconciler().runOnce();

        assertEquals("refunded", payments.refundState("imp_600000000021"));
        assertEquals(1, server.portone.cancels().size());
        // the listing carried the refunded payment: no lookup of it was needed, before or after settling
        assertEquals(1, server.portone.count("GET", "/payments/imp_600000000021"));
        List<HistoryEntry> history = server.db().onDemand(HistoryDao.class).forPayment("imp_600000000021");
        assertTrue(history.stream().anyMatch(h -> h.outcome().equals("refunded")
                && h.detail().contains("PortOne's record settles the refund: 15000 of 15000 KRW")), history.toString());
        assertEquals("paid", server.orderStatus(order));
    }

    @Test
    void a_pending_order_whose_payment_says_paid_with_most_of_it_refunded_is_partly_refunded_not_a_success() {
        String order = server.createOrder(15000);
        server.portone.pay("imp_600000000030", order, 15000);
        server.portone.cancelInConsole("imp_600000000030", 14000);

        server.reconciler().runOnce();

        assertEquals("partially_refunded", server.orderStatus(order));
        assertEquals(14000, server.get("/orders/" + order).body().get("refunded_amount").asInt());
        assertEquals("partially_cancelled", server.complete("imp_600000000030", order).text("status"));
    }

    @Test
    void a_pass_after_the_server_was_down_for_days_lists_the_whole_gap_and_a_second_instance_continues_from_it() {
        Instant now = Instant.now();
        MutableClock portoneClock = new MutableClock(now);
        try (SimulatedPortOne portone = SimulatedPortOne.start(portoneClock); TestDatabase database = TestDatabase.create(dir);
             TestServer server = TestServer.on(portone, Map.of("DATABASE_URL", database.url()))) {
            server.db().onDemand(PositionDao.class).advance("payments", now.minus(Duration.ofDays(3)), now);
            String order = server.createOrder(15000);
            portoneClock.set(now.minus(Duration.ofDays(2)));
            portone.pay("imp_600000000040", order, 15000);   // paid two days ago by PortOne's clock
            portoneClock.set(now);

            server.reconciler().runOnce();

            assertEquals("paid", server.orderStatus(order));
            String listing = portone.requests().stream().filter(r -> r.path().equals("/payments/status/all"))
                    .findFirst().orElseThrow().query();
            long from = Long.parseLong(listing.replaceAll(".*from=(\\d+).*", "$1"));
            assertEquals(now.minus(Duration.ofDays(3)).minus(Reconciler.OVERLAP).getEpochSecond(), from, listing);
            try (TestServer second = TestServer.besides(server)) {
                int before = portone.requests().size();
                second.reconciler().runOnce();
                String next = portone.requests().subList(before, portone.requests().size()).stream()
                        .filter(r -> r.path().equals("/payments/status/all")).findFirst().orElseThrow().query();
                long nextFrom = Long.parseLong(next.replaceAll(".*from=(\\d+).*", "$1"));
                assertTrue(nextFrom >= now.minus(Reconciler.OVERLAP).getEpochSecond(), next);
            }
        }
    }

    @Test
    void windows_follow_portones_clock_so_a_clock_behind_ours_loses_no_change_between_passes() throws InterruptedException {
        try (SimulatedPortOne portone = SimulatedPortOne.start(Clock.offset(Clock.systemUTC(), Duration.ofSeconds(-600)));
             TestDatabase database = TestDatabase.create(dir);
             TestServer server = TestServer.on(portone, Map.of("DATABASE_URL", database.url()))) {
            long firstPass = Instant.now().getEpochSecond();
            server.reconciler().runOnce();
            String order = server.createOrder(15000);
            while (Instant.now().getEpochSecond() <= firstPass) {
                Thread.sleep(50);
            }
            // paid after the first pass by PortOne's clock, though ten minutes before it by ours
            portone.pay("imp_600000000060", order, 15000);
            assertTrue(portone.payment("imp_600000000060").path("paid_at").asLong() < firstPass);

            server.reconciler().runOnce();

            assertEquals("paid", server.orderStatus(order));
        }
    }

    @Test
    void of_two_unreported_payments_for_one_order_the_first_paid_keeps_it_and_the_later_is_refunded() {
        Instant now = Instant.now();
        MutableClock portoneClock = new MutableClock(now);
        try (SimulatedPortOne portone = SimulatedPortOne.start(portoneClock); TestDatabase database = TestDatabase.create(dir);
             TestServer server = TestServer.on(portone, Map.of("DATABASE_URL", database.url()))) {
            String order = server.createOrder(15000);   // PortOne's clock at now: the shop's token says so
            portoneClock.set(now.minusSeconds(60));
            portone.pay("imp_600000000070", order, 15000);
            portoneClock.set(now.minusSeconds(30));
            portone.pay("imp_600000000071", order, 15000);   // listed before the first: newest started first
            portoneClock.set(now);

            server.reconciler().runOnce();

            assertEquals("imp_600000000070", server.get("/orders/" + order).body().at("/payment/imp_uid").asText());
            assertEquals("cancelled", portone.payment("imp_600000000071").path("status").asText());
            assertEquals("paid", portone.payment("imp_600000000070").path("status").asText());
        }
    }

    @Test
    void more_changes_than_a_page_holds_are_listed_in_smaller_windows_and_none_is_missed() {
        Instant now = Instant.now();
        MutableClock portoneClock = new MutableClock(now);
        try (SimulatedPortOne portone = SimulatedPortOne.start(portoneClock); TestDatabase database = TestDatabase.create(dir);
             TestServer server = TestServer.on(portone, Map.of("DATABASE_URL", database.url()))) {
            String order = server.createOrder(15000);
            for (int i = 0; i < 1200; i++) {
                portoneClock.set(now.minusSeconds(3600 - i));
                portone.pay("imp_61%010d".formatted(i), "someone_elses_" + i, 1000);
                if (i == 600) {
                    portone.pay("imp_600000000050", order, 15000);
                }
            }
            portoneClock.set(now);

            Reconciler.Summary summary = server.reconciler().runOnce();

            assertEquals("paid", server.orderStatus(order));
            assertEquals(1201, summary.listed());
            assertEquals(1, summary.checked());
        }
    }

    @Test
    void the_reconcile_command_runs_one_pass_and_exits() throws Exception {
        String order = server.createOrder(15000);
        server.portone.pay("imp_600000000009", order, 15000);
        ServerProcess reconcile = ServerProcess.classpath(TestServer.baseEnv(server.portone, server.databaseUrl()),
                List.of(), "reconcile");

        int exit = reconcile.awaitExit(30);
        String output = String.join("\n", reconcile.output());

        assertEquals(0, exit, output);
        assertTrue(output.contains("1 payments listed as changed, 1 checked, 1 orders changed, 0 failed"), output);
        assertEquals("paid", server.orderStatus(order));
    }
}
