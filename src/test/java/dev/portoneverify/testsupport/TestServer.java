package dev.portoneverify.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portoneverify.Config;
import dev.portoneverify.Main;
import dev.portoneverify.Server;
import dev.portoneverify.db.Database;
import dev.portoneverify.db.DatabaseSettings;
import dev.portoneverify.reconcile.Reconciler;
import dev.portoneverify.web.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import kong.unirest.core.HttpResponse;
import kong.unirest.core.Unirest;
import kong.unirest.core.UnirestInstance;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The real server, built by {@link Main#build} on port 0, with a fresh database ({@link TestDatabase}) and
 * a recording SMS sender; requests go over real HTTP, the way httpie sends them. In live mode (the usual
 * one) PortOne is played by the embedded sandbox behind a fault-injecting proxy ({@link #portone}); in
 * {@linkplain #sandboxMode() sandbox mode} the server runs as a newcomer starts it, with no PortOne keys,
 * and its own embedded sandbox pays and sends real webhooks ({@code portone} is then null).
 *
 * <p>It is also the JUnit 5 extension that starts and stops it, so no test class copies that set-up:
 * <pre>{@code
 * @RegisterExtension final TestServer server = TestServer.live();          // a fresh one for every test
 * @RegisterExtension static final TestServer server = TestServer.live();   // one for the whole class
 * }</pre>
 * Outside an extension, {@link #start()} (or {@link #started()}) and {@code try}-with-resources do the same.
 */
public final class TestServer implements AutoCloseable, BeforeAllCallback, BeforeEachCallback, AfterEachCallback,
        AfterAllCallback {
    /** PortOne as the server sees it; null in sandbox mode. */
    public final SimulatedPortOne portone;
    public final RecordingSmsSender sms = new RecordingSmsSender();
    private final boolean sandboxMode;
    private final Map<String, String> extraEnv;
    /** The instance whose PortOne and database a second instance shares; null for a first one. */
    private final TestServer first;
    private final UnirestInstance http = Unirest.spawnInstance();
    private final ObjectMapper json = Json.newMapper();
    /** Every answer this server gave through the methods below; checked against openapi.json at close. */
    private final java.util.Queue<ApiContract.Answer> answers = new java.util.concurrent.ConcurrentLinkedQueue<>();

    // set by started()
    private Path dir;
    /** The database this server made and drops when it closes; null when it uses another's. */
    private TestDatabase ownDatabase;
    private DatabaseSettings database;
    private Server server;
    private Config config;
    private Database db;
    private boolean perClass;
    private boolean closed;
    /** The PortOne was given by the caller, who closes it. */
    private boolean callersPortOne;

    private TestServer(boolean sandboxMode, Map<String, String> env, TestServer first) {
        this(sandboxMode, env, first, sandboxMode ? null : first != null ? first.portone : SimulatedPortOne.start());
    }

    /** On a PortOne the caller keeps (and closes). */
    private TestServer(SimulatedPortOne portone, Map<String, String> env) {
        this(false, env, null, portone);
        callersPortOne = true;
    }

    private TestServer(boolean sandboxMode, Map<String, String> env, TestServer first, SimulatedPortOne portone) {
        this.sandboxMode = sandboxMode;
        this.extraEnv = Map.copyOf(env);
        this.first = first;
        this.portone = portone;
        http.config().connectTimeout(5_000).requestTimeout(30_000);
    }

    /** A live-mode server, not started yet: for {@code @RegisterExtension}, or call {@link #started()}. */
    public static TestServer live() {
        return new TestServer(false, Map.of(), null);
    }

    /** A live-mode server with extra or overriding environment variables, e.g. {@code AUTO_CANCEL_FORGERIES=false}. */
    public static TestServer live(Map<String, String> env) {
        return new TestServer(false, env, null);
    }

    /** The server as a newcomer starts it: no PortOne keys, so the embedded sandbox plays PortOne. */
    public static TestServer sandboxMode() {
        return new TestServer(true, Map.of(), null);
    }

    public static TestServer sandboxMode(Map<String, String> env) {
        return new TestServer(true, env, null);
    }

    /** A live-mode server, started. */
    public static TestServer start() {
        return live().started();
    }

    /** A live-mode server with extra or overriding environment variables, started. */
    public static TestServer start(Map<String, String> env) {
        return live(env).started();
    }

    /**
     * A second server instance beside {@code first}, as behind a load balancer: the same database and
     * the same PortOne, its own token cache, SMS sender and background workers. Started.
     */
    public static TestServer besides(TestServer first) {
        return new TestServer(false, Map.of("DATABASE_URL", first.database.url()), first).started();
    }

    /**
     * A started server on a database of the test's own ({@code env} names DATABASE_URL) and a simulated
     * PortOne the test keeps: e.g. the one a killed server process used, to start again where it stopped.
     */
    public static TestServer on(SimulatedPortOne portone, Map<String, String> env) {
        if (!env.containsKey("DATABASE_URL")) {
            throw new IllegalArgumentException("env must name the DATABASE_URL to start on");
        }
        return new TestServer(portone, env).started();
    }

    /** Starts the server (once; returns it). {@code env} may name a DATABASE_URL of the test's own, otherwise it gets a fresh database. */
    public TestServer started() {
        if (server != null) {
            return this;
        }
        try {
            dir = Files.createTempDirectory("portone-verify-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ownDatabase = extraEnv.containsKey("DATABASE_URL") ? null : TestDatabase.create(dir);
        String databaseUrl = ownDatabase == null ? extraEnv.get("DATABASE_URL") : ownDatabase.url();
        Map<String, String> all = new HashMap<>(sandboxMode ? sandboxEnv(databaseUrl, dir) : baseEnv(portone, databaseUrl));
        all.putAll(extraEnv);
        config = Config.fromEnv(all);
        database = config.database();
        server = Main.build(config, sms, Clock.tickMillis(java.time.ZoneOffset.UTC)).start(0);
        return this;
    }

    /**
     * Stops this server and starts another in its place on the same shop database (and, in sandbox mode,
     * the same sandbox state file), as a restart does; {@link #url} then reaches the new one.
     */
    public void restart() {
        server.stop();
        server = Main.build(config, sms, Clock.tickMillis(java.time.ZoneOffset.UTC)).start(0);
    }

    public static Map<String, String> baseEnv(SimulatedPortOne portone, String databaseUrl) {
        return Map.of(
                "PORT", "0",
                "DATABASE_URL", databaseUrl,
                "PORTONE_API_URL", portone.baseUrl().toString(),
                "PORTONE_API_KEY", portone.apiKey(),
                "PORTONE_API_SECRET", portone.apiSecret(),
                "PORTONE_TIMEOUT_MS", "1000",
                // tests run reconciliation passes themselves, when they want one
                "RECONCILE_INTERVAL_SECONDS", "0");
    }

    /** The sandbox on a free port with its state in the test's directory: tests run beside each other. */
    private static Map<String, String> sandboxEnv(String databaseUrl, Path dir) {
        return Map.of("PORT", "0", "SANDBOX_PORT", "0", "SANDBOX_DATABASE", dir.resolve("sandbox.db").toString(),
                "DATABASE_URL", databaseUrl, "RECONCILE_INTERVAL_SECONDS", "0");
    }

    // ---- the JUnit 5 extension: a static field lives for the class, an instance field for one test

    @Override
    public void beforeAll(ExtensionContext context) {
        perClass = true;
        started();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        started();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (!perClass) {
            close();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    public String url(String path) {
        return "http://localhost:" + server.port() + path;
    }

    /** The Javalin app itself, for a test that reads its route table. */
    public io.javalin.Javalin app() {
        return server.app();
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

    /** POST with a JSON body. */
    public Answer post(String path, Object body) {
        return postJson(path, body);
    }

    /** POST with a JSON body that must succeed; returns the answer's body. */
    public JsonNode ok(String path, Object body) {
        Answer answer = postJson(path, body);
        if (answer.status() >= 400) {
            throw new AssertionError("POST " + path + " answered " + answer.status() + " " + answer.raw());
        }
        return answer.body();
    }

    /** As the checkout page does: an order for a buyer this server created carries that buyer's token. */
    public Answer postJson(String path, Object body) {
        Answer answer = parse(http.post(url(path)).header("Content-Type", "application/json")
                .headers(buyerAuth(path, body)).body(write(body)).asString());
        if (path.equals("/users") && answer.status() == 201) {
            buyerTokens.put(answer.body().get("id").asLong(), answer.text("token"));
        }
        return answer;
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

    /** A request with the admin API's bearer token. */
    public Answer admin(String method, String path, String token, Map<String, Object> body) {
        return parse(http.request(method, url(path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").body(body == null ? "" : write(body)).asString());
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

    /** A user and an order named {@code name} for them; returns the order's merchant_uid. */
    public String order(String name, long amount) {
        long userId = createUser("홍길동", "010-1234-5678");
        return createOrder(userId, Map.of("user_id", userId, "name", name, "amount", amount));
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
        answers.add(new ApiContract.Answer(response.getRequestSummary().getHttpMethod().name(),
                response.getRequestSummary().getUrl(), response.getStatus(),
                response.getHeaders().getFirst("Content-Type"), raw));
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

    /**
     * Stops the server and drops its database; idempotent. A second instance leaves the first one's PortOne alone.
     * Then fails if any answer it gave contradicts the API document (an undocumented status for a route, or a
     * body its schema refuses): so the whole suite checks {@code openapi.json} with every answer it receives.
     */
    @Override
    public void close() {
        boolean first = !closed;
        try {
            stop();
        } finally {
            if (first) {
                checkAnswers();
            }
        }
    }

    private void checkAnswers() {
        List<String> violations = answers.stream().flatMap(a -> ApiContract.shipped().violations(a).stream())
                .distinct().limit(20).toList();
        if (!violations.isEmpty()) {
            throw new AssertionError("answers that contradict src/main/resources/openapi.json:\n  "
                    + String.join("\n  ", violations));
        }
    }

    private void stop() {
        if (closed) {
            return;
        }
        closed = true;
        if (server != null) {
            server.stop();
        }
        http.close();
        if (db != null) {
            db.close();
        }
        if (portone != null && first == null && !callersPortOne) {
            portone.close();
        }
        if (ownDatabase != null) {
            ownDatabase.close();
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temp folder left behind is harmless
            }
        }
    }
}
