package dev.portoneverify.testsupport;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portoneverify.Config;
import dev.portoneverify.Main;
import dev.portoneverify.Server;
import dev.portoneverify.db.Database;
import dev.portoneverify.sandbox.v2.PortOneV2Sandbox;
import dev.portoneverify.web.ApiException;
import dev.portoneverify.web.Json;
import dev.portoneverify.web.StatusMessage;
import io.javalin.Javalin;
import io.javalin.apibuilder.ApiBuilder;
import io.javalin.json.JavalinJackson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * The shop in live PortOne V2 mode, talking to the V2 sandbox engine on port 0 exactly as it would talk to
 * api.portone.io (its URL, fixed test secret, store and webhook secret in the environment). The engine's
 * control routes are served by a throwaway host of their own. Webhooks are off until {@link #webhooksOn()}:
 * a test then decides when PortOne "sends" one ({@link #resendWebhook}) and sees the shop's answer.
 * {@link #withV1} adds the PortOne V1 simulator, for a shop running both generations.
 */
public final class V2Shop implements AutoCloseable {
    public final RecordingSmsSender sms = new RecordingSmsSender();
    public final PortOneV2Sandbox portone = PortOneV2Sandbox.start(0, Clock.systemUTC());
    public final SimulatedPortOne v1;
    private final ObjectMapper json = Json.newMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Javalin control;
    private final TestDatabase database;
    private final Server server;
    private Database db;

    public record Answer(int status, JsonNode body) {
        public String text(String field) {
            return body == null ? null : body.path(field).asText(null);
        }
    }

    private V2Shop(Map<String, String> extraEnv, boolean withV1) {
        control = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.jsonMapper(new JavalinJackson(json, false));
            config.routes.apiBuilder(() -> ApiBuilder.path("sandbox/v2", portone.controlRoutes()));
            config.routes.exception(ApiException.class, (e, ctx) ->
                    ctx.status(e.httpStatus()).json(new StatusMessage(e.status(), e.getMessage())));
        });
        control.start("127.0.0.1", 0);
        v1 = withV1 ? SimulatedPortOne.start() : null;
        try {
            database = TestDatabase.create(Files.createTempDirectory("portone-verify-v2"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> env = new HashMap<>(v1 == null
                ? Map.of("PORT", "0", "DATABASE_URL", database.url(), "PORTONE_TIMEOUT_MS", "2000",
                        "RECONCILE_INTERVAL_SECONDS", "0")
                : TestServer.baseEnv(v1, database.url()));
        env.putAll(v2Env(portone.apiUrl()));
        // off, as in the sandbox, so that a tampered amount reaches the shop; tests of pre-registration turn it on
        env.put("PREPARE_AMOUNTS", "false");
        env.putAll(extraEnv);
        server = Main.build(Config.fromEnv(env), sms, Clock.tickMillis(ZoneOffset.UTC)).start(0);
    }

    /** What a shop writes into its environment for V2, with the sandbox's fixed test values. */
    public static Map<String, String> v2Env(URI apiUrl) {
        return Map.of(
                "PORTONE_V2_API_SECRET", PortOneV2Sandbox.API_SECRET,
                "PORTONE_V2_API_URL", apiUrl.toString(),
                "PORTONE_STORE_ID", PortOneV2Sandbox.STORE_ID,
                "PORTONE_V2_WEBHOOK_SECRET", PortOneV2Sandbox.WEBHOOK_SECRET,
                "PORTONE_V2_CHANNEL_KEY", PortOneV2Sandbox.CHANNEL_KEY);
    }

    /** V2 alone: no V1 keys at all. */
    public static V2Shop start() {
        return new V2Shop(Map.of(), false);
    }

    public static V2Shop start(Map<String, String> env) {
        return new V2Shop(env, false);
    }

    /** V1 (the V1 simulator) and V2 side by side. */
    public static V2Shop withV1(Map<String, String> env) {
        return new V2Shop(env, true);
    }

    public void webhooksOn() {
        portone.webhookUrl(URI.create(url("/portone-webhook/v2")));
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    /** Buyers' tokens (POST /users answers one), by user id and by their orders' merchant_uid. */
    private final Map<Long, String> userTokens = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, String> orderTokens = new java.util.concurrent.ConcurrentHashMap<>();

    /** Requests about a buyer's order carry the buyer's token, as the checkout page's do. */
    public Answer post(String path, Object body) {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url(path))).header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString(write(body)));
        String token = tokenFor(path, body);
        if (token != null) {
            r.header("Authorization", "Bearer " + token);
        }
        Answer answer = send(r);
        if (path.equals("/users") && answer.status() == 201) {
            userTokens.put(answer.body().path("id").asLong(), answer.text("token"));
        }
        if (path.equals("/orders") && answer.status() == 201 && token != null) {
            orderTokens.put(answer.text("merchant_uid"), token);
        }
        return answer;
    }

    /** The token of the buyer whose order this is. */
    public String buyerToken(String merchantUid) {
        return orderTokens.get(merchantUid);
    }

    private String tokenFor(String path, Object body) {
        if (path.equals("/orders") && body instanceof Map<?, ?> m && m.get("user_id") instanceof Number n) {
            return userTokens.get(n.longValue());
        }
        if (path.startsWith("/orders/")) {
            String rest = path.substring("/orders/".length());
            int slash = rest.indexOf('/');
            return orderTokens.get(slash < 0 ? rest : rest.substring(0, slash));
        }
        return null;
    }

    public Answer postWithHeaders(String path, Object body, Map<String, String> headers) {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url(path))).header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString(write(body)));
        headers.forEach(r::header);
        return send(r);
    }

    public Answer get(String path) {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url(path))).GET();
        String token = tokenFor(path, null);
        if (token != null) {
            r.header("Authorization", "Bearer " + token);
        }
        return send(r);
    }

    public String getText(String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url(path))).GET().build(), BodyHandlers.ofString(UTF_8)).body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A POST with raw bytes and any headers (a webhook as PortOne or an attacker sends it). */
    public Answer postRaw(String path, String contentType, byte[] body, Map<String, String> headers) {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url(path))).header("Content-Type", contentType)
                .POST(BodyPublishers.ofByteArray(body));
        headers.forEach(r::header);
        return send(r);
    }

    /** A call to the sandbox's control API (the buyer, PortOne's console). */
    public Answer sandbox(String path, Object body) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + control.port() + "/sandbox/v2" + path))
                .header("Content-Type", "application/json").POST(BodyPublishers.ofString(write(body))));
    }

    public JsonNode sandboxPayment(String paymentId) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + control.port() + "/sandbox/v2/payments/"
                + paymentId)).GET()).body();
    }

    // ---- the shop's side, as a test needs it

    public long user(String phone) {
        return ok(post("/users", Map.of("name", "홍길동", "phone", phone))).path("id").asLong();
    }

    /** A KRW order for a new buyer; returns its merchant_uid. */
    public String order(long amount) {
        long user = user("010-1234-5678");
        return ok(post("/orders", Map.of("user_id", user, "name", "노트북 거치대", "amount", amount))).path("merchant_uid").asText();
    }

    public JsonNode checkout(String merchantUid) {
        Answer a = post("/orders/" + merchantUid + "/checkout", Map.of());
        if (a.status() != 201) {
            throw new AssertionError("checkout answered " + a.status() + " " + a.body());
        }
        return a.body();
    }

    /** The buyer pays with exactly what checkout answered, changed by {@code overrides} (a tampering buyer). */
    public Answer pay(JsonNode checkout, Map<String, Object> overrides) {
        ObjectNode request = checkout.deepCopy();
        overrides.forEach((k, v) -> request.set(k, json.valueToTree(v)));
        return sandbox("/payments", request);
    }

    public Answer complete(String paymentId) {
        return post("/payments/complete", Map.of("paymentId", paymentId));
    }

    /** PortOne sends the payment's webhook now; the answer lists what the shop said. */
    public int resendWebhook(String paymentId) {
        Answer a = sandbox("/payments/" + paymentId + "/webhook", Map.of());
        if (a.status() != 200) {
            throw new AssertionError("webhook resend answered " + a.status() + " " + a.body());
        }
        return a.body().path("deliveries").get(0).path("http_status").asInt();
    }

    public String orderStatus(String merchantUid) {
        return get("/orders/" + merchantUid).text("status");
    }

    public Jdbi db() {
        if (db == null) {
            db = Database.open(database.settings());
        }
        return db.jdbi();
    }

    public int rows(String table) {
        return db().withHandle(h -> h.createQuery("SELECT count(*) FROM " + table).mapTo(Integer.class).one());
    }

    public Server server() {
        return server;
    }

    private static JsonNode ok(Answer a) {
        if (a.status() >= 400) {
            throw new AssertionError("answered " + a.status() + " " + a.body());
        }
        return a.body();
    }

    private Answer send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> r = http.send(request.timeout(Duration.ofSeconds(30)).build(), BodyHandlers.ofString(UTF_8));
            return new Answer(r.statusCode(), r.body() == null || r.body().isEmpty() ? null : json.readTree(r.body()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String write(Object body) {
        try {
            return json.writeValueAsString(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        portone.close();
        server.stop();
        control.stop();
        if (db != null) {
            db.close();
        }
        if (v1 != null) {
            v1.close();
        }
        database.close();
    }
}
