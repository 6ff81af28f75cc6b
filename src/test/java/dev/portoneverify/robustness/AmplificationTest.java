package dev.portoneverify.robustness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portoneverify.testsupport.FaultProxy.Fault;
import dev.portoneverify.testsupport.TestServer;
import dev.portoneverify.testsupport.TestServer.Answer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import kong.unirest.core.HttpResponse;
import kong.unirest.core.Unirest;
import kong.unirest.core.UnirestInstance;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, item 3: requests from outside do not turn one for one into PortOne calls or rows.
 */
class AmplificationTest {

    @Test
    void concurrent_reports_of_one_payment_share_one_portone_lookup() throws Exception {
        try (TestServer server = TestServer.start()) {
            String order = server.createOrder(15000);
            server.portone.pay("imp_500000000001", order, 15000);
            server.complete("imp_500000000001", order);    // the token is fetched, the order paid
            long before = server.portone.count("GET", "/payments/imp_500000000001");
            server.portone.delayMillis(700);          // every report below arrives while the first is in flight
            ExecutorService pool = Executors.newFixedThreadPool(20);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Answer>> answers = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    boolean browser = i % 2 == 0;
                    answers.add(pool.submit(() -> {
                        start.await();
                        return browser ? server.complete("imp_500000000001", order)
                                : server.webhook("imp_500000000001", order, "paid");
                    }));
                }
                start.countDown();
                for (Future<Answer> answer : answers) {
                    assertEquals("success", answer.get(30, TimeUnit.SECONDS).text("status"));
                }
            } finally {
                pool.shutdownNow();
            }
            assertEquals(1, server.portone.count("GET", "/payments/imp_500000000001") - before);
        }
    }

    @Test
    void an_imp_uid_portone_just_called_unknown_is_not_asked_again() {
        try (TestServer server = TestServer.start()) {
            for (int i = 0; i < 10; i++) {
                assertEquals("unknown_payment", server.complete("imp_599999999999", "order_x").text("status"));
                assertEquals("unknown_payment", server.webhook("imp_599999999999", "order_x", "paid").text("status"));
            }
            assertEquals(1, server.portone.count("GET", "/payments/imp_599999999999"));
        }
    }

    @Test
    void reports_of_unknown_payments_beyond_the_limit_get_429_with_retry_after_and_cost_nothing() {
        try (TestServer server = TestServer.start(Map.of("LIMIT_UNKNOWN_REPORTS_PER_MINUTE", "5"))) {
            for (int i = 0; i < 5; i++) {
                assertEquals(404, server.complete("imp_61000000000" + i, "order_x").status());
            }
            long lookups = server.portone.requests().stream().filter(r -> r.path().startsWith("/payments/")).count();
            for (Answer refused : List.of(server.complete("imp_619999999999", "order_x"),
                    server.webhook("imp_619999999999", "order_x", "paid"))) {
                assertEquals(429, refused.status(), refused.raw());
                assertEquals("rate_limited", refused.text("status"));
            }
            // PortOne's Confirm Process calls are never refused: a refusal would fail a buyer's payment
            assertEquals(404, server.postJson("/payments/confirm",
                    Map.of("imp_uid", "imp_1", "merchant_uid", "order_x", "amount", 100)).status());
            assertEquals(lookups, server.portone.requests().stream().filter(r -> r.path().startsWith("/payments/")).count());
            HttpResponse<String> raw = rawComplete(server);
            assertEquals(429, raw.getStatus());
            String retryAfter = raw.getHeaders().getFirst("Retry-After");
            assertNotNull(retryAfter);
            assertTrue(Long.parseLong(retryAfter) >= 1, retryAfter);
        }
    }

    @Test
    void a_flash_sale_of_a_thousand_buyers_behind_one_proxy_address_passes_the_default_limits() throws Exception {
        try (TestServer server = TestServer.start()) {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<String>> buyers = new ArrayList<>();
                for (int i = 0; i < 1_000; i++) {
                    String impUid = "imp_%012d".formatted(700_000_000_000L + i);
                    buyers.add(pool.submit(() -> {
                        long user = server.createUser("구매자", "010-1234-5678");
                        String order = server.createOrder(user, Map.of("user_id", user, "name", "한정판", "amount", 15000));
                        server.portone.pay(impUid, order, 15000);
                        return server.complete(impUid, order).text("status");
                    }));
                }
                for (Future<String> buyer : buyers) {
                    assertEquals("success", buyer.get(120, TimeUnit.SECONDS));
                }
            } finally {
                pool.shutdownNow();
            }
            int paid = server.db().withHandle(h -> h.createQuery(
                    "SELECT count(*) FROM orders WHERE status = 'paid'").mapTo(Integer.class).one());
            assertEquals(1_000, paid);
        }
    }

    @Test
    void order_creations_beyond_the_limit_get_429() {
        try (TestServer server = TestServer.start(Map.of("LIMIT_ORDERS_PER_MINUTE", "4"))) {
            long user = server.createUser("홍길동", "010-1234-5678");    // one of the four
            for (int i = 0; i < 3; i++) {
                server.createOrder(user, Map.of("user_id", user, "name", "x", "amount", 1000));
            }
            Answer refused = server.postJson("/orders", Map.of("user_id", user, "name", "x", "amount", 1000));
            assertEquals(429, refused.status(), refused.raw());
            assertEquals(3, server.rows("orders"));
            assertEquals(3, server.portone.count("POST", "/payments/prepare"));
            // reading stays open
            assertEquals(200, server.get("/users/" + user).status());
        }
    }

    @Test
    void health_probes_with_a_rejected_key_ask_portone_for_a_token_at_most_once_a_minute() {
        try (TestServer server = TestServer.start(Map.of("LIMIT_HEALTH_PER_MINUTE", "30",
                "PORTONE_API_SECRET", "a-secret-portone-rejects"))) {
            int refused = 0;
            for (int i = 0; i < 40; i++) {
                Answer health = server.get("/health");
                if (health.status() == 429) {
                    refused++;
                } else {
                    assertEquals(503, health.status(), health.raw());
                    assertEquals("unauthorized", health.body().path("checks").path("portone").asText());
                }
            }
            // 30 at once, then one every two seconds
            assertTrue(refused >= 5 && refused <= 10, refused + " of 40 probes refused");
            assertEquals(1, server.portone.count("POST", "/users/getToken"));
        }
    }

    @Test
    void webhooks_while_portone_fails_are_not_each_retried() {
        try (TestServer server = TestServer.start()) {
            server.get("/health");     // a token first, so that only lookups are counted
            server.portone.fault(Fault.HTTP_503);
            for (int i = 0; i < 20; i++) {
                assertEquals(503, server.webhook("imp_62000000%04d".formatted(i), "order_x", "paid").status());
            }
            long lookups = server.portone.requests().stream().filter(r -> r.path().startsWith("/payments/imp_62")).count();
            // the first failure is retried once; while PortOne keeps failing, the rest are not
            assertTrue(lookups <= 21, lookups + " lookups for 20 webhooks");
        }
    }

    @Test
    void json_endpoints_refuse_other_content_types_with_415_and_the_webhook_takes_a_form() {
        try (TestServer server = TestServer.start()) {
            long user = server.createUser("홍길동", "010-1234-5678");
            String order = server.createOrder(15000);
            String[][] posts = {
                    {"/users", "{\"name\":\"홍길동\",\"phone\":\"010-1234-5678\"}"},
                    {"/orders", "{\"user_id\":" + user + ",\"name\":\"x\",\"amount\":1000}"},
                    {"/payments/complete", "{\"imp_uid\":\"imp_1\",\"merchant_uid\":\"" + order + "\"}"},
            };
            for (String[] post : posts) {
                for (String type : List.of("text/plain", "text/plain; charset=utf-8", "application/x-www-form-urlencoded",
                        "multipart/form-data; boundary=x")) {
                    Answer answer = server.postRaw(post[0], type, post[1], server.buyerToken(user));
                    assertEquals(415, answer.status(), post[0] + " as " + type + ": " + answer.raw());
                    assertEquals("unsupported_media_type", answer.text("status"));
                }
            }
            assertEquals(2, server.rows("users"));
            assertEquals(1, server.rows("orders"));
            assertTrue(server.portone.requests().stream().noneMatch(r -> r.path().startsWith("/payments/imp_1")));
            Answer form = server.postForm("/portone-webhook", Map.of("imp_uid", "imp_630000000001", "status", "paid"));
            assertEquals(200, form.status(), form.raw());
        }
    }

    private static HttpResponse<String> rawComplete(TestServer server) {
        try (UnirestInstance http = Unirest.spawnInstance()) {
            return http.post(server.url("/payments/complete")).header("Content-Type", "application/json")
                    .body("{\"imp_uid\":\"imp_629999999999\",\"merchant_uid\":\"order_x\"}").asString();
        }
    }
}
