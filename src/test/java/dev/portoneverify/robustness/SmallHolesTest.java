package dev.portoneverify.robustness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portoneverify.testsupport.ServerProcess;
import dev.portoneverify.testsupport.SimulatedPortOne;
import dev.portoneverify.testsupport.TestDatabase;
import dev.portoneverify.testsupport.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 15, item 6: the smaller holes, each mended. */
class SmallHolesTest {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void a_merchant_uid_with_a_newline_or_bidi_override_forges_no_log_line() throws Exception {
        try (SimulatedPortOne portone = SimulatedPortOne.start(); TestDatabase database = TestDatabase.create(tempDir())) {
            ServerProcess server = ServerProcess.classpath(env(portone, database.url(), Map.of()), List.of()).awaitListening();
            try {
                // PortOne's merchant_uid is whatever the buyer passed to IMP.request_pay
                String forged = "x\n2026-12-01T00:00:00.000Z WARN PaymentSync - refunded imp_uid=imp_1 merchant_uid=order_1\u2028\u202e";
                // the control API bounds a merchant_uid to 40 characters, so PortOne's answer carries the long one
                portone.pay("imp_900000000001", "order_forged", 1000);
                portone.rewritePayment("imp_900000000001", p -> p.put("merchant_uid", forged));
                HttpResponse<String> answer = post(server, "/payments/complete",
                        "{\"imp_uid\":\"imp_900000000001\",\"merchant_uid\":\"order_x\"}");
                assertEquals(400, answer.statusCode(), answer.body());   // order_mismatch: PortOne names another order
                assertTrue(server.awaitLine(line -> line.contains("imp_900000000001") && line.contains("req="), 10_000));
            } finally {
                server.stop();
            }
            List<String> lines = server.output();
            assertTrue(lines.stream().noneMatch(line -> line.startsWith("2026-12-01T00:00:00.000Z")), String.join("\n", lines));
            assertTrue(lines.stream().noneMatch(line -> line.indexOf('\u2028') >= 0 || line.indexOf('\u202e') >= 0));
            assertTrue(lines.stream().anyMatch(line -> line.contains("\\u000a2026-12-01T00:00:00.000Z WARN")));
        }
    }

    @Test
    void names_and_imp_uids_with_line_separators_or_bidi_overrides_are_refused() {
        try (TestServer server = TestServer.start()) {
            for (String name : List.of("홍길동\u2028WARN", "\u202e동길홍", "a\u2066b")) {
                assertEquals(400, server.postJson("/users", Map.of("name", name, "phone", "010-1234-5678")).status());
            }
            assertEquals(400, server.complete("imp_1\u2028WARN", "order_x").status());
            assertEquals(0, server.rows("users"));
            assertTrue(server.portone.requests().isEmpty());
        }
    }

    @Test
    void a_password_in_portone_api_url_stops_start_up_with_one_line_that_does_not_show_it() throws Exception {
        try (SimulatedPortOne portone = SimulatedPortOne.start(); TestDatabase database = TestDatabase.create(tempDir())) {
            String withPassword = portone.baseUrl().toString().replace("://", "://shop:hunter2-secret@");
            ServerProcess server = ServerProcess.classpath(env(portone, database.url(), Map.of("PORTONE_API_URL", withPassword)),
                    List.of());
            int exit = server.awaitExit(60);
            String out = String.join("\n", server.output());
            assertEquals(2, exit, out);
            assertTrue(out.contains("PORTONE_API_URL=http://***@"), out);
            assertFalse(out.contains("hunter2-secret"), out);
        }
    }

    @Test
    void a_read_only_database_stops_start_up_with_one_line_and_no_stack_trace(@TempDir Path dir) throws Exception {
        // a database opened read-only (mode=ro) is what a read-only file or mount gives, also for root
        Path file = dir.resolve("ro.db");
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file)) {
            c.createStatement().execute("CREATE TABLE placeholder (x INTEGER)");
        }
        String url = "jdbc:sqlite:file:" + file + "?mode=ro";
        try (SimulatedPortOne portone = SimulatedPortOne.start()) {
            ServerProcess server = ServerProcess.classpath(env(portone, url, Map.of()), List.of());
            int exit = server.awaitExit(60);
            String out = String.join("\n", server.output());
            assertEquals(2, exit, out);
            assertTrue(out.contains("portone-verify cannot start: DATABASE_URL="), out);
            assertFalse(out.contains("\tat ") || out.contains("Exception"), out);
        }
    }

    @Test
    void pages_and_answers_carry_a_content_security_policy_and_refuse_framing_and_sniffing() {
        try (TestServer server = TestServer.start()) {
            for (String path : List.of("/", "/index.html", "/checkout.js", "/admin.html", "/health", "/orders/nothing")) {
                kong.unirest.core.HttpResponse<String> answer = kong.unirest.core.Unirest.spawnInstance()
                        .get(server.url(path)).asString();
                String csp = answer.getHeaders().getFirst("Content-Security-Policy");
                assertTrue(csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"), path + ": " + csp);
                assertFalse(csp.contains("'unsafe-inline'") && csp.contains("script-src 'unsafe-inline'"), csp);
                assertEquals("DENY", answer.getHeaders().getFirst("X-Frame-Options"), path);
                assertEquals("nosniff", answer.getHeaders().getFirst("X-Content-Type-Options"), path);
            }
        }
    }

    @Test
    void metrics_need_the_metrics_token_when_one_is_set() {
        String token = "metrics-token-0123456789abcdef";
        try (TestServer server = TestServer.start(Map.of("METRICS_TOKEN", token))) {
            assertEquals(401, server.get("/metrics", Map.of()).status());
            assertEquals(401, server.get("/metrics", Map.of("Authorization", "Bearer wrong")).status());
            kong.unirest.core.HttpResponse<String> scrape = kong.unirest.core.Unirest.spawnInstance().get(server.url("/metrics"))
                    .header("Authorization", "Bearer " + token).asString();
            assertEquals(200, scrape.getStatus());
            assertTrue(scrape.getBody().contains("# TYPE"), scrape.getBody());
        }
        try (TestServer open = TestServer.start()) {
            assertNotEquals(401, open.get("/health").status());
        }
    }

    private static Map<String, String> env(SimulatedPortOne portone, String databaseUrl, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(TestServer.baseEnv(portone, databaseUrl));
        env.put("PORTONE_TIMEOUT_MS", "5000");
        env.putAll(extra);
        return env;
    }

    private HttpResponse<String> post(ServerProcess server, String path, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.url(path))).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json").POST(BodyPublishers.ofString(json)).build(), BodyHandlers.ofString());
    }

    private static Path tempDir() throws java.io.IOException {
        return java.nio.file.Files.createTempDirectory("portone-verify-holes");
    }
}
