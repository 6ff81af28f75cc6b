package dev.portoneverify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portoneverify.testsupport.ServerProcess;
import dev.portoneverify.testsupport.SimulatedPortOne;
import dev.portoneverify.testsupport.TestServer;
import dev.portoneverify.web.Json;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import kong.unirest.core.Unirest;
import kong.unirest.core.UnirestInstance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StartupTest {

    @Test
    void a_restart_on_the_same_database_keeps_every_order() throws Exception {
        try (SimulatedPortOne portone = SimulatedPortOne.start(); UnirestInstance http = Unirest.spawnInstance()) {
            Path dir = java.nio.file.Files.createTempDirectory("portone-verify-restart");
            Config config = Config.fromEnv(TestServer.baseEnv(portone, "jdbc:sqlite:" + dir.resolve("shop.db")));

            Server first = Main.build(config, (phone, text) -> { }, Clock.systemUTC()).start(0);
            String base = "http://localhost:" + first.port();
            String buyer = http.post(base + "/users").header("Content-Type", "application/json")
                    .body("{\"name\":\"홍길동\",\"phone\":\"010-1234-5678\"}").asString().getBody();
            String token = Json.newMapper().readTree(buyer).get("token").asText();
            String created = http.post(base + "/orders").header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + token)
                    .body("{\"user_id\":1,\"name\":\"책\",\"amount\":9900}").asString().getBody();
            first.stop();

            Server second = Main.build(config, (phone, text) -> { }, Clock.systemUTC()).start(0);
            try {
                String merchantUid = Json.newMapper().readTree(created).get("merchant_uid").asText();
                var read = http.get("http://localhost:" + second.port() + "/orders/" + merchantUid).asString();
                assertEquals(200, read.getStatus());
                assertTrue(read.getBody().contains("\"amount\":9900"), read.getBody());
            } finally {
                second.stop();
            }
        }
    }

    @Test
    void live_mode_without_portone_keys_prints_one_clear_line_and_exits(@TempDir Path dir) throws Exception {
        ServerProcess process = ServerProcess.classpath(
                Map.of("DATABASE_URL", "jdbc:sqlite:" + dir.resolve("shop.db"), "PORTONE_MODE", "live"), List.of());

        int exit = process.awaitExit(30);   // it should exit, not start
        List<String> lines = process.output().stream().filter(line -> !line.isBlank()).toList();

        assertEquals(2, exit);
        assertEquals(1, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).contains("PORTONE_API_KEY is not set"), lines.get(0));
    }

    @Test
    void a_server_stopped_with_sigterm_says_so_in_its_last_line(@TempDir Path dir) throws Exception {
        for (boolean live : new boolean[] {false, true}) {
            try (SimulatedPortOne portone = SimulatedPortOne.start()) {
                Map<String, String> env = live ? TestServer.baseEnv(portone, "jdbc:sqlite:" + dir.resolve("live.db"))
                        : Map.of("PORT", "0", "SANDBOX_PORT", "0", "SANDBOX_DATABASE", "memory",
                                "DATABASE_URL", "jdbc:sqlite:" + dir.resolve("sandbox.db"));
                ServerProcess server = ServerProcess.classpath(env, List.of()).awaitListening();
                server.stop();
                List<String> lines = server.output().stream().filter(line -> !line.isBlank()).toList();
                assertTrue(lines.get(lines.size() - 1).matches(".*portone-verify stopped after \\d+ s"),
                        (live ? "live:\n" : "sandbox:\n") + String.join("\n", lines));
            }
        }
    }
}
