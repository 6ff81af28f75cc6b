package dev.portoneverify.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portoneverify.db.Database;
import dev.portoneverify.db.DatabaseSettings;
import dev.portoneverify.testsupport.ServerProcess;
import dev.portoneverify.testsupport.SimulatedPortOne;
import dev.portoneverify.testsupport.TestServer;
import dev.portoneverify.web.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills the real jar with SIGKILL in the middle of a stream of verifications and webhooks, starts
 * it again on the same database, and checks that nothing answered as done was lost and that no
 * transition was half applied.
 */
class CrashSafetyIT {
    private static final int ORDERS = 240;
    private final ObjectMapper json = Json.newMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private enum Kind { CARD, VBANK, FORGED }

    private record Placed(String merchantUid, String impUid, Kind kind) {}

    @Test
    void a_killed_server_restarts_with_every_answered_payment_stored_and_no_half_applied_transition(@TempDir Path dir)
            throws Exception {
        String databaseUrl = "jdbc:sqlite:" + dir.resolve("shop.db");
        try (SimulatedPortOne portone = SimulatedPortOne.start()) {
            portone.delayMillis(3);
            Map<String, String> env = new java.util.HashMap<>(TestServer.baseEnv(portone, databaseUrl));
            // one buyer places every order from one address: the per-source limits (AmplificationTest) stay out of it
            env.put("LIMIT_ORDERS_PER_MINUTE", "0");
            env.put("LIMIT_UNKNOWN_REPORTS_PER_MINUTE", "0");
            List<Placed> placed;
            Map<String, String> answered = new ConcurrentHashMap<>();

            try (ServerProcess first = ServerProcess.jar(env).awaitListening()) {
                placed = placeOrders(first, portone);
                ExecutorService buyers = Executors.newFixedThreadPool(8);
                for (Placed p : placed) {
                    buyers.submit(() -> report(first, p, answered));
                }
                // kill in the middle of the stream, however fast this machine is
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (answered.size() < ORDERS / 6 && System.nanoTime() < deadline) {
                    Thread.sleep(1);
                }
                first.kill();
                buyers.shutdownNow();
                buyers.awaitTermination(10, TimeUnit.SECONDS);
            }
            assertFalse(answered.isEmpty(), "no report was answered before the kill: make the stream longer");
            assertTrue(answered.size() < placed.size(), "every report finished before the kill: kill earlier");

            try (ServerProcess second = ServerProcess.jar(env).awaitListening()) {
                Jdbi db = Database.open(DatabaseSettings.sqlite(databaseUrl)).jdbi();
                assertEquals("ok", db.withHandle(h -> h.createQuery("PRAGMA integrity_check").mapTo(String.class).one()));
                for (Map.Entry<String, String> a : answered.entrySet()) {
                    String status = orderStatus(second, a.getKey());
                    switch (a.getValue()) {
                        case "success" -> assertEquals("paid", status, a.getKey());
                        case "vbankIssued" -> assertTrue(status.equals("awaiting_deposit"), a.getKey() + " " + status);
                        case "forgery", "cancelled" -> assertEquals("pending", status, a.getKey());
                        default -> throw new AssertionError("unexpected answer " + a);
                    }
                }
                assertConsistent(db);

                // the buyers who got no answer try again: everything ends where it should (after a
                // refund claim cut short by the kill became stale: 2 x PORTONE_TIMEOUT_MS)
                Thread.sleep(2_100);
                for (Placed p : placed) {
                    report(second, p, answered);
                }
                for (Placed p : placed) {
                    String expected = switch (p.kind()) {
                        case CARD -> "paid";
                        case VBANK -> "awaiting_deposit";
                        case FORGED -> "pending";
                    };
                    assertEquals(expected, orderStatus(second, p.merchantUid()), p.toString());
                }
                assertConsistent(db);
                for (Placed p : placed) {
                    int refunds = portone.payment(p.impUid()).path("cancel_history").size();
                    assertEquals(p.kind() == Kind.FORGED ? 1 : 0, refunds, p + " refunded " + refunds + " times");
                }
            }
        }
    }

    /** The order, its user's account, its SMS row and its history tell the same story. */
    private static void assertConsistent(Jdbi db) {
        db.useHandle(h -> {
            for (Map<String, Object> order : h.createQuery("SELECT * FROM orders").mapToMap().list()) {
                String status = (String) order.get("status");
                Object impUid = order.get("imp_uid");
                String merchantUid = (String) order.get("merchant_uid");
                int changes = h.createQuery("SELECT count(*) FROM payment_history WHERE merchant_uid = :m AND order_changed = 1")
                        .bind("m", merchantUid).mapTo(Integer.class).one();
                switch (status) {
                    case "pending" -> {
                        assertEquals(null, impUid, merchantUid);
                        assertEquals(0, changes, merchantUid);
                    }
                    case "paid" -> {
                        assertNotNull(impUid, merchantUid);
                        assertEquals(1, changes, merchantUid);
                    }
                    case "awaiting_deposit" -> {
                        assertNotNull(impUid, merchantUid);
                        assertEquals(1, changes, merchantUid);
                        assertEquals(1, h.createQuery("SELECT count(*) FROM sms_outbox WHERE dedupe_key = :k")
                                .bind("k", "vbank:" + impUid).mapTo(Integer.class).one(), merchantUid);
                        assertNotNull(h.createQuery("SELECT u.vbank_num FROM users u JOIN orders o ON o.user_id = u.id "
                                + "WHERE o.merchant_uid = :m").bind("m", merchantUid).mapTo(String.class).one());
                    }
                    default -> throw new AssertionError("unexpected status " + status);
                }
            }
            int awaiting = h.createQuery("SELECT count(*) FROM orders WHERE status = 'awaiting_deposit'").mapTo(Integer.class).one();
            assertEquals(awaiting, h.createQuery("SELECT count(*) FROM sms_outbox").mapTo(Integer.class).one());
        });
    }

    private List<Placed> placeOrders(ServerProcess server, SimulatedPortOne portone) throws Exception {
        JsonNode buyer = post(server, "/users", "{\"name\":\"홍길동\",\"phone\":\"010-1234-5678\"}");
        long userId = buyer.get("id").asLong();
        buyerToken = buyer.get("token").asText();
        List<Placed> placed = new ArrayList<>();
        for (int i = 0; i < ORDERS; i++) {
            int amount = 1000 + i;
            JsonNode created = post(server, "/orders",
                    "{\"user_id\":" + userId + ",\"name\":\"item " + i + "\",\"amount\":" + amount + "}");
            assertTrue(created.hasNonNull("merchant_uid"), "POST /orders answered " + created);
            String merchantUid = created.get("merchant_uid").asText();
            String impUid = "imp_%012d".formatted(800_000_000L + i);
            Kind kind = i % 10 == 7 ? Kind.FORGED : i % 3 == 0 ? Kind.VBANK : Kind.CARD;
            switch (kind) {
                case CARD -> portone.pay(impUid, merchantUid, amount);
                case VBANK -> portone.issueVbank(impUid, merchantUid, amount);
                case FORGED -> portone.payTampered(impUid, merchantUid, 10, null);
            }
            placed.add(new Placed(merchantUid, impUid, kind));
        }
        return placed;
    }

    /** The browser's report and PortOne's webhook for one payment; keeps the browser's answer. */
    private void report(ServerProcess server, Placed p, Map<String, String> answered) {
        try {
            post(server, "/portone-webhook", "{\"imp_uid\":\"" + p.impUid() + "\",\"status\":\"paid\"}");
            JsonNode answer = post(server, "/payments/complete",
                    "{\"imp_uid\":\"" + p.impUid() + "\",\"merchant_uid\":\"" + p.merchantUid() + "\"}");
            answered.put(p.merchantUid(), answer.get("status").asText());
        } catch (Exception e) {
            // killed mid-request: this buyer got no answer
        }
    }

    /** The buyer's token from POST /users; orders for the buyer need it. */
    private String buyerToken = "none";

    private JsonNode post(ServerProcess server, String path, String body) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(server.url(path)))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + buyerToken)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        return json.readTree(response.body());
    }

    private String orderStatus(ServerProcess server, String merchantUid) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(server.url("/orders/" + merchantUid)))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        return json.readTree(response.body()).get("status").asText();
    }
}
