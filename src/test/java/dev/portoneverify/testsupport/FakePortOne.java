package dev.portoneverify.testsupport;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portoneverify.web.Json;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.math.BigDecimal;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A local PortOne V1 server on 127.0.0.1 and a free port, faithful where verification depends on it
 * (docs/portone-v1-api.md §1–§3, §6, §11): the {@code {code,message,response}} envelope, token
 * re-issue rules, 401/404 codes, {@code include_sandbox}, and cancel with {@code checksum}.
 *
 * <p>Handlers only record and answer; assert on {@link #requests()} after the call, because an
 * assertion failing inside a handler would only become an HTTP 500. Thread-safe.
 *
 * <p>Routes: {@code POST /users/getToken}, {@code GET /payments/{imp_uid}}, {@code GET /payments/find/...},
 * {@code GET /payments/status/{payment_status}}, {@code POST /payments/prepare}, {@code POST /payments/cancel},
 * {@code DELETE /vbanks/{imp_uid}}.
 */
public final class FakePortOne implements AutoCloseable {
    public static final String API_KEY = "test_imp_key";
    public static final String API_SECRET = "fake-secret-4f1c9a7e2b";

    public static final String PAYMENT_NOT_FOUND = "존재하지 않는 결제정보입니다.";
    public static final String NOTHING_TO_CANCEL = "취소할 결제건이 존재하지 않습니다.";

    /** A HANG answers by itself after this long, so a forgotten fake cannot pin a thread forever. */
    private static final long HANG_LIMIT_SECONDS = 60;

    /**
     * What the next requests get instead of a normal answer. {@code UNAUTHORIZED} rejects the access
     * token, so it applies only to token-protected routes (not {@code /users/getToken}); every other
     * fault applies to every route.
     */
    public enum Fault { NONE, HTTP_500, HTTP_503, NOT_JSON, HANG, UNAUTHORIZED }

    /** One request as it arrived. {@code headers} is case-insensitive; {@code query} is null when absent. */
    public record Recorded(String method, String path, String query, Map<String, String> headers, String body) {}

    private final ObjectMapper json = Json.newMapper();
    private final SecureRandom random = new SecureRandom();
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile long delayMillis;
    private volatile boolean refuseCancels;
    private volatile boolean loseCancelAnswers;
    private volatile CancelHold cancelHold = CancelHold.NONE;
    private volatile CountDownLatch cancelRelease = new CountDownLatch(0);
    private final java.util.concurrent.atomic.AtomicInteger heldCancels = new java.util.concurrent.atomic.AtomicInteger();

    private final Object lock = new Object();
    // guarded by lock
    private final Map<String, Map<String, Object>> payments = new LinkedHashMap<>();
    private final Map<String, Map<String, Object>> prepared = new HashMap<>();
    private String token;
    private long tokenExpiresAt;
    private long tokenLifetimeSeconds = 1800;
    private long clockOffsetSeconds;
    private boolean ignoreIncludeSandbox;
    private Fault fault = Fault.NONE;
    private Fault nextFault = Fault.NONE;
    private int nextFaultRequests;

    private final Javalin app;

    private FakePortOne() {
        app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.routes.post("/users/getToken", guarded(false, this::getToken));
            config.routes.get("/payments/{imp_uid}", guarded(true, this::getPayment));
            config.routes.get("/payments/find/{merchant_uid}", guarded(true, this::findPayment));
            config.routes.get("/payments/find/{merchant_uid}/{status}", guarded(true, this::findPayment));
            config.routes.post("/payments/cancel", guarded(true, this::cancel));
            config.routes.post("/payments/prepare", guarded(true, this::prepare));
            config.routes.get("/payments/status/{payment_status}", guarded(true, this::listByStatus));
            config.routes.delete("/vbanks/{imp_uid}", guarded(true, this::revokeVbank));
        });
        app.start("127.0.0.1", 0);
    }

    public static FakePortOne start() {
        return new FakePortOne();
    }

    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + app.port());
    }

    /** Releases hanging handlers first; otherwise Jetty would wait for them while stopping. */
    @Override
    public void close() {
        closing.countDown();
        cancelRelease.countDown();
        app.stop();
    }

    // ---- payments

    /** Stores a copy of a PortOne-shaped payment under its {@code imp_uid}, replacing any earlier one. */
    public void putPayment(Map<String, Object> payment) {
        Object impUid = payment.get("imp_uid");
        if (!(impUid instanceof String)) {
            throw new IllegalArgumentException("a payment needs a string imp_uid");
        }
        putPayment((String) impUid, payment);
    }

    /** Serves {@code payment} at {@code /payments/{impUid}} whatever it contains, e.g. a broken one without imp_uid. */
    public void putPayment(String impUid, Map<String, Object> payment) {
        synchronized (lock) {
            payments.put(impUid, copy(payment));
        }
    }

    /** A copy of the stored payment as it is now (after any cancels), or null. */
    public Map<String, Object> payment(String impUid) {
        synchronized (lock) {
            Map<String, Object> p = payments.get(impUid);
            return p == null ? null : copy(p);
        }
    }

    /**
     * A mutable payment with every documented field, typed as PortOne sends them. {@code amount} is
     * serialized as given, so pass an Integer, a BigDecimal such as {@code new BigDecimal("14.2")}, or a
     * String to simulate a broken answer. A {@code "cancelled"} payment is fully refunded
     * ({@code cancel_amount} = amount, one {@code cancel_history} entry), as PortOne would report it.
     */
    public static Map<String, Object> payment(String impUid, String merchantUid, Object amount, String status) {
        long now = Instant.now().getEpochSecond();
        boolean paid = status.equals("paid") || status.equals("cancelled");
        boolean failed = status.equals("failed");
        boolean cancelled = status.equals("cancelled");
        String receiptUrl = "https://iniweb.inicis.com/receipt/" + impUid;

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
        p.put("apply_num", paid ? "30021234" : null);
        p.put("bank_code", null);
        p.put("bank_name", null);
        p.put("card_code", "361");
        p.put("card_name", "BC카드");
        p.put("card_issuer_code", null);
        p.put("card_issuer_name", null);
        p.put("card_publisher_code", null);
        p.put("card_publisher_name", null);
        p.put("card_quota", 0);
        p.put("card_number", "910020*********8");
        p.put("card_type", 0);
        p.put("vbank_code", null);
        p.put("vbank_name", null);
        p.put("vbank_num", null);
        p.put("vbank_holder", null);
        p.put("vbank_date", null);
        p.put("vbank_issued_at", null);
        p.put("name", "test order");
        p.put("amount", amount);
        p.put("cancel_amount", cancelled ? amount : 0);
        p.put("currency", "KRW");
        p.put("buyer_name", "홍길동");
        p.put("buyer_email", "buyer@example.com");
        p.put("buyer_tel", "010-1234-5678");
        p.put("buyer_addr", "서울특별시 강남구 신사동");
        p.put("buyer_postcode", "01181");
        p.put("custom_data", null);
        p.put("user_agent", "Mozilla/5.0 (test)");
        p.put("status", status);
        p.put("started_at", now - 120);
        p.put("paid_at", paid ? (cancelled ? now - 60 : now) : 0L);
        p.put("failed_at", failed ? now : 0L);
        p.put("cancelled_at", cancelled ? now : 0L);
        p.put("fail_reason", failed ? "test failure" : null);
        p.put("cancel_reason", cancelled ? "test cancel" : null);
        p.put("receipt_url", receiptUrl);
        List<Object> history = new ArrayList<>();
        if (cancelled) {
            history.add(cancelEntry(p, amount, now, "test cancel", "cancel_" + impUid));
        }
        p.put("cancel_history", history);
        p.put("cancel_receipt_urls", cancelled ? new ArrayList<>(List.of(receiptUrl)) : new ArrayList<>());
        p.put("cash_receipt_issued", false);
        p.put("customer_uid", null);
        p.put("customer_uid_usage", null);
        p.put("deposit_history", null);
        p.put("promotion", null);
        return p;
    }

    /** A virtual account issued and waiting for deposit, due in three days. */
    public static Map<String, Object> vbankReady(String impUid, String merchantUid, Object amount) {
        long now = Instant.now().getEpochSecond();
        Map<String, Object> p = payment(impUid, merchantUid, amount, "ready");
        p.put("pay_method", "vbank");
        for (String card : List.of("card_code", "card_name", "card_quota", "card_number", "card_type")) {
            p.put(card, null);
        }
        p.put("vbank_code", "004");
        p.put("vbank_name", "KB국민은행");
        p.put("vbank_num", "12345678901234");
        p.put("vbank_holder", "테스트상점");
        p.put("vbank_date", now + 3 * 24 * 3600);
        p.put("vbank_issued_at", now);
        p.put("receipt_url", null);
        return p;
    }

    /**
     * When true, test-channel payments are served even without {@code include_sandbox=true}, as a
     * misconfigured proxy or a future API change might; proves callers check {@code sandbox} themselves.
     */
    public void ignoreIncludeSandbox(boolean ignore) {
        synchronized (lock) {
            ignoreIncludeSandbox = ignore;
        }
    }

    // ---- tokens

    /** Lifetime of newly issued tokens (PortOne: 1800). */
    public void tokenLifetimeSeconds(long seconds) {
        synchronized (lock) {
            tokenLifetimeSeconds = seconds;
        }
    }

    /** PortOne's clock runs this far from ours; shows up in getToken's {@code now} and {@code expired_at}. */
    public void clockOffsetSeconds(long seconds) {
        synchronized (lock) {
            clockOffsetSeconds = seconds;
        }
    }

    /** Issued tokens stop working (401) and the next getToken issues a new one. */
    public void expireAllTokens() {
        synchronized (lock) {
            token = null;
        }
    }

    // ---- faults

    /** Applies {@code fault} to every request until {@code fault(Fault.NONE)}. */
    public void fault(Fault fault) {
        synchronized (lock) {
            this.fault = fault;
        }
    }

    /** Applies {@code fault} to the next {@code requests} requests it applies to, then answers normally again. */
    public void failNext(int requests, Fault fault) {
        synchronized (lock) {
            nextFault = fault;
            nextFaultRequests = requests;
        }
    }

    /** Artificial latency before every answer. */
    public void delayMillis(long millis) {
        delayMillis = millis;
    }

    // ---- recordings

    public List<Recorded> requests() {
        return List.copyOf(requests);
    }

    public long count(String method, String path) {
        return requests.stream().filter(r -> r.method().equals(method) && r.path().equals(path)).count();
    }

    public List<Recorded> cancels() {
        return requests.stream().filter(r -> r.method().equals("POST") && r.path().equals("/payments/cancel")).toList();
    }

    // ---- request handling

    private interface Route {
        void handle(Context ctx) throws Exception;
    }

    /** Records, delays, applies a fault, checks the token, then runs the route. */
    private Handler guarded(boolean needsToken, Route route) {
        return ctx -> {
            Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            headers.putAll(ctx.headerMap());
            requests.add(new Recorded(ctx.method().name(), ctx.path(), ctx.queryString(),
                    Collections.unmodifiableMap(headers), ctx.body()));
            long delay = delayMillis;
            if (delay > 0) {
                Thread.sleep(delay);
            }
            switch (takeFault(needsToken)) {
                case HTTP_500 -> envelope(ctx, 500, -1, "Internal Server Error", null);
                case HTTP_503 -> ctx.status(503).contentType("text/html; charset=utf-8")
                        .result("<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>");
                case NOT_JSON -> ctx.status(200).contentType("text/html; charset=utf-8")
                        .result("<html><body>서비스 점검 중입니다</body></html>");
                case HANG -> {
                    closing.await(HANG_LIMIT_SECONDS, TimeUnit.SECONDS);
                    ctx.status(503).result("");
                }
                case UNAUTHORIZED -> unauthorized(ctx);
                case NONE -> {
                    if (needsToken && !validToken(ctx)) {
                        unauthorized(ctx);
                    } else {
                        route.handle(ctx);
                    }
                }
            }
        };
    }

    private Fault takeFault(boolean needsToken) {
        synchronized (lock) {
            if (nextFaultRequests > 0 && applies(nextFault, needsToken)) {
                nextFaultRequests--;
                return nextFault;
            }
            return applies(fault, needsToken) ? fault : Fault.NONE;
        }
    }

    private static boolean applies(Fault f, boolean needsToken) {
        return f != Fault.NONE && (f != Fault.UNAUTHORIZED || needsToken);
    }

    private void getToken(Context ctx) throws JsonProcessingException {
        Map<String, String> params = params(ctx);
        if (params == null) {
            return;
        }
        String key = params.get("imp_key");
        String secret = params.get("imp_secret");
        if (isBlank(key) || isBlank(secret)) {
            envelope(ctx, 400, -1, "imp_key, imp_secret 파라메터가 누락되었습니다.", null);
            return;
        }
        if (!key.equals(API_KEY) || !secret.equals(API_SECRET)) {
            unauthorized(ctx);
            return;
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        synchronized (lock) {
            long now = portOneNow();
            if (token == null || now >= tokenExpiresAt) {
                token = HexFormat.of().formatHex(randomBytes(20));
                tokenExpiresAt = now + tokenLifetimeSeconds;
            } else if (tokenExpiresAt - now < 60) {
                // PortOne's rule: the same token again, extended by 5 minutes when less than a minute is left.
                tokenExpiresAt += 300;
            }
            answer.put("access_token", token);
            answer.put("expired_at", tokenExpiresAt);
            answer.put("now", now);
        }
        envelope(ctx, 200, 0, null, answer);
    }

    private void getPayment(Context ctx) throws JsonProcessingException {
        synchronized (lock) {
            boolean includeSandbox = ignoreIncludeSandbox || "true".equalsIgnoreCase(ctx.queryParam("include_sandbox"));
            Map<String, Object> p = payments.get(ctx.pathParam("imp_uid"));
            if (p == null || (Boolean.TRUE.equals(p.get("sandbox")) && !includeSandbox)) {
                envelope(ctx, 404, -1, PAYMENT_NOT_FOUND, null);
            } else {
                envelope(ctx, 200, 0, null, p);   // serialized under the lock: a cancel may be changing it
            }
        }
    }

    /** Amount registrations by merchant_uid ({@code POST /payments/prepare}); a repeated one overwrites. */
    public Map<String, Object> prepared(String merchantUid) {
        synchronized (lock) {
            Map<String, Object> p = prepared.get(merchantUid);
            return p == null ? null : copy(p);
        }
    }

    private void prepare(Context ctx) throws JsonProcessingException {
        Map<String, String> params = params(ctx);
        if (params == null) {
            return;
        }
        String merchantUid = params.get("merchant_uid");
        String amount = params.get("amount");
        if (merchantUid == null || amount == null) {
            envelope(ctx, 400, -1, "파라미터 누락: merchant_uid, amount", null);
            return;
        }
        Map<String, Object> registration = new LinkedHashMap<>();
        registration.put("merchant_uid", merchantUid);
        registration.put("amount", new BigDecimal(amount));
        registration.put("currency", params.get("currency"));
        synchronized (lock) {
            prepared.put(merchantUid, registration);
        }
        envelope(ctx, 200, 0, null, registration);
    }

    /** The newest (last stored) payment of an order, optionally in one status; 404 when none (§4). */
    private void findPayment(Context ctx) throws JsonProcessingException {
        String merchantUid = ctx.pathParam("merchant_uid");
        String status = ctx.pathParamMap().get("status");
        synchronized (lock) {
            Map<String, Object> newest = null;
            for (Map<String, Object> p : payments.values()) {
                if (merchantUid.equals(p.get("merchant_uid")) && (status == null || status.equals(p.get("status")))) {
                    newest = p;
                }
            }
            if (newest == null) {
                envelope(ctx, 404, -1, PAYMENT_NOT_FOUND, null);
            } else {
                envelope(ctx, 200, 0, null, newest);
            }
        }
    }

    /**
     * Where a cancel stops until {@link #releaseCancels()}: {@code BEFORE} PortOne acted (the call is in
     * flight and nothing was refunded), or {@code AFTER} it refunded and before its answer is sent, as
     * when the answer is lost on the way. A released cancel answers 503 either way: whoever sent it has
     * usually been killed meanwhile.
     */
    public enum CancelHold { NONE, BEFORE, AFTER }

    public void holdCancels(CancelHold hold) {
        cancelRelease = new CountDownLatch(1);
        cancelHold = hold;
    }

    /** Waits (bounded) until a cancel is being held; true if one is. */
    public boolean awaitHeldCancel(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (heldCancels.get() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        return heldCancels.get() > 0;
    }

    public void releaseCancels() {
        cancelHold = CancelHold.NONE;
        cancelRelease.countDown();
    }

    /** While on, a cancel is carried out and then answered with HTTP 500, as when PortOne fails after the fact. */
    public void loseCancelAnswers(boolean lose) {
        loseCancelAnswers = lose;
    }

    private void hold(Context ctx) throws InterruptedException {
        heldCancels.incrementAndGet();
        try {
            cancelRelease.await(HANG_LIMIT_SECONDS, TimeUnit.SECONDS);
        } finally {
            heldCancels.decrementAndGet();
        }
        ctx.status(503).result("");
    }

    /**
     * {@code GET /payments/status/{payment_status}} (docs §4): the payments in that status ({@code all}: any)
     * whose time for their status (started, paid, cancelled or failed at) lies in [from, to], by default the
     * 90 days up to now; {@code page} from 1, {@code limit} up to 1000 (default 20), sorted by {@code sorting}
     * (default {@code -started}).
     */
    private void listByStatus(Context ctx) throws JsonProcessingException {
        String status = ctx.pathParam("payment_status");
        if (!List.of("all", "ready", "paid", "cancelled", "failed").contains(status)) {
            envelope(ctx, 400, -1, "지원되지 않는 상태값입니다.", null);
            return;
        }
        long to;
        long from;
        int page;
        int limit;
        try {
            to = ctx.queryParam("to") == null ? portOneNow() : Long.parseLong(ctx.queryParam("to"));
            from = ctx.queryParam("from") == null ? to - 90L * 24 * 3600 : Long.parseLong(ctx.queryParam("from"));
            page = ctx.queryParam("page") == null ? 1 : Integer.parseInt(ctx.queryParam("page"));
            limit = ctx.queryParam("limit") == null ? 20 : Integer.parseInt(ctx.queryParam("limit"));
        } catch (NumberFormatException e) {
            envelope(ctx, 400, -1, "page, limit, from, to 는 정수여야 합니다.", null);
            return;
        }
        if (page < 1 || limit < 1 || limit > 1000 || from > to || to - from > 90L * 24 * 3600) {
            envelope(ctx, 400, -1, "유효하지 않은 조회 범위입니다.", null);
            return;
        }
        String sorting = ctx.queryParam("sorting") == null ? "-started" : ctx.queryParam("sorting");
        synchronized (lock) {
            List<Map<String, Object>> matching = new ArrayList<>();
            for (Map<String, Object> p : payments.values()) {
                String s = String.valueOf(p.get("status"));
                long at = seconds(p.get(switch (s) {
                    case "paid" -> "paid_at";
                    case "cancelled" -> "cancelled_at";
                    case "failed" -> "failed_at";
                    default -> "started_at";
                }));
                if ((status.equals("all") || status.equals(s)) && at >= from && at <= to) {
                    matching.add(p);
                }
            }
            String key = sorting.replace("-", "");
            java.util.Comparator<Map<String, Object>> order = java.util.Comparator.comparingLong(p -> seconds(p.get(
                    key.equals("paid") ? "paid_at" : key.equals("updated") ? "cancelled_at" : "started_at")));
            matching.sort(sorting.startsWith("-") ? order.reversed() : order);
            int start = Math.min(matching.size(), (page - 1) * limit);
            int end = Math.min(matching.size(), start + limit);
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("total", matching.size());
            answer.put("previous", page > 1 ? page - 1 : 0);
            answer.put("next", end < matching.size() ? page + 1 : 0);
            answer.put("list", new ArrayList<>(matching.subList(start, end)));
            envelope(ctx, 200, 0, null, answer);
        }
    }

    /** {@code DELETE /vbanks/{imp_uid}}: an account awaiting a deposit is revoked (failed, nothing paid). */
    private void revokeVbank(Context ctx) throws JsonProcessingException {
        synchronized (lock) {
            Map<String, Object> p = payments.get(ctx.pathParam("imp_uid"));
            if (p == null) {
                envelope(ctx, 404, -1, PAYMENT_NOT_FOUND, null);
                return;
            }
            if (!"vbank".equals(p.get("pay_method")) || !"ready".equals(p.get("status"))) {
                envelope(ctx, 400, -1, "가상계좌 결제건이 아니거나 입금대기 상태가 아닙니다.", null);
                return;
            }
            // PortOne files a revoked account under failures ("계좌말소"), as the sandbox does
            p.put("status", "failed");
            p.put("failed_at", portOneNow());
            p.put("fail_reason", "가상계좌 말소");
            envelope(ctx, 200, 0, null, p);
        }
    }

    private static long seconds(Object v) {
        return v instanceof Number n ? n.longValue() : 0L;
    }

    /** Refusals are HTTP 200 with code 1, as PortOne answers them (§1.3). */
    /** While on, every cancel is refused as a PG failure (HTTP 200, code 1), as PortOne reports them. */
    public void refuseCancels(boolean refuse) {
        refuseCancels = refuse;
    }

    private void cancel(Context ctx) throws JsonProcessingException, InterruptedException {
        Map<String, String> params = params(ctx);
        if (params == null) {
            return;
        }
        if (refuseCancels) {
            envelope(ctx, 200, 1, "결제취소에 실패하였습니다.(PG사 응답 오류)", null);
            return;
        }
        if (cancelHold == CancelHold.BEFORE) {
            hold(ctx);
            return;
        }
        BigDecimal requested;
        BigDecimal checksum;
        try {
            requested = params.containsKey("amount") ? new BigDecimal(params.get("amount")) : BigDecimal.ZERO;
            checksum = params.containsKey("checksum") ? new BigDecimal(params.get("checksum")) : null;
        } catch (NumberFormatException e) {
            envelope(ctx, 400, -1, "amount, checksum 은 숫자여야 합니다.", null);
            return;
        }
        String impUid = params.get("imp_uid");
        String merchantUid = params.get("merchant_uid");
        String reason = params.get("reason");
        synchronized (lock) {
            Map<String, Object> p;
            if (!isBlank(impUid)) {
                p = payments.get(impUid);   // imp_uid wins, even when merchant_uid would match
            } else if (!isBlank(merchantUid)) {
                p = payments.values().stream().filter(x -> merchantUid.equals(x.get("merchant_uid")))
                        .reduce((first, last) -> last).orElse(null);
            } else {
                envelope(ctx, 200, 1, "취소할 결제건의 imp_uid 또는 merchant_uid를 지정해주셔야합니다.", null);
                return;
            }
            if (p == null || !(p.get("status").equals("paid") || p.get("status").equals("cancelled"))) {
                envelope(ctx, 200, 1, NOTHING_TO_CANCEL, null);
                return;
            }
            BigDecimal cancelledSoFar = decimal(p.get("cancel_amount"));
            BigDecimal balance = decimal(p.get("amount")).subtract(cancelledSoFar);
            if (balance.signum() <= 0) {
                envelope(ctx, 200, 1, "이미 전액취소된 주문입니다.", null);
                return;
            }
            if (checksum != null && checksum.compareTo(balance) != 0) {
                envelope(ctx, 200, 1, "[checksum] 취소가능잔액(" + balance.toPlainString()
                        + ")과 요청한 checksum(" + checksum.toPlainString() + ")이 일치하지 않습니다.", null);
                return;
            }
            // Absent or 0 means "everything that is left".
            BigDecimal refund = requested.signum() == 0 ? balance : requested;
            if (refund.signum() < 0) {
                envelope(ctx, 200, 1, "취소 금액은 0보다 커야 합니다.", null);
                return;
            }
            if (refund.compareTo(balance) > 0) {
                envelope(ctx, 200, 1, "결제취소에 실패하였습니다.(requested cancel amount is bigger than cancelable amount)", null);
                return;
            }
            long now = portOneNow();
            String cancellationId = "cancel_" + HexFormat.of().formatHex(randomBytes(8));
            List<Object> history = new ArrayList<>(listOrEmpty(p.get("cancel_history")));
            history.add(cancelEntry(p, refund, now, reason, cancellationId));
            List<Object> receipts = new ArrayList<>(listOrEmpty(p.get("cancel_receipt_urls")));
            receipts.add(p.get("receipt_url"));
            p.put("cancel_amount", cancelledSoFar.add(refund));
            p.put("status", "cancelled");   // also after a partial cancel (§6.3)
            p.put("cancelled_at", now);
            p.put("cancel_reason", reason);
            p.put("cancel_history", history);
            p.put("cancel_receipt_urls", receipts);
            if (loseCancelAnswers) {
                envelope(ctx, 500, -1, "Internal Server Error", null);
                return;
            }
            if (cancelHold != CancelHold.AFTER) {
                envelope(ctx, 200, 0, null, p);
                return;
            }
        }
        hold(ctx);
    }

    private static Map<String, Object> cancelEntry(Map<String, Object> p, Object amount, long at, String reason,
                                                   String cancellationId) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("pg_tid", p.get("pg_tid"));
        e.put("amount", amount);
        e.put("cancelled_at", at);
        e.put("reason", reason);
        e.put("cancellation_id", cancellationId);
        e.put("receipt_url", p.get("receipt_url"));
        return e;
    }

    /** The request parameters, from a JSON or a form body; null after answering 400 for a broken body. */
    private Map<String, String> params(Context ctx) throws JsonProcessingException {
        Map<String, String> params = new HashMap<>();
        String type = ctx.contentType();
        if (type != null && type.toLowerCase().startsWith("application/x-www-form-urlencoded")) {
            ctx.formParamMap().forEach((k, v) -> {
                if (!v.isEmpty()) {
                    params.put(k, v.get(0));
                }
            });
            return params;
        }
        if (ctx.body().isBlank()) {
            return params;
        }
        JsonNode body;
        try {
            body = json.readTree(ctx.body());
        } catch (JsonProcessingException e) {
            body = null;
        }
        if (body == null || !body.isObject()) {
            envelope(ctx, 400, -1, "요청 본문이 올바른 JSON 객체가 아닙니다.", null);
            return null;
        }
        body.properties().forEach(e -> {
            JsonNode v = e.getValue();
            if (!v.isNull()) {
                params.put(e.getKey(), v.isValueNode() ? v.asText() : v.toString());
            }
        });
        return params;
    }

    /** Accepts every form PortOne does: {@code Bearer t}, a bare {@code t}, or {@code X-ImpTokenHeader: t}. */
    private boolean validToken(Context ctx) {
        String authorization = ctx.header("Authorization");
        String presented = authorization != null
                ? authorization.replaceFirst("^(?i)bearer\\s+", "").trim()
                : ctx.header("X-ImpTokenHeader");
        synchronized (lock) {
            return presented != null && presented.equals(token) && portOneNow() < tokenExpiresAt;
        }
    }

    private void unauthorized(Context ctx) throws JsonProcessingException {
        // The real 401 body was never captured; this shape is the doc's simulator choice (§1.3).
        envelope(ctx, 401, -1, "Unauthorized", null);
    }

    private void envelope(Context ctx, int status, int code, String message, Object response)
            throws JsonProcessingException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", code);
        body.put("message", message);
        body.put("response", response);
        ctx.status(status).contentType("application/json; charset=utf-8").result(json.writeValueAsString(body));
    }

    private long portOneNow() {
        return Instant.now().getEpochSecond() + clockOffsetSeconds;
    }

    private byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }

    private static BigDecimal decimal(Object v) {
        return v instanceof BigDecimal d ? d : new BigDecimal(String.valueOf(v));
    }

    private static List<?> listOrEmpty(Object v) {
        return v instanceof List<?> l ? l : List.of();
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    /** Deep copy, so neither the test's map nor a returned map aliases the stored state. */
    @SuppressWarnings("unchecked")
    private static <T> T copy(T value) {
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> c = new LinkedHashMap<>();
            m.forEach((k, v) -> c.put(String.valueOf(k), copy(v)));
            return (T) c;
        }
        if (value instanceof List<?> l) {
            List<Object> c = new ArrayList<>();
            l.forEach(v -> c.add(copy(v)));
            return (T) c;
        }
        return value;
    }
}
