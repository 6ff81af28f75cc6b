package dev.portoneverify.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portoneverify.Main;
import dev.portoneverify.payment.HistoryDao;
import dev.portoneverify.payment.HistoryEntry;
import dev.portoneverify.testsupport.FakePortOne;
import dev.portoneverify.testsupport.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Reconciliation: what no webhook and no browser told us is found by asking PortOne. */
class ReconcilerTest {
    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void a_payment_nobody_reported_is_found_and_the_order_marked_paid() {
        String order = server.createOrder(15000);
        server.portone.putPayment(FakePortOne.payment("imp_600000000001", order, 15000, "paid"));

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
        server.portone.putPayment(FakePortOne.payment("imp_600000000002", order, 15000, "paid"));
        server.portone.putPayment(FakePortOne.payment("imp_600000000003", order, 15000, "failed"));

        server.reconciler().runOnce();

        assertEquals("paid", server.orderStatus(order));
    }

    @Test
    void a_deposit_whose_webhook_was_lost_is_found() {
        String order = server.createOrder(32000);
        Map<String, Object> vbank = FakePortOne.vbankReady("imp_600000000004", order, 32000);
        server.portone.putPayment(vbank);
        server.complete("imp_600000000004", order);
        vbank.put("status", "paid");
        vbank.put("paid_at", Instant.now().getEpochSecond());
        server.portone.putPayment(vbank);

        server.reconciler().runOnce();

        assertEquals("paid", server.orderStatus(order));
    }

    @Test
    void a_virtual_account_past_its_deadline_returns_the_order_to_payable_and_says_so() throws InterruptedException {
        String order = server.createOrder(32000);
        Map<String, Object> vbank = FakePortOne.vbankReady("imp_600000000005", order, 32000);
        long deadline = Instant.now().getEpochSecond() + 1;
        vbank.put("vbank_date", deadline);
        server.portone.putPayment(vbank);
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
        server.portone.putPayment(FakePortOne.payment("imp_600000000006", order, 15000, "paid"));
        server.portone.fault(FakePortOne.Fault.HTTP_503);

        Reconciler.Summary down = server.reconciler().runOnce();
        server.portone.fault(FakePortOne.Fault.NONE);
        Reconciler.Summary up = server.reconciler().runOnce();

        assertEquals(1, down.failed());
        assertEquals(1, up.changed());
        assertEquals("paid", server.orderStatus(order));
    }

    @Test
    void a_pass_is_skipped_while_another_process_holds_the_lease() {
        String order = server.createOrder(15000);
        server.portone.putPayment(FakePortOne.payment("imp_600000000007", order, 15000, "paid"));
        Instant now = Instant.now();
        server.db().onDemand(LeaseDao.class).acquire("reconcile", "another-process", now, now.plusSeconds(60));

        Reconciler.Summary summary = server.reconciler().runOnce();

        assertTrue(summary.skipped());
        assertEquals("pending", server.orderStatus(order));
    }

    @Test
    void a_pass_asks_portone_once_for_what_changed_and_looks_up_no_order() {
        String order = server.createOrder(15000);
        server.portone.putPayment(FakePortOne.payment("imp_600000000008", order, 15000, "paid"));
        server.complete("imp_600000000008", order);
        for (int i = 0; i < 5; i++) {
            server.createOrder(1000 + i);
        }
        int before = server.portone.requests().size();

        Reconciler.Summary summary = server.reconciler().runOnce();

        List<FakePortOne.Recorded> pass = server.portone.requests().subList(before, server.portone.requests().size());
        assertEquals(List.of("/payments/status/all"), pass.stream().map(FakePortOne.Recorded::path).toList());
        assertTrue(pass.get(0).query().contains("limit=1000"), pass.get(0).query());
        assertEquals(1, summary.listed());
        assertEquals(0, summary.checked(), "what the browser reported already is not verified again");
    }

    @Test
    void a_refund_portone_did_not_carry_out_is_retried_by_the_next_pass_even_for_a_closed_order() {
        String order = server.createOrder(15000);
        server.portone.putPayment(FakePortOne.payment("imp_600000000010", order, 15000, "paid"));
        server.complete("imp_600000000010", order);
        server.portone.refuseCancels(true);
        server.portone.putPayment(FakePortOne.payment("imp_600000000011", order, 15000, "paid"));
        server.complete("imp_600000000011", order);   // a duplicate: refund due, PortOne refuses
        server.portone.refuseCancels(false);

        server.reconciler().runOnce();

        assertEquals("cancelled", server.portone.payment("imp_600000000011").get("status"));
        assertEquals("paid", server.orderStatus(order));
        assertEquals("refunded", server.db().onDemand(dev.portoneverify.payment.PaymentDao.class).refundState("imp_600000000011"));
    }

    @Test
    void the_reconcile_command_runs_one_pass_and_exits() throws Exception {
        String order = server.createOrder(15000);
        server.portone.putPayment(FakePortOne.payment("imp_600000000009", order, 15000, "paid"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "reconcile").redirectErrorStream(true);
        builder.environment().putAll(TestServer.baseEnv(server.portone, server.databaseUrl()));

        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));

        assertEquals(0, process.exitValue(), output);
        assertTrue(output.contains("1 payments listed as changed, 1 checked, 1 orders changed, 0 failed"), output);
        assertEquals("paid", server.orderStatus(order));
    }
}
