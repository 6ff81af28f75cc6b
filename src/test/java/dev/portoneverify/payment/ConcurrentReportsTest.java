package dev.portoneverify.payment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.portoneverify.testsupport.FakePortOne;
import dev.portoneverify.testsupport.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The browser and many webhook deliveries report the same payment at the same moment. */
class ConcurrentReportsTest {

    @Test
    void twenty_simultaneous_reports_of_one_vbank_change_the_order_once_and_send_one_sms() throws Exception {
        try (TestServer server = TestServer.start()) {
            String order = server.createOrder(50000);
            server.portone.putPayment(FakePortOne.vbankReady("imp_400000000001", order, 50000));
            server.portone.delayMillis(20);

            List<Integer> statuses = race(20, i -> i % 4 == 0
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
            server.portone.putPayment(FakePortOne.payment("imp_400000000002", order, 500, "paid"));
            server.portone.delayMillis(20);

            List<Integer> statuses = race(10, i -> server.webhook("imp_400000000002", order, "paid").status());

            assertEquals(List.of(200), statuses.stream().distinct().toList());
            assertEquals(1, server.portone.cancels().size());
            assertEquals("pending", server.orderStatus(order));
        }
    }

    interface Call {
        int run(int i) throws Exception;
    }

    private static List<Integer> race(int n, Call call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Callable<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                calls.add(() -> call.run(index));
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : pool.invokeAll(calls)) {
                statuses.add(f.get());
            }
            return statuses;
        } finally {
            pool.shutdownNow();
        }
    }
}
