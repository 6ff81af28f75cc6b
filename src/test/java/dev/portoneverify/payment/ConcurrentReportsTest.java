package dev.portoneverify.payment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portoneverify.testsupport.FaultProxy.Fault;
import dev.portoneverify.testsupport.Race;
import dev.portoneverify.testsupport.TestServer;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The browser and many webhook deliveries report the same payment at the same moment. */
class ConcurrentReportsTest {

    @Test
    void twenty_simultaneous_reports_of_one_vbank_change_the_order_once_and_send_one_sms() throws Exception {
        try (TestServer server = TestServer.start()) {
            String order = server.createOrder(50000);
            server.portone.issueVbank("imp_400000000001", order, 50000);
            server.portone.delayMillis(20);

            List<Integer> statuses = Race.of(20, i -> i % 4 == 0
                    ? server.complete("imp_400000000001", order).status()
                    : server.webhook("imp_400000000001", order, "ready").status());

            assertEquals(List.of(200), statuses.stream().distinct().toList());
            assertEquals("awaiting_deposit", server.orderStatus(order));
            List<HistoryEntry> history = server.db().onDemand(HistoryDao.class).forOrder(order);
            assertEquals(20, history.size());
            assertEquals(1, history.stream().filter(HistoryEntry::orderChanged).count());
            server.sms.awaitSent(1);
            Thread.sleep(200);
            assertEquals(1, server.sms.sent().size());
        }
    }

    @Test
    void simultaneous_reports_of_a_forgery_refund_it_exactly_once() throws Exception {
        try (TestServer server = TestServer.start()) {
            String order = server.createOrder(50000);
            server.portone.payTampered("imp_400000000002", order, 500, null);
            server.portone.delayMillis(20);

            List<Integer> statuses = Race.of(10, i -> server.webhook("imp_400000000002", order, "paid").status());

            assertEquals(List.of(200), statuses.stream().distinct().toList());
            assertEquals(1, server.portone.cancels().size());
            assertEquals("pending", server.orderStatus(order));
        }
    }

    @Test
    void fifty_simultaneous_reports_of_one_paid_payment_all_answer_success_and_change_the_order_once() throws Exception {
        try (TestServer server = TestServer.start()) {
            String order = server.createOrder(15000);
            server.portone.pay("imp_400000000003", order, 15000);

            List<String> answers = raceAnswers(50, i -> i % 5 == 0
                    ? server.complete("imp_400000000003", order)
                    : server.webhook("imp_400000000003", order, "paid"));

            assertEquals(List.of("200 success"), answers.stream().distinct().toList());
            List<HistoryEntry> history = server.db().onDemand(HistoryDao.class).forOrder(order);
            assertEquals(50, history.size());
            assertEquals(1, history.stream().filter(HistoryEntry::orderChanged).count());
            assertEquals(1, server.portone.count("POST", "/users/getToken"));
        }
    }

    @Test
    void two_different_payments_for_one_order_at_once_accept_one_and_refund_the_other() throws Exception {
        try (TestServer server = TestServer.start()) {
            String order = server.createOrder(15000);
            server.portone.pay("imp_400000000004", order, 15000);
            server.portone.pay("imp_400000000005", order, 15000);
            server.portone.delayMillis(20);

            List<String> answers = raceAnswers(20, i -> server.complete(i % 2 == 0 ? "imp_400000000004" : "imp_400000000005", order));

            assertEquals(2, answers.stream().distinct().count(), answers.toString());
            assertTrue(answers.contains("200 success") && answers.contains("409 already_paid"), answers.toString());
            assertEquals(1, server.portone.cancels().size());
            String winner = server.get("/orders/" + order).body().path("payment").path("imp_uid").asText();
            assertFalse(server.portone.cancels().get(0).body().contains(winner));
        }
    }

    @Test
    void a_hanging_portone_does_not_slow_down_unrelated_requests() throws Exception {
        try (TestServer server = TestServer.start(java.util.Map.of("PORTONE_TIMEOUT_MS", "4000"))) {
            String order = server.createOrder(15000);
            server.portone.pay("imp_400000000006", order, 15000);
            server.portone.fault(Fault.HANG);
            ExecutorService stuck = Executors.newFixedThreadPool(40);
            try {
                for (int i = 0; i < 40; i++) {
                    stuck.submit(() -> server.complete("imp_400000000006", order));
                }
                Thread.sleep(300);   // let them reach PortOne and hang

                long started = System.nanoTime();
                for (int i = 0; i < 10; i++) {
                    assertEquals(200, server.get("/orders/" + order).status());
                    server.createUser("김철수", "010-5555-1234");
                }
                long millis = (System.nanoTime() - started) / 1_000_000;

                assertTrue(millis < 2_000, "20 unrelated requests took " + millis + " ms while PortOne hung");
            } finally {
                server.portone.fault(null);
                // the hung verifications end at PORTONE_TIMEOUT_MS with their own answer: stopping the server
                // under them instead would have Jetty answer whichever were still open with a bare 500
                stuck.shutdown();
                assertTrue(stuck.awaitTermination(30, TimeUnit.SECONDS), "the hung verifications were answered");
            }
        }
    }

    interface Reported {
        TestServer.Answer run(int i) throws Exception;
    }

    private static List<String> raceAnswers(int n, Reported call) throws Exception {
        return Race.of(n, i -> {
            TestServer.Answer a = call.run(i);
            return a.status() + " " + a.text("status");
        });
    }
}
