package dev.portoneverify.robustness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portoneverify.payment.HistoryDao;
import dev.portoneverify.payment.HistoryEntry;
import dev.portoneverify.payment.PaymentDao;
import dev.portoneverify.testsupport.FakePortOne;
import dev.portoneverify.testsupport.FakePortOne.CancelHold;
import dev.portoneverify.testsupport.TestDatabase;
import dev.portoneverify.testsupport.TestServer;
import dev.portoneverify.web.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import kong.unirest.core.Unirest;
import kong.unirest.core.UnirestInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server process is killed (SIGKILL) while it refunds a duplicate payment: once while the cancel
 * call is in flight and PortOne has done nothing, once after PortOne refunded and before its answer
 * was recorded. Started again on the same database, the next reconciliation pass settles the claim
 * from PortOne's record: refunded once, never twice, with a history row that says so.
 */
class RefundKillTest {
    private static final String TOKEN = "test-admin-token-0123456789abcdef";
    private static final Map<String, String> AUTH = Map.of("Authorization", "Bearer " + TOKEN);
    private static final String CARD = "imp_530000000001";
    private static final String DUPLICATE = "imp_530000000002";

    @TempDir
    Path dir;
    private FakePortOne portone;
    private TestDatabase database;
    private Map<String, String> env;
    private final ObjectMapper json = Json.newMapper();
    private final UnirestInstance http = Unirest.spawnInstance();

    @BeforeEach
    void start() {
        portone = FakePortOne.start();
        database = TestDatabase.create(dir);
        env = new HashMap<>(TestServer.baseEnv(portone, database.url()));
        env.put("ADMIN_TOKEN", TOKEN);
    }

    @AfterEach
    void stop() {
        http.close();
        portone.close();
        database.close();
    }

    @Test
    void a_kill_during_the_refund_call_is_retried_with_checksum_by_the_next_pass() throws Exception {
        String order = killDuringDuplicateRefund(CancelHold.BEFORE);
        assertEquals(15000, amountLeft(), "PortOne refunded although the call never reached it");

        try (TestServer restarted = TestServer.on(portone, env)) {
            JsonNode open = restarted.get("/admin/refunds/failed", AUTH).body();
            assertEquals(DUPLICATE, open.at("/0/imp_uid").asText(), open.toString());
            assertEquals("requested", open.at("/0/refund_state").asText());

            settle(restarted);

            assertEquals(0, amountLeft());
            assertEquals(2, portone.cancels().size(), "the cut-short call and one retry");
            assertTrue(portone.cancels().get(1).body().contains("\"checksum\":15000"), portone.cancels().get(1).body());
            assertEquals("paid", restarted.get("/admin/orders/" + order, AUTH).body().at("/order/status").asText());
            assertEquals(0, restarted.get("/admin/refunds/failed", AUTH).body().size());
        }
    }

    @Test
    void a_kill_after_portone_refunded_and_before_it_was_recorded_is_settled_from_portones_record() throws Exception {
        String order = killDuringDuplicateRefund(CancelHold.AFTER);
        assertEquals(0, amountLeft(), "PortOne did not refund before the kill");

        try (TestServer restarted = TestServer.on(portone, env)) {
            settle(restarted);

            assertEquals(1, portone.cancels().size(), "refunded twice");
            List<HistoryEntry> history = restarted.db().onDemand(HistoryDao.class).forPayment(DUPLICATE);
            HistoryEntry last = history.get(history.size() - 1);
            assertEquals("refunded", last.outcome());
            assertEquals("reconciliation", last.source());
            assertTrue(last.detail().contains("PortOne's record settles the refund"), last.detail());
            assertEquals("paid", restarted.get("/admin/orders/" + order, AUTH).body().at("/order/status").asText());
        }
    }

    /** A card pays the order, a second card pays it again, and the server dies refunding the second. */
    private String killDuringDuplicateRefund(CancelHold hold) throws Exception {
        ServerProcess server = ServerProcess.start(env, List.of()).awaitListening();
        try {
            JsonNode buyer = post(server, "/users", Map.of("name", "홍길동", "phone", "010-1234-5678"), Map.of());
            String order = post(server, "/orders", Map.of("user_id", buyer.get("id").asLong(), "name", "책", "amount", 15000),
                    Map.of("Authorization", "Bearer " + buyer.get("token").asText())).get("merchant_uid").asText();
            portone.putPayment(FakePortOne.payment(CARD, order, 15000, "paid"));
            portone.putPayment(FakePortOne.payment(DUPLICATE, order, 15000, "paid"));
            assertEquals("success", post(server, "/payments/complete", Map.of("imp_uid", CARD, "merchant_uid", order))
                    .get("status").asText());

            portone.holdCancels(hold);
            CompletableFuture<JsonNode> duplicate = CompletableFuture.supplyAsync(() -> post(server, "/payments/complete",
                    Map.of("imp_uid", DUPLICATE, "merchant_uid", order)));
            assertTrue(portone.awaitHeldCancel(10_000), "the refund call never reached PortOne");
            server.kill();
            portone.releaseCancels();
            duplicate.handle((answer, error) -> null).get(10, TimeUnit.SECONDS);
            return order;
        } finally {
            server.kill();
        }
    }

    /** Passes until the claim is settled: a claim counts as cut short once it is older than 2 PortOne timeouts. */
    private void settle(TestServer server) throws InterruptedException {
        PaymentDao payments = server.db().onDemand(PaymentDao.class);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!"refunded".equals(payments.refundState(DUPLICATE)) && System.nanoTime() < deadline) {
            server.reconciler().runOnce();
            Thread.sleep(200);
        }
        assertEquals("refunded", payments.refundState(DUPLICATE));
    }

    private long amountLeft() {
        Map<String, Object> p = portone.payment(DUPLICATE);
        return Long.parseLong(String.valueOf(p.get("amount"))) - Long.parseLong(String.valueOf(p.get("cancel_amount")));
    }

    private JsonNode post(ServerProcess server, String path, Map<String, Object> body) {
        return post(server, path, body, Map.of());
    }

    private JsonNode post(ServerProcess server, String path, Map<String, Object> body, Map<String, String> headers) {
        try {
            String answer = http.post(server.url(path)).header("Content-Type", "application/json").headers(headers)
                    .body(json.writeValueAsString(body)).asString().getBody();
            return json.readTree(answer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
