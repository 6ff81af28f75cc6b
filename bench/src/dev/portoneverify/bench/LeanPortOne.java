package dev.portoneverify.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portoneverify.web.Json;
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
 * A PortOne V1 stand-in built to cost almost nothing: the answers of the sandbox that the tests use
 * (a paid card payment with every documented field, serialized once by the same mapper, in the same
 * {@code {code, message, response}} envelope, behind a bearer-token check), but latency is a timer, not
 * a sleeping thread, so 1,000 delayed answers hold no threads, and nothing is recorded but three
 * counters. Self-contained on purpose: only getToken, one lookup and prepare, nothing the run does not use.
 */
final class LeanPortOne implements StandIn {
    private static final String THREADS = "standin";
    private static final ObjectMapper JSON = Json.newMapper();
    static final String API_KEY = "bench_imp_key";
    static final String API_SECRET = "bench-secret-4f1c9a7e2b";
    private static final byte[] NOT_FOUND = envelopeBytes(-1, "존재하지 않는 결제정보입니다.", null);
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
        // the same variables as TestServer.baseEnv gives a test server
        return Map.of(
                "PORT", "0",
                "DATABASE_URL", databaseUrl,
                "PORTONE_API_URL", baseUrl().toString(),
                "PORTONE_API_KEY", API_KEY,
                "PORTONE_API_SECRET", API_SECRET,
                "PORTONE_TIMEOUT_MS", "1000",
                "RECONCILE_INTERVAL_SECONDS", "0");
    }

    @Override
    public void delayMillis(long millis) {
        delayMillis = millis;
    }

    @Override
    public void putPaid(String impUid, String merchantUid, long amount) {
        payments.put(impUid, envelopeBytes(0, null, paidCard(impUid, merchantUid, amount)));
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
        if (!body.contains(API_KEY) || !body.contains(API_SECRET)) {
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

    /** A KRW card payment, paid just now, with every field of docs/portone-v1-api.md §3.1 in its JSON type. */
    private static Map<String, Object> paidCard(String impUid, String merchantUid, long amount) {
        long now = Instant.now().getEpochSecond();
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("imp_uid", impUid);
        p.put("merchant_uid", merchantUid);
        p.put("pay_method", "card");
        p.put("channel", "pc");
        p.put("pg_provider", "html5_inicis");
        p.put("emb_pg_provider", null);
        p.put("pg_tid", "StdpayCARDINIpayTest" + impUid);
        p.put("pg_id", "INIpayTest");
        p.put("sandbox", false);
        p.put("escrow", false);
        p.put("apply_num", "30021234");
        for (String absent : new String[] {"bank_code", "bank_name", "card_issuer_code", "card_issuer_name",
                "card_publisher_code", "card_publisher_name", "vbank_code", "vbank_name", "vbank_num", "vbank_holder"}) {
            p.put(absent, null);
        }
        p.put("card_code", "361");
        p.put("card_name", "BC카드");
        p.put("card_quota", 0);
        p.put("card_number", "910020*********8");
        p.put("card_type", 0);
        p.put("vbank_date", 0L);
        p.put("vbank_issued_at", 0L);
        p.put("name", "bench order");
        p.put("amount", amount);
        p.put("cancel_amount", 0);
        p.put("currency", "KRW");
        p.put("buyer_name", "홍길동");
        p.put("buyer_email", "buyer@example.com");
        p.put("buyer_tel", "010-1234-5678");
        p.put("buyer_addr", null);
        p.put("buyer_postcode", null);
        p.put("custom_data", null);
        p.put("user_agent", "Mozilla/5.0 (bench)");
        p.put("status", "paid");
        p.put("started_at", now - 120);
        p.put("paid_at", now);
        p.put("failed_at", 0L);
        p.put("cancelled_at", 0L);
        p.put("fail_reason", null);
        p.put("cancel_reason", null);
        p.put("receipt_url", "https://iniweb.inicis.com/receipt/" + impUid);
        p.put("cancel_history", java.util.List.of());
        p.put("cancel_receipt_urls", java.util.List.of());
        p.put("cash_receipt_issued", false);
        p.put("customer_uid", null);
        p.put("customer_uid_usage", null);
        p.put("deposit_history", null);
        p.put("promotion", null);
        return p;
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[20];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }
}
