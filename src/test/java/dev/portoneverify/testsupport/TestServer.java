package dev.portoneverify.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portoneverify.Config;
import dev.portoneverify.db.Database;
import dev.portoneverify.db.DatabaseSettings;
import dev.portoneverify.web.Json;
import dev.portoneverify.Main;
import dev.portoneverify.Server;
import dev.portoneverify.reconcile.Reconciler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import kong.unirest.core.HttpResponse;
import kong.unirest.core.Unirest;
import kong.unirest.core.UnirestInstance;
import org.jdbi.v3.core.Jdbi;

/**
 * The real server, built by {@link Main#build} on port 0, with a fresh database ({@link TestDatabase}),
 * a fake PortOne on port 0 and a recording SMS sender. Requests go over real HTTP, the way httpie
 * sends them.
 */
public final class TestServer implements AutoCloseable {
    public final FakePortOne portone;
    public final RecordingSmsSender sms = new RecordingSmsSender();
    private final Path dir;
    /** The database this server made and drops when it closes; null when it uses another's. */
    private final TestDatabase ownDatabase;
    private final DatabaseSettings database;
    private final Server server;
    private final UnirestInstance http = Unirest.spawnInstance();
    private final ObjectMapper json = Json.newMapper();
    private Database db;

    /** False for a second instance, which borrows the first one's fake PortOne. */
    private final boolean ownsPortOne;

    /** {@code env} may name a DATABASE_URL of the test's own; otherwise the server gets a fresh {@link TestDatabase}. */
    private TestServer(FakePortOne portone, Path dir, boolean ownsPortOne, Map<String, String> env) {
        this.portone = portone;
        this.dir = dir;
        this.ownsPortOne = ownsPortOne;
        this.ownDatabase = env.containsKey("DATABASE_URL") ? null : TestDatabase.create(dir);
        Map<String, String> all = new HashMap<>(baseEnv(portone, ownDatabase == null ? env.get("DATABASE_URL") : ownDatabase.url()));
        all.putAll(env);
        Config config = Config.fromEnv(all);
        this.database = config.database();
        this.server = Main.build(config, sms, Clock.tickMillis(java.time.ZoneOffset.UTC)).start(0);
        http.config().connectTimeout(5_000).requestTimeout(30_000);
    }

    public static TestServer start() {
        return start(Map.of());
    }

    /** Starts with extra or overriding environment variables, e.g. {@code AUTO_CANCEL_FORGERIES=false}. */
    public static TestServer start(Map<String, String> env) {
        try {
            Path dir = Files.createTempDirectory("portone-verify-test");
            return new TestServer(FakePortOne.start(), dir, true, env);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A second server instance beside {@code first}, as behind a load balancer: the same database and
     * the same (fake) PortOne, its own token cache, SMS sender and background workers.
     */
    public static TestServer besides(TestServer first) {
        try {
            return new TestServer(first.portone, Files.createTempDirectory("portone-verify-test"), false,
                    Map.of("DATABASE_URL", first.database.url()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A server on a database of the test's own ({@code env} names DATABASE_URL) and a fake PortOne the
     * test keeps: e.g. the one a killed server process used, to start again where it stopped.
     */
    public static TestServer on(FakePortOne portone, Map<String, String> env) {
        if (!env.containsKey("DATABASE_URL")) {
            throw new IllegalArgumentException("env must name the DATABASE_URL to start on");
        }
        try {
            return new TestServer(portone, Files.createTempDirectory("portone-verify-test"), false, env);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Map<String, String> baseEnv(FakePortOne portone, String databaseUrl) {
        return Map.of(
                "PORT", "0",
                "DATABASE_URL", databaseUrl,
                "PORTONE_API_URL", portone.baseUrl().toString(),
                "PORTONE_API_KEY", FakePortOne.API_KEY,
                "PORTONE_API_SECRET", FakePortOne.API_SECRET,
                "PORTONE_TIMEOUT_MS", "1000",
                // tests run reconciliation passes themselves, when they want one
                "RECONCILE_INTERVAL_SECONDS", "0");
    }

    public String url(String path) {
        return "http://localhost:" + server.port() + path;
    }

    public Reconciler reconciler() {
        return server.reconciler();
    }

    /** Has this instance's SMS dispatcher look at the outbox now, as its 15 s schedule would. */
    public void wakeSmsDispatcher() {
        server.sms().wake();
    }

    /** The URL in DATABASE_URL: a SQLite file, or in the PostgreSQL run a schema of the test's own. */
    public String databaseUrl() {
        return database.url();
    }

    public DatabaseSettings database() {
        return database;
    }

    /** A second connection to the same database, for assertions on what was stored. */
    public Jdbi db() {
        if (db == null) {
            db = Database.open(database);
        }
        return db.jdbi();
    }

    /** How many rows a table holds now. */
    public int rows(String table) {
        return db().withHandle(h -> h.createQuery("SELECT count(*) FROM " + table).mapTo(Integer.class).one());
    }

    /** An HTTP answer with its body parsed as JSON. */
    public record Answer(int status, JsonNode body, String raw) {
        public String text(String field) {
            return body.path(field).asText(null);
        }
    }

    /** As the checkout page does: an order for a buyer this server created carries that buyer's token. */
    public Answer postJson(String path, Object body) {
        return parse(http.post(url(path)).header("Content-Type", "application/json").headers(buyerAuth(path, body))
                .body(write(body)).asString());
    }

    /** The buyer tokens POST /users answered, by user id. */
    private final Map<Long, String> buyerTokens = new java.util.concurrent.ConcurrentHashMap<>();

    public String buyerToken(long userId) {
        return buyerTokens.get(userId);
    }

    private Map<String, String> buyerAuth(String path, Object body) {
        Object userId = null;
        if (path.equals("/orders") && body instanceof Map<?, ?> fields) {
            userId = fields.get("user_id");
        } else if (path.matches("/users/[0-9]{1,18}")) {
            userId = path.substring("/users/".length());
        }
        String token = null;
        if (userId instanceof Number || userId instanceof String) {
            try {
                token = buyerTokens.get(Long.parseLong(userId.toString()));
            } catch (NumberFormatException ignored) {
                // not a buyer of ours
            }
        }
        return token == null ? Map.of() : Map.of("Authorization", "Bearer " + token);
    }

    public Answer postRaw(String path, String contentType, String body) {
        return parse(http.post(url(path)).header("Content-Type", contentType).body(body).asString());
    }

    /** A raw body with {@code Authorization: Bearer <bearer>}. */
    public Answer postRaw(String path, String contentType, String body, String bearer) {
        return parse(http.post(url(path)).header("Content-Type", contentType).header("Authorization", "Bearer " + bearer)
                .body(body).asString());
    }

    public Answer postJson(String path, Object body, Map<String, String> headers) {
        return parse(http.post(url(path)).header("Content-Type", "application/json").headers(headers)
                .body(write(body)).asString());
    }

    public Answer postForm(String path, Map<String, Object> fields) {
        return parse(http.post(url(path)).fields(fields).asString());
    }

    public Answer get(String path) {
        return parse(http.get(url(path)).headers(buyerAuth(path, null)).asString());
    }

    public Answer get(String path, Map<String, String> headers) {
        return parse(http.get(url(path)).headers(headers).asString());
    }

    // -- the shop's side of a payment, as a test needs it

    public long createUser(String name, String phone) {
        Answer answer = postJson("/users", Map.of("name", name, "phone", phone));
        if (answer.status() != 201) {
            throw new AssertionError("POST /users answered " + answer.status() + " " + answer.raw());
        }
        long id = answer.body().get("id").asLong();
        buyerTokens.put(id, answer.text("token"));
        return id;
    }

    /** Creates a user and a KRW order for them; returns the order's merchant_uid. */
    public String createOrder(long amount) {
        long userId = createUser("홍길동", "010-1234-5678");
        return createOrder(userId, Map.of("user_id", userId, "name", "노트북 거치대", "amount", amount));
    }

    public String createOrder(long userId, Map<String, Object> body) {
        Answer answer = postJson("/orders", body);
        if (answer.status() != 201) {
            throw new AssertionError("POST /orders answered " + answer.status() + " " + answer.raw());
        }
        return answer.text("merchant_uid");
    }

    public Answer complete(String impUid, String merchantUid) {
        return postJson("/payments/complete", Map.of("imp_uid", impUid, "merchant_uid", merchantUid));
    }

    public Answer webhook(String impUid, String merchantUid, String status) {
        return postJson("/portone-webhook", Map.of("imp_uid", impUid, "merchant_uid", merchantUid, "status", status));
    }

    public String orderStatus(String merchantUid) {
        return get("/orders/" + merchantUid).text("status");
    }

    private Answer parse(HttpResponse<String> response) {
        String raw = response.getBody();
        try {
            return new Answer(response.getStatus(), raw == null || raw.isEmpty() ? null : json.readTree(raw), raw);
        } catch (IOException e) {
            throw new AssertionError("answer is not JSON (HTTP " + response.getStatus() + "): " + raw, e);
        }
    }

    private String write(Object body) {
        try {
            return body instanceof String s ? s : json.writeValueAsString(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.stop();
        http.close();
        if (db != null) {
            db.close();
        }
        if (ownsPortOne) {
            portone.close();
        }
        if (ownDatabase != null) {
            ownDatabase.close();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp folder left behind is harmless
        }
    }
}
