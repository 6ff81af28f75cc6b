package dev.portoneverify.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portoneverify.Config;
import dev.portoneverify.web.Json;
import dev.portoneverify.Main;
import dev.portoneverify.Server;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import kong.unirest.core.HttpResponse;
import kong.unirest.core.Unirest;
import kong.unirest.core.UnirestInstance;

/**
 * The server started the way a newcomer starts it, with no PortOne keys: the embedded sandbox
 * plays PortOne and sends real webhooks. For tests of the sandbox flows and the checkout page.
 */
public final class SandboxShop implements AutoCloseable {
    public final RecordingSmsSender sms = new RecordingSmsSender();
    private final Server server;
    private final TestDatabase database;
    private final UnirestInstance http = Unirest.spawnInstance();
    private final ObjectMapper json = Json.newMapper();

    public record Answer(int status, JsonNode body) {
        public String text(String field) {
            return body.path(field).asText(null);
        }
    }

    private SandboxShop(Map<String, String> extraEnv) {
        try {
            Path dir = Files.createTempDirectory("portone-verify-sandbox");
            database = TestDatabase.create(dir);
            Map<String, String> env = new HashMap<>(Map.of("PORT", "0",
                    "DATABASE_URL", database.url(), "RECONCILE_INTERVAL_SECONDS", "0"));
            env.putAll(extraEnv);
            server = Main.build(Config.fromEnv(env), sms, Clock.systemUTC()).start(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static SandboxShop start() {
        return new SandboxShop(Map.of());
    }

    public static SandboxShop start(Map<String, String> env) {
        return new SandboxShop(env);
    }

    public String url(String path) {
        return "http://localhost:" + server.port() + path;
    }

    public Answer post(String path, Map<String, Object> body) {
        try {
            HttpResponse<String> response = http.post(url(path)).header("Content-Type", "application/json")
                    .body(json.writeValueAsString(body)).asString();
            return new Answer(response.getStatus(), json.readTree(response.getBody()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** POST that must succeed; returns the body. */
    public JsonNode ok(String path, Map<String, Object> body) {
        Answer answer = post(path, body);
        if (answer.status() >= 400) {
            throw new AssertionError("POST " + path + " answered " + answer.status() + " " + answer.body());
        }
        return answer.body();
    }

    public JsonNode get(String path) {
        try {
            return json.readTree(http.get(url(path)).asString().getBody());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A user and an order for them; returns the order's merchant_uid. */
    public String order(String name, long amount) {
        long user = ok("/users", Map.of("name", "홍길동", "phone", "010-1234-5678")).get("id").asLong();
        return ok("/orders", Map.of("user_id", user, "name", name, "amount", amount)).get("merchant_uid").asText();
    }

    /** Webhooks arrive asynchronously, as PortOne sends them: waits (bounded) for their effect. */
    public static void eventually(Supplier<String> actual, String expected) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        String last = null;
        while (System.nanoTime() < deadline) {
            last = actual.get();
            if (expected.equals(last)) {
                return;
            }
            Thread.sleep(20);
        }
        assertEquals(expected, last);
    }

    @Override
    public void close() {
        server.stop();
        http.close();
        database.close();
    }
}
