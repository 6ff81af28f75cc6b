package dev.portoneverify.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portoneverify.web.Json;
import dev.portoneverify.testsupport.FakePortOne;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.io.ConnectionStatistics;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A PortOne V1 stand-in built to cost almost nothing: the same answers as {@link FakePortOne} (each
 * payment is FakePortOne's own document, serialized once by the same mapper, in the same
 * {@code {code, message, response}} envelope, behind the same bearer-token check), but latency is a
 * timer, not a sleeping thread, so 1,000 delayed answers hold no threads, and nothing is recorded
 * but three counters.
 */
final class LeanPortOne implements StandIn {
    private static final String THREADS = "standin";
    private static final ObjectMapper JSON = Json.newMapper();
    private static final byte[] NOT_FOUND = envelopeBytes(-1, FakePortOne.PAYMENT_NOT_FOUND, null);
    private static final byte[] UNAUTHORIZED = envelopeBytes(-1, "Unauthorized", null);

    private final Map<String, byte[]> payments = new ConcurrentHashMap<>();
    private final String token = HexFormat.of().formatHex(randomBytes());
    private final String bearer = "Bearer " + token;
    private final LongAdder tokens = new LongAdder();
    private final LongAdder lookups = new LongAdder();
    private final LongAdder all = new LongAdder();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, THREADS + "-timer");
        t.setDaemon(true);
        return t;
    });
    private final ConnectionStatistics connections = new ConnectionStatistics();
    private final Javalin app;
    private volatile long delayMillis;

    LeanPortOne() {
        QueuedThreadPool pool = new QueuedThreadPool(32, 4, 60_000);
        pool.setName(THREADS);
        app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.jetty.threadPool = pool;
            config.routes.before(ctx -> all.increment());
            config.routes.post("/users/getToken", this::getToken);
            config.routes.get("/payments/{imp_uid}", this::getPayment);
            config.routes.post("/payments/prepare", this::prepare);
        });
        app.start("127.0.0.1", 0);
        try {
            connections.start();   // counts nothing until started
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        app.jettyServer().server().addBeanToAllConnectors(connections);
    }

    @Override
    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + app.port());
    }

    @Override
    public Map<String, String> serverEnv(String databaseUrl) {
        // the same variables as TestServer.baseEnv, which takes a FakePortOne
        return Map.of(
                "PORT", "0",
                "DATABASE_URL", databaseUrl,
                "PORTONE_API_URL", baseUrl().toString(),
                "PORTONE_API_KEY", FakePortOne.API_KEY,
                "PORTONE_API_SECRET", FakePortOne.API_SECRET,
                "PORTONE_TIMEOUT_MS", "1000",
                "RECONCILE_INTERVAL_SECONDS", "0");
    }

    @Override
    public void delayMillis(long millis) {
        delayMillis = millis;
    }

    @Override
    public void putPaid(String impUid, String merchantUid, long amount) {
        payments.put(impUid, envelopeBytes(0, null, FakePortOne.payment(impUid, merchantUid, amount, "paid")));
    }

    @Override
    public long tokenRequests() {
        return tokens.sum();
    }

    @Override
    public long lookups() {
        return lookups.sum();
    }

    @Override
    public long otherRequests() {
        return all.sum() - tokens.sum() - lookups.sum();
    }

    @Override
    public long connectionsOpened() {
        return connections.getConnectionsTotal();
    }

    @Override
    public String threadPrefix() {
        return THREADS;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        app.stop();
    }

    private void getToken(Context ctx) {
        tokens.increment();
        String body = ctx.body();
        if (!body.contains(FakePortOne.API_KEY) || !body.contains(FakePortOne.API_SECRET)) {
            answer(ctx, 401, UNAUTHORIZED);
            return;
        }
        long now = Instant.now().getEpochSecond();
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("access_token", token);
        response.put("expired_at", now + 1800);
        response.put("now", now);
        answer(ctx, 200, envelopeBytes(0, null, response));
    }

    private void getPayment(Context ctx) {
        lookups.increment();
        if (!bearer.equals(ctx.header("Authorization"))) {
            answer(ctx, 401, UNAUTHORIZED);
            return;
        }
        byte[] payment = payments.get(ctx.pathParam("imp_uid"));
        answer(ctx, payment == null ? 404 : 200, payment == null ? NOT_FOUND : payment);
    }

    /** Amount pre-registration at order creation (set-up, not timed): echoes what was registered. */
    private void prepare(Context ctx) throws IOException {
        if (!bearer.equals(ctx.header("Authorization"))) {
            answer(ctx, 401, UNAUTHORIZED);
            return;
        }
        JsonNode body = JSON.readTree(ctx.body());
        Map<String, Object> registration = new LinkedHashMap<>();
        registration.put("merchant_uid", body.path("merchant_uid").asText());
        registration.put("amount", body.path("amount").decimalValue());
        registration.put("currency", body.path("currency").asText(null));
        answer(ctx, 200, envelopeBytes(0, null, registration));
    }

    private void answer(Context ctx, int status, byte[] body) {
        long delay = delayMillis;
        if (delay <= 0) {
            write(ctx, status, body);
            return;
        }
        ctx.future(() -> {
            CompletableFuture<Void> answered = new CompletableFuture<>();
            timer.schedule(() -> {
                write(ctx, status, body);
                answered.complete(null);
            }, delay, TimeUnit.MILLISECONDS);
            return answered;
        });
    }

    private static void write(Context ctx, int status, byte[] body) {
        ctx.status(status).contentType("application/json; charset=utf-8").result(body);
    }

    private static byte[] envelopeBytes(int code, String message, Object response) {
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("code", code);
        envelope.put("message", message);
        envelope.put("response", response);
        try {
            return JSON.writeValueAsString(envelope).getBytes(UTF_8);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[20];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }
}
