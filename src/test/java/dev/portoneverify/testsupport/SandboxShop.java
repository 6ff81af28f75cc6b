package dev.portoneverify.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portoneverify.Config;
import dev.portoneverify.web.Json;
import dev.portoneverify.Main;
import dev.portoneverify.Server;
import dev.portoneverify.reconcile.Reconciler;
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
    private final Path dir;
    private final TestDatabase database;
    private final Map<String, String> env;
    private final UnirestInstance http = Unirest.spawnInstance();
    private final ObjectMapper json = Json.newMapper();

    public record Answer(int status, JsonNode body) {
        public String text(String field) {
            return body.path(field).asText(null);
        }
    }

    private SandboxShop(Path dir, TestDatabase database, Map<String, String> env) {
        this.dir = dir;
        this.database = database;
        this.env = env;
        server = Main.build(Config.fromEnv(env), sms, Clock.systemUTC()).start(0);
    }

    public static SandboxShop start() {
        return start(Map.of());
    }

    public static SandboxShop start(Map<String, String> extraEnv) {
        try {
            Path dir = Files.createTempDirectory("portone-verify-sandbox");
            TestDatabase database = TestDatabase.create(dir);
            // the sandbox on a free port with its state in the test's directory: tests run beside each other
            Map<String, String> env = new HashMap<>(Map.of("PORT", "0", "SANDBOX_PORT", "0",
                    "SANDBOX_DATABASE", dir.resolve("sandbox.db").toString(),
                    "DATABASE_URL", database.url(), "RECONCILE_INTERVAL_SECONDS", "0"));
            env.putAll(extraEnv);
            return new SandboxShop(dir, database, Map.copyOf(env));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Stops this server and starts another on the same shop database and sandbox state, as a restart does;
     * the new one owns the database from now on (close only it).
     */
    public SandboxShop restarted() {
        server.stop();
        http.close();
        return new SandboxShop(dir, database, env);
    }

    /** A request with the admin API's bearer token; the body parsed as JSON. */
    public Answer admin(String method, String path, String token, Map<String, Object> body) {
        try {
            HttpResponse<String> response = http.request(method, url(path)).header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json").body(body == null ? "" : json.writeValueAsString(body))
                    .asString();
            return new Answer(response.getStatus(), json.readTree(response.getBody()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url(String path) {
        return "http://localhost:" + server.port() + path;
    }

    /** The buyer tokens POST /users answered, by user id; orders for them carry theirs, as the checkout page's do. */
    private final Map<Long, String> buyerTokens = new java.util.concurrent.ConcurrentHashMap<>();

    public Answer post(String path, Map<String, Object> body) {
        try {
            Object userId = path.equals("/orders") ? body.get("user_id") : null;
            String token = userId instanceof Number n ? buyerTokens.get(n.longValue()) : null;
            HttpResponse<String> response = http.post(url(path)).header("Content-Type", "application/json")
                    .headers(token == null ? Map.of() : Map.of("Authorization", "Bearer " + token))
                    .body(json.writeValueAsString(body)).asString();
            Answer answer = new Answer(response.getStatus(), json.readTree(response.getBody()));
            if (path.equals("/users") && answer.status() == 201) {
                buyerTokens.put(answer.body().get("id").asLong(), answer.text("token"));
            }
            return answer;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** POST with extra headers (e.g. the admin API's {@code Authorization}). */
    public Answer post(String path, Map<String, Object> body, Map<String, String> headers) {
        try {
            HttpResponse<String> response = http.post(url(path)).header("Content-Type", "application/json")
                    .headers(headers).body(json.writeValueAsString(body)).asString();
            return new Answer(response.getStatus(), json.readTree(response.getBody()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public JsonNode get(String path, Map<String, String> headers) {
        try {
            return json.readTree(http.get(url(path)).headers(headers).asString().getBody());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The raw text of an endpoint that does not answer JSON ({@code /metrics}). */
    public String text(String path) {
        return http.get(url(path)).asString().getBody();
    }

    public Reconciler reconciler() {
        return server.reconciler();
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
            String token = path.matches("/users/[0-9]{1,18}") ? buyerTokens.get(Long.parseLong(path.substring(7))) : null;
            return json.readTree(http.get(url(path)).headers(token == null ? Map.of() : Map.of("Authorization", "Bearer " + token))
                    .asString().getBody());
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
