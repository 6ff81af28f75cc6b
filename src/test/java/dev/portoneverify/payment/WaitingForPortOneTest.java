package dev.portoneverify.payment;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.portoneverify.testsupport.FaultProxy.Fault;
import dev.portoneverify.testsupport.TestDatabase;
import dev.portoneverify.testsupport.TestServer;
import dev.portoneverify.testsupport.TestServer.Answer;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A verification waits for PortOne without holding a request thread (issue 17): Jetty's threads stay free
 * for everything else however many buyers wait, and what happens to a verification no longer depends on
 * the buyer's connection. The buyers here are asynchronous HTTP requests, so hundreds of them cost the
 * test no threads either.
 */
class WaitingForPortOneTest {
    /** More than Jetty's request threads (250 on Java 17), so that a thread per waiting buyer would run out. */
    private static final int MORE_THAN_JETTY_THREADS = 300;
    /** Rate limits are for the internet, not for a test's one address. */
    private static final Map<String, String> NO_LIMITS = Map.of("LIMIT_UNKNOWN_REPORTS_PER_MINUTE", "0",
            "LIMIT_ORDERS_PER_MINUTE", "0", "LIMIT_HEALTH_PER_MINUTE", "0");

    private final HttpClient buyers = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    @Test
    void three_hundred_buyers_waiting_on_a_hanging_portone_leave_health_answering_and_each_get_a_504_in_bounded_time()
            throws Exception {
        try (TestServer server = TestServer.start(with(NO_LIMITS, "PORTONE_TIMEOUT_MS", "5000"))) {
            // a token in the cache first: /health then needs no PortOne call, whatever PortOne does
            String order = server.createOrder(15000);
            server.portone.pay("imp_170000000000", order, 15000);
            assertEquals(200, server.complete("imp_170000000000", order).status());
            server.portone.fault(Fault.HANG);
            try {
                List<CompletableFuture<HttpResponse<String>>> waiting = new ArrayList<>();
                for (int i = 1; i <= MORE_THAN_JETTY_THREADS; i++) {
                    // each its own imp_uid: one shared lookup would wait on one connection only
                    waiting.add(complete(server, "imp_17%010d".formatted(i), order));
                }
                awaitRequestsAtPortOne(server, MORE_THAN_JETTY_THREADS / 2);

                Answer health = server.get("/health");
                Answer unrelated = server.get("/orders/" + order);

                // answered while every buyer still waits: no verification had to give its thread back first
                boolean noneAnswered = waiting.stream().noneMatch(CompletableFuture::isDone);
                assertEquals(200, health.status(), health.raw());
                assertEquals(200, unrelated.status(), unrelated.raw());
                assertTrue(noneAnswered, "a buyer was answered before /health was");
                Map<String, Integer> answers = tally(waiting);
                assertEquals(Map.of("504 portone_timeout", MORE_THAN_JETTY_THREADS), answers);
            } finally {
                server.portone.fault(null);
            }
            assertEquals("paid", server.orderStatus(order));
        }
    }

    @Test
    void more_simultaneous_verifications_than_jetty_has_threads_all_succeed_and_each_order_is_paid_once()
            throws Exception {
        try (TestServer server = TestServer.start(with(NO_LIMITS, "PORTONE_TIMEOUT_MS", "15000"))) {
            List<String> orders = new ArrayList<>();
            for (int i = 0; i < MORE_THAN_JETTY_THREADS; i++) {
                String order = server.createOrder(15000);
                server.portone.pay("imp_171%09d".formatted(i), order, 15000);
                orders.add(order);
            }
            // long enough that every buyer is waiting at once
            server.portone.delayMillis(5000);

            List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
            for (int i = 0; i < orders.size(); i++) {
                burst.add(complete(server, "imp_171%09d".formatted(i), orders.get(i)));
            }
            // every lookup reached PortOne before any was answered: none waited for a thread to come free
            awaitRequestsAtPortOne(server, MORE_THAN_JETTY_THREADS);
            assertTrue(burst.stream().noneMatch(CompletableFuture::isDone), "a buyer was answered before all were asked");
            List<HttpResponse<String>> answered = new ArrayList<>();
            for (CompletableFuture<HttpResponse<String>> f : burst) {
                answered.add(f.get());
            }

            assertEquals(Map.of("200 success", MORE_THAN_JETTY_THREADS), tally(burst));
            // the request log's id still reaches every asynchronous answer
            assertTrue(answered.stream().allMatch(r -> r.headers().firstValue("X-Request-Id").isPresent()));
            for (String order : orders) {
                assertEquals("paid", server.orderStatus(order));
                assertEquals(1, server.db().onDemand(HistoryDao.class).forOrder(order).stream()
                        .filter(HistoryEntry::orderChanged).count());
            }
            assertEquals(1, server.portone.count("POST", "/users/getToken"));
        }
    }

    @Test
    void a_buyer_who_hangs_up_mid_verification_leaves_the_order_settled_once() throws Exception {
        try (TestServer server = TestServer.start(NO_LIMITS)) {
            String order = server.createOrder(15000);
            server.portone.pay("imp_172000000001", order, 15000);
            server.portone.delayMillis(800);

            byte[] body = ("{\"imp_uid\":\"imp_172000000001\",\"merchant_uid\":\"" + order + "\"}").getBytes(UTF_8);
            int port = URI.create(server.url("/")).getPort();
            try (Socket buyer = new Socket("127.0.0.1", port)) {
                OutputStream out = buyer.getOutputStream();
                out.write(("POST /payments/complete HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                        + "Content-Length: " + body.length + "\r\n\r\n").getBytes(UTF_8));
                out.write(body);
                out.flush();
                awaitRequestsAtPortOne(server, 1);
            }
            // the buyer is gone while PortOne still answers; the verification finishes without them
            TestServer.eventually(() -> server.orderStatus(order), "paid");
            server.portone.delayMillis(0);
            Answer again = server.complete("imp_172000000001", order);

            assertEquals(200, again.status(), again.raw());
            assertEquals("success", again.text("status"));
            List<HistoryEntry> history = server.db().onDemand(HistoryDao.class).forOrder(order);
            assertEquals(2, history.size(), history.toString());
            assertEquals(1, history.stream().filter(HistoryEntry::orderChanged).count());
            assertEquals(1, server.rows("payments"));
        }
    }

    @Test
    void a_verification_whose_database_cannot_store_answers_503_and_leaves_the_order_pending(@TempDir Path dir)
            throws Exception {
        assumeFalse(TestDatabase.postgresqlRun(), "SQLite's page limit plays the full disk (DatabaseOutageTest cuts PostgreSQL)");
        // SQLite's max_page_count plays the full disk: writes past it fail with SQLITE_FULL
        String url = "jdbc:sqlite:" + dir.resolve("full.db") + "?max_page_count=48";
        try (TestServer server = TestServer.start(with(NO_LIMITS, "DATABASE_URL", url))) {
            List<String> orders = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                orders.add(server.createOrder(15000));
                server.portone.pay("imp_173%09d".formatted(i), orders.get(i), 15000);
            }

            // before each verification the database is filled to its last page; the first one that
            // needs a page of its own is the case here (the ones before it fit in pages already there)
            Answer refused = null;
            String order = null;
            for (int i = 0; i < orders.size() && refused == null; i++) {
                fill(server);
                Answer answer = server.complete("imp_173%09d".formatted(i), orders.get(i));
                if (answer.status() != 200) {
                    refused = answer;
                    order = orders.get(i);
                }
            }

            assertTrue(refused != null, "every verification found room");
            assertEquals(503, refused.status(), refused.raw());
            assertEquals("database_unavailable", refused.text("status"));
            assertEquals("pending", server.orderStatus(order));
        }
    }

    /** Buyers until the database refuses one: its pages are all used. */
    private static void fill(TestServer server) {
        boolean full = false;
        for (int i = 0; i < 3_000 && !full; i++) {
            full = server.postJson("/users", Map.of("name", "가".repeat(40), "phone", "010-1234-5678")).status() == 503;
        }
        assertTrue(full, "the page limit was never reached");
    }

    private CompletableFuture<HttpResponse<String>> complete(TestServer server, String impUid, String merchantUid) {
        String body = "{\"imp_uid\":\"" + impUid + "\",\"merchant_uid\":\"" + merchantUid + "\"}";
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.url("/payments/complete")))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return buyers.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    /** "status word" of each answer, counted: e.g. {"200 success": 300}. */
    private static Map<String, Integer> tally(List<CompletableFuture<HttpResponse<String>>> answers) throws Exception {
        Map<String, Integer> counted = new TreeMap<>();
        for (CompletableFuture<HttpResponse<String>> f : answers) {
            HttpResponse<String> r = f.get();
            String status = r.body().replaceAll("(?s).*\"status\"\\s*:\\s*\"([^\"]*)\".*", "$1");
            counted.merge(r.statusCode() + " " + status, 1, Integer::sum);
        }
        return counted;
    }

    /** Until PortOne has seen {@code n} payment lookups: the buyers are then waiting for it. */
    private static void awaitRequestsAtPortOne(TestServer server, int n) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (server.portone.requests().stream().filter(r -> r.path().startsWith("/payments/imp_")).count() < n) {
            assertFalse(System.nanoTime() > deadline, "PortOne never saw " + n + " lookups");
            Thread.sleep(20);
        }
    }

    private static Map<String, String> with(Map<String, String> base, String key, String value) {
        Map<String, String> env = new java.util.HashMap<>(base);
        env.put(key, value);
        return env;
    }
}
