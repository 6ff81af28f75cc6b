package dev.portoneverify.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portoneverify.Main;
import dev.portoneverify.payment.HistoryDao;
import dev.portoneverify.payment.HistoryEntry;
import dev.portoneverify.testsupport.FaultProxy.Fault;
import dev.portoneverify.testsupport.ServerProcess;
import dev.portoneverify.testsupport.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Reconciliation: what no webhook and no browser told us is found by asking PortOne. */
class ReconcilerTest {
    @RegisterExtension
    final TestServer server = TestServer.live();

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
    void a_virtual_account_past_its_deadline_returns_the_order_to_payable_and_says_so() {
        String order = server.createOrder(32000);
        server.portone.issueVbank("imp_600000000005", order, 32000);
        server.complete("imp_600000000005", order);
        // three days pass on PortOne's side only: its answer is edited rather than the shop's clock moved
        long pastDeadline = Instant.now().getEpochSecond() - 60;
        server.portone.rewritePayment("imp_600000000005", p -> p.put("vbank_date", pastDeadline));

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
    void orders_that_are_paid_or_outside_the_window_are_not_looked_up() {
        String order = server.createOrder(15000);
        server.portone.pay("imp_600000000008", order, 15000);
        server.complete("imp_600000000008", order);
        long lookupsBefore = server.portone.requests().size();

        Reconciler.Summary summary = server.reconciler().runOnce();

        assertEquals(0, summary.checked());
        assertEquals(lookupsBefore, server.portone.requests().size());
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
    void the_reconcile_command_runs_one_pass_and_exits() throws Exception {
        String order = server.createOrder(15000);
        server.portone.pay("imp_600000000009", order, 15000);
        ServerProcess reconcile = ServerProcess.classpath(TestServer.baseEnv(server.portone, server.databaseUrl()),
                List.of(), "reconcile");

        int exit = reconcile.awaitExit(30);
        String output = String.join("\n", reconcile.output());

        assertEquals(0, exit, output);
        assertTrue(output.contains("1 open orders checked, 1 changed"), output);
        assertEquals("paid", server.orderStatus(order));
    }
}
