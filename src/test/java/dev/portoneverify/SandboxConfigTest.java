package dev.portoneverify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portoneverify.sandbox.PortOneSandbox;
import dev.portoneverify.testsupport.FakePortOne;
import dev.portoneverify.testsupport.TestServer;
import dev.portoneverify.web.Json;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import kong.unirest.core.Unirest;
import kong.unirest.core.UnirestInstance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sandbox's settings, and sandbox and live never sharing a database unless told to. */
class SandboxConfigTest {
    private static final Map<String, String> KEYS = Map.of("PORTONE_API_KEY", "key", "PORTONE_API_SECRET", "s3cr3t-value");

    @Test
    void the_sandbox_has_a_fixed_port_loopback_the_documented_credentials_and_a_state_file_of_its_own() {
        PortOneSandbox.Settings s = Config.fromEnv(Map.of()).sandboxSettings();

        assertEquals(7071, s.port());
        assertEquals("127.0.0.1", s.host());
        assertEquals("sandbox_imp_key", s.apiKey());
        assertEquals("sandbox_imp_secret_for_local_testing_only", s.apiSecret());
        assertEquals(Path.of("data/portone-v1-sandbox.db"), s.database());
        assertFalse(s.serveControl());
    }

    @Test
    void every_sandbox_setting_can_be_changed() {
        Config config = Config.fromEnv(Map.of("SANDBOX_PORT", "17071", "SANDBOX_HOST", "0.0.0.0",
                "SANDBOX_API_KEY", "k1", "SANDBOX_API_SECRET", "my-secret", "SANDBOX_DATABASE", "/tmp/x/sandbox.db",
                "SANDBOX_WEBHOOK_URL", "http://127.0.0.1:3000/hook"));
        PortOneSandbox.Settings s = config.sandboxSettings();

        assertEquals(17071, s.port());
        assertEquals("0.0.0.0", s.host());
        assertEquals("k1", s.apiKey());
        assertEquals("my-secret", s.apiSecret());
        assertEquals(Path.of("/tmp/x/sandbox.db"), s.database());
        assertEquals("http://127.0.0.1:3000/hook", config.sandboxWebhookUrl().toString());
        assertFalse(config.toString().contains("my-secret"), "a secret of one's own never shows: " + config);
        assertNull(Config.fromEnv(Map.of("SANDBOX_DATABASE", "memory")).sandboxSettings().database());
    }

    @Test
    void a_malformed_sandbox_setting_stops_start_up_with_its_name() {
        for (Map<String, String> bad : java.util.List.of(Map.of("SANDBOX_HOST", "example.com"),
                Map.of("SANDBOX_PORT", "70000"), Map.of("SANDBOX_WEBHOOK_URL", "ftp://x/hook"),
                Map.of("ALLOW_LIVE_ON_SANDBOX_DATABASE", "maybe"))) {
            ConfigException e = assertThrows(ConfigException.class, () -> Config.fromEnv(bad));
            assertTrue(e.getMessage().startsWith(bad.keySet().iterator().next() + "="), e.getMessage());
        }
    }

    @Test
    void sandbox_and_live_mode_default_to_different_database_files() {
        assertEquals("jdbc:sqlite:data/portone-verify-sandbox.db", Config.fromEnv(Map.of()).database().url());
        assertEquals("jdbc:sqlite:data/portone-verify.db", Config.fromEnv(KEYS).database().url());
    }

    @Test
    void live_mode_refuses_a_database_that_holds_sandbox_orders_unless_told_to_accept_it(@TempDir Path dir) throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("shop.db");
        Map<String, String> sandboxEnv = Map.of("PORT", "0", "SANDBOX_PORT", "0", "SANDBOX_DATABASE", "memory",
                "DATABASE_URL", url, "RECONCILE_INTERVAL_SECONDS", "0");
        try (FakePortOne portone = FakePortOne.start(); UnirestInstance http = Unirest.spawnInstance()) {
            Map<String, String> liveEnv = TestServer.baseEnv(portone, url);
            // a database the sandbox ran on but made no order in is still fine for live
            Main.build(Config.fromEnv(sandboxEnv), (phone, text) -> { }, Clock.systemUTC()).stop();
            Main.build(Config.fromEnv(liveEnv), (phone, text) -> { }, Clock.systemUTC()).stop();

            Server sandbox = Main.build(Config.fromEnv(sandboxEnv), (phone, text) -> { }, Clock.systemUTC()).start(0);
            String base = "http://localhost:" + sandbox.port();
            String buyer = http.post(base + "/users").header("Content-Type", "application/json")
                    .body("{\"name\":\"홍길동\",\"phone\":\"010-1234-5678\"}").asString().getBody();
            String token = Json.newMapper().readTree(buyer).get("token").asText();
            assertEquals(201, http.post(base + "/orders").header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + token)
                    .body("{\"user_id\":1,\"name\":\"책\",\"amount\":9900}").asString().getStatus());
            sandbox.stop();

            ConfigException refused = assertThrows(ConfigException.class,
                    () -> Main.build(Config.fromEnv(liveEnv), (phone, text) -> { }, Clock.systemUTC()));
            assertTrue(refused.getMessage().contains("holds orders made in sandbox mode")
                    && refused.getMessage().contains("ALLOW_LIVE_ON_SANDBOX_DATABASE=true"), refused.getMessage());

            Map<String, String> accepted = new HashMap<>(liveEnv);
            accepted.put("ALLOW_LIVE_ON_SANDBOX_DATABASE", "true");
            Main.build(Config.fromEnv(accepted), (phone, text) -> { }, Clock.systemUTC()).stop();
        }
    }
}
