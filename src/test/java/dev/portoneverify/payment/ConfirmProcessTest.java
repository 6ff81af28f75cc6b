package dev.portoneverify.payment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portoneverify.testsupport.TestServer;
import dev.portoneverify.testsupport.TestServer.Answer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** POST /payments/confirm: PortOne asks before approving; only 200 lets it charge the buyer. */
class ConfirmProcessTest {
    @RegisterExtension
    final TestServer server = TestServer.live();
    private String order;

    @BeforeEach
    void start() {
        order = server.createOrder(15000);
    }

    private Answer confirm(Object amount) {
        return server.postJson("/payments/confirm", Map.of("imp_uid", "imp_900000000001", "merchant_uid", order, "amount", amount));
    }

    @Test
    void the_exact_amount_of_a_payable_order_is_confirmed_and_recorded() throws Exception {
        Answer answer = confirm(15000);

        assertEquals(200, answer.status());
        HistoryEntry entry = awaitHistory(1).get(0);
        assertEquals("confirm", entry.source());
        assertEquals("confirmed", entry.outcome());
    }

    @Test
    void a_different_amount_is_refused_with_a_reason_for_portone() throws Exception {
        Answer answer = confirm(100);

        assertEquals(400, answer.status());
        // the order's amount, never the one sent (issue 15)
        assertTrue(answer.text("reason").contains("order 15000 KRW") && !answer.text("reason").contains("100"), answer.raw());
        assertNull(answer.body().get("status"));
        assertEquals("confirm_refused", awaitHistory(1).get(0).outcome());
    }

    @Test
    void a_different_currency_is_refused() {
        Answer answer = server.postJson("/payments/confirm",
                Map.of("imp_uid", "imp_900000000001", "merchant_uid", order, "amount", 15000, "currency", "USD"));

        assertEquals(400, answer.status());
        assertTrue(answer.text("reason").contains("KRW") && !answer.text("reason").contains("USD"), answer.raw());
    }

    @Test
    void a_currency_code_in_lower_or_mixed_case_names_the_same_currency() throws Exception {
        for (String spelling : new String[] {"krw", "Krw"}) {
            Answer answer = server.postJson("/payments/confirm",
                    Map.of("imp_uid", "imp_900000000001", "merchant_uid", order, "amount", 15000, "currency", spelling));

            assertEquals(200, answer.status(), spelling + ": " + answer.raw());
        }
        // recorded as the code it names
        HistoryEntry entry = awaitHistory(1).get(0);
        assertEquals("KRW", entry.portoneCurrency());
    }

    @Test
    void an_unknown_order_is_refused_with_404() {
        Answer answer = server.postJson("/payments/confirm",
                Map.of("imp_uid", "imp_900000000001", "merchant_uid", "order_unknown", "amount", 15000));

        assertEquals(404, answer.status());
        assertTrue(answer.text("reason").contains("unknown order"));
    }

    @Test
    void an_order_already_paid_is_refused_with_409() {
        server.portone.pay("imp_900000000002", order, 15000);
        server.complete("imp_900000000002", order);

        Answer answer = confirm(15000);

        assertEquals(409, answer.status());
    }

    @Test
    void a_form_encoded_call_with_the_amount_as_text_is_understood() {
        Answer answer = server.postForm("/payments/confirm",
                Map.of("imp_uid", "imp_900000000001", "merchant_uid", order, "amount", "15000"));

        assertEquals(200, answer.status(), answer.raw());
    }

    @Test
    void malformed_calls_are_refused_with_a_reason_not_a_500() {
        for (String body : List.of("{}", "nope", "{\"imp_uid\":\"i\",\"merchant_uid\":\"m\",\"amount\":\"lots\"}")) {
            Answer answer = server.postRaw("/payments/confirm", "application/json", body);
            assertEquals(400, answer.status(), body);
            assertTrue(answer.text("reason").startsWith("잘못된 요청입니다"), answer.raw());
        }
    }

    @Test
    void the_answer_comes_at_once_even_while_the_database_is_locked_by_a_writer() throws Exception {
        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread writer = new Thread(() -> server.db().useHandle((Handle h) -> {
            h.begin();   // BEGIN IMMEDIATE: holds the write lock
            h.execute("UPDATE users SET name = name");
            locked.countDown();
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            h.commit();
        }));
        writer.start();
        assertTrue(locked.await(5, TimeUnit.SECONDS));
        try {
            long started = System.nanoTime();
            Answer answer = confirm(15000);
            long millis = (System.nanoTime() - started) / 1_000_000;

            assertEquals(200, answer.status());
            assertTrue(millis < 1_000, "took " + millis + " ms");
        } finally {
            release.countDown();
            writer.join();
        }
        assertEquals("confirmed", awaitHistory(1).get(0).outcome());
    }

    /** History rows of confirm calls are written in the background, after the answer. */
    private List<HistoryEntry> awaitHistory(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        List<HistoryEntry> history = List.of();
        while (System.nanoTime() < deadline) {
            history = server.db().onDemand(HistoryDao.class).forOrder(order);
            if (history.size() >= count) {
                return history;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("expected " + count + " history rows, found " + history);
    }
}
