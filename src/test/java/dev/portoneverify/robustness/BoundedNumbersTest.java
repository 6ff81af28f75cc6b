package dev.portoneverify.robustness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.portoneverify.testsupport.FakePortOne;
import dev.portoneverify.testsupport.TestDatabase;
import dev.portoneverify.testsupport.TestServer;
import dev.portoneverify.testsupport.TestServer.Answer;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, item 1: every number from outside is bounded before it is stored, computed or echoed,
 * a report about nothing of ours leaves no rows, and a full disk is a 503 that /health shows.
 */
class BoundedNumbersTest {
    /** 65 bytes that once wrote ten million digits to the history, per call. */
    private static final String TEN_MILLION_DIGITS = "{\"imp_uid\":\"i\",\"merchant_uid\":\"%s\",\"amount\":1e9999999}";

    @Test
    void a_confirm_call_with_an_amount_of_ten_million_digits_is_refused_without_a_row_or_an_echo() throws Exception {
        try (TestServer server = TestServer.start()) {
            String order = server.createOrder(15000);
            for (String merchantUid : new String[] {"no-such-order", order}) {
                for (String exponent : new String[] {"1e9999999", "1e99999999", "-1e9999999", "1e-9999999"}) {
                    Answer answer = server.postRaw("/payments/confirm", "application/json",
                            TEN_MILLION_DIGITS.formatted(merchantUid).replace("1e9999999", exponent));
                    assertEquals(400, answer.status(), answer.raw());
                    assertTrue(answer.raw().length() < 300, "the answer echoes the number: " + answer.raw().length());
                    assertFalse(answer.raw().contains("0000000000"), answer.raw());
                }
            }
            // a well-formed call for the real order is recorded: once it is, nothing else was
            assertEquals(200, server.postJson("/payments/confirm",
                    Map.of("imp_uid", "imp_1", "merchant_uid", order, "amount", 15000)).status());
            awaitRows(server, 1);
            assertEquals(1, server.rows("payment_history"));
        }
    }

    @Test
    void confirm_calls_about_unknown_orders_leave_no_rows_and_repeats_leave_one() throws Exception {
        try (TestServer server = TestServer.start()) {
            for (int i = 0; i < 30; i++) {
                Answer answer = server.postJson("/payments/confirm",
                        Map.of("imp_uid", "imp_" + i, "merchant_uid", "no-such-order-" + i, "amount", 15000));
                assertEquals(404, answer.status());
            }
            String order = server.createOrder(15000);
            for (int i = 0; i < 5; i++) {
                // the same refused payment, repeated: one row
                assertEquals(400, server.postJson("/payments/confirm",
                        Map.of("imp_uid", "imp_x", "merchant_uid", order, "amount", 14000)).status());
            }
            assertEquals(200, server.postJson("/payments/confirm",
                    Map.of("imp_uid", "imp_y", "merchant_uid", order, "amount", 15000)).status());
            awaitRows(server, 2);
            assertEquals(2, server.rows("payment_history"));
        }
    }

    @Test
    void orders_with_implausible_or_sub_unit_amounts_are_refused_before_anything_is_stored() {
        try (TestServer server = TestServer.start()) {
            long user = server.createUser("홍길동", "010-1234-5678");
            for (String amount : new String[] {"1e9999999", "1e99999999", "1e-300", "0.5", "15000.000000000000000000001",
                    "100000000001", "-15000"}) {
                Answer answer = server.postRaw("/orders", "application/json", "{\"user_id\":" + user
                        + ",\"name\":\"x\",\"amount\":" + amount + "}", server.buyerToken(user));
                assertEquals(400, answer.status(), amount + " -> " + answer.raw());
                assertTrue(answer.raw().length() < 300, answer.raw());
            }
            Answer usd = server.postRaw("/orders", "application/json", "{\"user_id\":" + user
                    + ",\"name\":\"x\",\"amount\":14.205,\"currency\":\"USD\"}", server.buyerToken(user));
            assertEquals(400, usd.status(), usd.raw());
            assertEquals(0, server.rows("orders"));
            assertTrue(server.portone.requests().isEmpty(), "nothing was pre-registered");
        }
    }

    @Test
    void an_admin_refund_below_the_currencys_unit_is_refused_before_any_portone_call() {
        String admin = "bounded-numbers-admin-token-0123456789";
        try (TestServer server = TestServer.start(Map.of("ADMIN_TOKEN", admin))) {
            String order = server.createOrder(15000);
            server.portone.putPayment(FakePortOne.payment("imp_100000000001", order, 15000, "paid"));
            assertEquals("success", server.complete("imp_100000000001", order).text("status"));
            for (String amount : new String[] {"0.5", "1e-300", "1e9999999", "100.00000001"}) {
                Answer answer = server.postRaw("/admin/orders/" + order + "/refund", "application/json",
                        "{\"amount\":" + amount + ",\"reason\":\"test\"}", admin);
                assertEquals(400, answer.status(), amount + " -> " + answer.raw());
            }
            assertTrue(server.portone.cancels().isEmpty());
        }
    }

    @Test
    void an_unknown_payment_reported_again_and_again_leaves_no_history() {
        try (TestServer server = TestServer.start()) {
            for (int i = 0; i < 20; i++) {
                assertEquals(404, server.complete("imp_9" + i, "order_x").status());
                assertEquals(200, server.webhook("imp_8" + i, "order_x", "paid").status());
            }
            assertEquals(0, server.rows("payment_history"));
        }
    }

    @Test
    void a_payment_for_no_order_of_ours_is_recorded_once_however_often_it_is_reported() {
        try (TestServer server = TestServer.start()) {
            server.portone.putPayment(FakePortOne.payment("imp_200000000001", "someone-elses-order", 1000, "paid"));
            for (int i = 0; i < 5; i++) {
                assertEquals("unknown_order", server.complete("imp_200000000001", "someone-elses-order").text("status"));
                assertEquals("unknown_order", server.webhook("imp_200000000001", "x", "paid").text("status"));
            }
            assertEquals(1, server.rows("payment_history"));
        }
    }

    @Test
    void a_portone_answer_with_an_implausible_amount_is_refused_and_nothing_is_stored() {
        try (TestServer server = TestServer.start()) {
            String order = server.createOrder(15000);
            server.portone.putPayment(FakePortOne.payment("imp_300000000001", order, new BigDecimal("1e40"), "paid"));
            Answer answer = server.complete("imp_300000000001", order);
            assertEquals(502, answer.status(), answer.raw());
            assertEquals("pending", server.orderStatus(order));
            assertEquals(0, server.rows("payments"));
        }
    }

    @Test
    void a_full_disk_answers_503_like_an_unreachable_database_and_health_says_so(@TempDir Path dir) {
        // SQLite's max_page_count plays the full disk: writes past it fail with SQLITE_FULL
        assumeFalse(TestDatabase.postgresqlRun(), "SQLite's page limit plays the full disk");
        String url = "jdbc:sqlite:" + dir.resolve("full.db") + "?max_page_count=48";
        try (TestServer server = TestServer.start(Map.of("DATABASE_URL", url))) {
            Answer refused = null;
            for (int i = 0; i < 3_000 && refused == null; i++) {
                Answer answer = server.postJson("/users", Map.of("name", "가".repeat(40), "phone", "010-1234-5678"));
                if (answer.status() != 201) {
                    refused = answer;
                }
            }
            assertTrue(refused != null, "the page limit was never reached");
            assertEquals(503, refused.status(), refused.raw());
            assertEquals("database_unavailable", refused.text("status"));
            Answer health = server.get("/health");
            assertEquals(503, health.status(), health.raw());
            assertEquals("cannot_store", health.body().path("checks").path("database").asText());
        }
    }

    private static void awaitRows(TestServer server, int rows) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (server.rows("payment_history") < rows && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        // and a moment for anything that should not be there to show up
        Thread.sleep(100);
    }
}
