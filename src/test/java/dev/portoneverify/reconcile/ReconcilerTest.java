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
import dev.portoneverify.payment.PaymentDao;
import java.time.Duration;
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
    void a_refund_portone_carried_out_whose_answer_was_lost_is_settled_by_the_next_pass_without_a_second_cancel() {
        String order = server.createOrder(15000);
        server.portone.putPayment(FakePortOne.payment("imp_600000000020", order, 15000, "paid"));
        server.complete("imp_600000000020", order);
        server.portone.putPayment(FakePortOne.payment("imp_600000000021", order, 15000, "paid"));
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
        Map<String, Object> payment = FakePortOne.payment("imp_600000000030", order, 15000, "paid");
        payment.put("cancel_amount", 14000);
        server.portone.putPayment(payment);

        server.reconciler().runOnce();

        assertEquals("partially_refunded", server.orderStatus(order));
        assertEquals(14000, server.get("/orders/" + order).body().get("refunded_amount").asInt());
        assertEquals("partially_cancelled", server.complete("imp_600000000030", order).text("status"));
    }

    @Test
    void a_pass_after_the_server_was_down_for_days_lists_the_whole_gap_and_a_second_instance_continues_from_it() {
        Instant now = Instant.now();
        server.db().onDemand(PositionDao.class).advance("payments", now.minus(Duration.ofDays(3)), now);
        String order = server.createOrder(15000);
        Map<String, Object> payment = FakePortOne.payment("imp_600000000040", order, 15000, "paid");
        payment.put("paid_at", now.minus(Duration.ofDays(2)).getEpochSecond());
        server.portone.putPayment(payment);

        server.reconciler().runOnce();

        assertEquals("paid", server.orderStatus(order));
        String listing = server.portone.requests().stream().filter(r -> r.path().equals("/payments/status/all"))
                .findFirst().orElseThrow().query();
        long from = Long.parseLong(listing.replaceAll(".*from=(\\d+).*", "$1"));
        assertEquals(now.minus(Duration.ofDays(3)).minus(Reconciler.OVERLAP).getEpochSecond(), from, listing);
        try (TestServer second = TestServer.besides(server)) {
            int before = server.portone.requests().size();
            second.reconciler().runOnce();
            String next = server.portone.requests().subList(before, server.portone.requests().size()).stream()
                    .filter(r -> r.path().equals("/payments/status/all")).findFirst().orElseThrow().query();
            long nextFrom = Long.parseLong(next.replaceAll(".*from=(\\d+).*", "$1"));
            assertTrue(nextFrom >= now.minus(Reconciler.OVERLAP).getEpochSecond(), next);
        }
    }

    @Test
    void windows_follow_portones_clock_so_a_clock_behind_ours_loses_no_change_between_passes() throws InterruptedException {
        server.portone.clockOffsetSeconds(-600);
        long firstPass = Instant.now().getEpochSecond();
        server.reconciler().runOnce();
        String order = server.createOrder(15000);
        while (Instant.now().getEpochSecond() <= firstPass) {
            Thread.sleep(50);
        }
        Map<String, Object> payment = FakePortOne.payment("imp_600000000060", order, 15000, "paid");
        // paid after the first pass by PortOne's clock, though ten minutes before it by ours
        payment.put("paid_at", Instant.now().getEpochSecond() - 600);
        server.portone.putPayment(payment);

        server.reconciler().runOnce();

        assertEquals("paid", server.orderStatus(order));
    }

    @Test
    void of_two_unreported_payments_for_one_order_the_first_paid_keeps_it_and_the_later_is_refunded() {
        String order = server.createOrder(15000);
        long now = Instant.now().getEpochSecond();
        Map<String, Object> later = FakePortOne.payment("imp_600000000071", order, 15000, "paid");
        later.put("paid_at", now - 30);
        Map<String, Object> first = FakePortOne.payment("imp_600000000070", order, 15000, "paid");
        first.put("paid_at", now - 60);
        first.put("started_at", now - 200);   // listed after the later one: newest started first
        server.portone.putPayment(later);
        server.portone.putPayment(first);

        server.reconciler().runOnce();

        assertEquals("imp_600000000070", server.get("/orders/" + order).body().at("/payment/imp_uid").asText());
        assertEquals("cancelled", server.portone.payment("imp_600000000071").get("status"));
        assertEquals("paid", server.portone.payment("imp_600000000070").get("status"));
    }

    @Test
    void more_changes_than_a_page_holds_are_listed_in_smaller_windows_and_none_is_missed() {
        long now = Instant.now().getEpochSecond();
        for (int i = 0; i < 1200; i++) {
            Map<String, Object> other = FakePortOne.payment("imp_61%010d".formatted(i), "someone_elses_" + i, 1000, "paid");
            other.put("paid_at", now - 3600 + i);
            server.portone.putPayment(other);
        }
        String order = server.createOrder(15000);
        Map<String, Object> ours = FakePortOne.payment("imp_600000000050", order, 15000, "paid");
        ours.put("paid_at", now - 3600 + 600);
        server.portone.putPayment(ours);

        Reconciler.Summary summary = server.reconciler().runOnce();

        assertEquals("paid", server.orderStatus(order));
        assertEquals(1201, summary.listed());
        assertEquals(1, summary.checked());
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
