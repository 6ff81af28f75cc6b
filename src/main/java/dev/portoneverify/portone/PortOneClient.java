package dev.portoneverify.portone;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portoneverify.concurrent.Futures;
import dev.portoneverify.text.LogSafe;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Client for the PortOne V1 calls this project makes: the access token, a payment by {@code imp_uid}
 * or by {@code merchant_uid}, the payments that changed in a time window ({@code GET /payments/status}),
 * registering an order's amount in advance ({@code prepare}), cancel, and revoking a virtual account
 * ({@code DELETE /vbanks}) (PortOne's V1 API reference; what we rely on is summed up in README "The
 * verification rules").
 *
 * <p>Every call is asynchronous underneath ({@code HttpClient.sendAsync}): the {@code ...Async}
 * methods return at once and no thread waits while PortOne answers (issue 17); the plain methods wait
 * for the same future. Each exchange, headers and body, ends within the request timeout.
 *
 * <p>Thread-safe; share one instance. The access token is cached, and refreshed by one getToken at a
 * time, which every caller needing a token meanwhile shares. Every failure is a {@link PortOneException}
 * subtype (as a failed future's cause, or thrown by the waiting methods); bad arguments are
 * {@link IllegalArgumentException}s, thrown at once. Payment states such as failed or cancelled are
 * data, not errors.
 */
public final class PortOneClient implements PortOneApi {
    private static final Logger log = LoggerFactory.getLogger(PortOneClient.class);

    /** Refresh this long before expiry, so a token does not run out between our check and PortOne's. */
    private static final long REFRESH_MARGIN_SECONDS = 60;
    /** PortOne messages are short Korean sentences; a long one is not a message and stays out of logs. */
    private static final int MAX_MESSAGE_CHARS = 200;
    /** The pause before a read is tried again: a timer, not a sleeping thread. */
    private static final Executor AFTER_RETRY_PAUSE = CompletableFuture.delayedExecutor(200, TimeUnit.MILLISECONDS,
            Runnable::run);
    /** PortOne's largest page of {@code GET /payments/status/{status}}. */
    public static final int MAX_PAGE_LIMIT = 1000;
    /** A payment answer is a few kilobytes; anything past this is not PortOne's. */
    private static final int MAX_ANSWER_BYTES = 1024 * 1024;
    /** A page of {@link #listPayments} holds up to {@link #MAX_PAGE_LIMIT} payments: this much for each. */
    private static final int MAX_LISTED_PAYMENT_BYTES = 8 * 1024;
    /** How long an imp_uid PortOne called unknown is answered unknown without asking again. */
    static final Duration UNKNOWN_PAYMENT_REMEMBERED = Duration.ofSeconds(10);
    /** {@link #checkCredentials()} asks PortOne for a token at most this often. */
    private static final Duration CREDENTIAL_CHECK_INTERVAL = Duration.ofMinutes(1);
    /** A failed read is retried only when no other read failed this recently. */
    private static final Duration RETRY_QUIET = Duration.ofSeconds(5);

    private final HttpClient http;
    private final ObjectMapper json;
    private final ObjectReader reader;
    private final ObjectWriter writer;
    private final String baseUrl;
    private final PortOneCredentials credentials;
    private final Duration requestTimeout;
    private final boolean includeSandbox;
    private final Clock clock;
    private final PortOneObserver observer;

    private final AtomicReference<AccessToken> token = new AtomicReference<>();
    /** PortOne's clock minus ours, as the latest getToken's {@code now} showed it (to the second). */
    private final AtomicReference<Duration> clockOffset = new AtomicReference<>(Duration.ZERO);
    /** The getToken under way, if any: every caller that needs a token meanwhile waits for this one. */
    private final AtomicReference<CompletableFuture<AccessToken>> tokenRefresh = new AtomicReference<>();

    private record AccessToken(String value, Instant refreshAt) {}

    /** The outcome of the last credentials check that had to ask PortOne; failure null when it worked. */
    private record CredentialCheck(Instant at, PortOneException failure) {}

    private final PaymentLookups lookups;
    private final AtomicReference<CredentialCheck> lastCheck = new AtomicReference<>();
    /** When a read last failed with a 5xx or a dropped connection. */
    private final AtomicLong lastUnavailableNanos = new AtomicLong(System.nanoTime() - RETRY_QUIET.toNanos() * 2);

    /** A successful answer: the envelope's {@code response}, plus what error messages need to name. */
    private record Reply(String call, int status, JsonNode response) {}

    /**
     * @param http           shared client; its connect timeout applies
     * @param baseUrl        {@code https://api.iamport.kr} in production, a fake in tests
     * @param requestTimeout applied to every request, getToken included
     * @param includeSandbox also see payments made through test channels ({@code include_sandbox=true});
     *                       without it PortOne answers 404 for them
     * @param clock          only measures the token's lifetime; PortOne's own timestamps are never compared with it
     */
    public PortOneClient(HttpClient http, ObjectMapper json, URI baseUrl, PortOneCredentials credentials,
                         Duration requestTimeout, boolean includeSandbox, Clock clock) {
        this(http, json, baseUrl, credentials, requestTimeout, includeSandbox, clock, PortOneObserver.NONE);
    }

    /** @param observer told of every request and token fetch (metrics); must be quick and never throw */
    public PortOneClient(HttpClient http, ObjectMapper json, URI baseUrl, PortOneCredentials credentials,
                         Duration requestTimeout, boolean includeSandbox, Clock clock, PortOneObserver observer) {
        this.observer = Objects.requireNonNull(observer, "observer");
        this.http = Objects.requireNonNull(http, "http");
        this.json = Objects.requireNonNull(json, "json");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.includeSandbox = includeSandbox;
        this.lookups = new PaymentLookups(clock, UNKNOWN_PAYMENT_REMEMBERED);
        // BigDecimal for every fraction, whatever the shared mapper says: amounts can be 14.2 USD.
        // Keep the scale PortOne sent (10000.0 stays 10000.0, not 1E+4), so amounts print as sent.
        this.reader = json.reader()
                .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .without(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES);
        this.writer = json.writer().with(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
        String base = Objects.requireNonNull(baseUrl, "baseUrl").toString();
        this.baseUrl = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    /**
     * {@code GET /payments/{imp_uid}}, waiting for the answer ({@link #getPaymentAsync} without the wait).
     *
     * @throws PortOneNotFoundException when PortOne has no such payment (or hides a test-channel one)
     */
    @Override
    public Payment getPayment(String impUid) {
        return await(getPaymentAsync(impUid));
    }

    /**
     * {@code GET /payments/{imp_uid}} without holding a thread while PortOne answers. Concurrent lookups
     * of one imp_uid share one request ({@link PaymentLookups}). Fails with a {@link PortOneException}:
     * {@link PortOneNotFoundException} when PortOne has no such payment (or hides a test-channel one).
     */
    @Override
    public CompletableFuture<Payment> getPaymentAsync(String impUid) {
        Objects.requireNonNull(impUid, "impUid");
        if (impUid.isBlank()) {
            throw new IllegalArgumentException("impUid must not be blank");
        }
        String query = includeSandbox ? "include_sandbox=true" : null;
        return lookups.get(impUid, id -> read("getPayment", "/payments/" + encodePathSegment(id), query)
                .thenApply(PortOneClient::parsePayment));
    }

    /**
     * Proves the credentials work, with the cached token when there is one: a health probe then
     * costs no request at all, and at most one getToken per token lifetime.
     */
    public void checkCredentials() {
        if (isFresh(token.get())) {
            return;
        }
        // Without a usable token (a rejected key, PortOne down) each probe would be a getToken: a
        // load balancer or anyone else probing /health must not make PortOne throttle the key (issue 15).
        CredentialCheck last = lastCheck.get();
        Instant now = clock.instant();
        if (last != null && now.isBefore(last.at().plus(CREDENTIAL_CHECK_INTERVAL))) {
            if (last.failure() != null) {
                throw last.failure();
            }
            return;
        }
        try {
            await(currentToken());
            lastCheck.set(new CredentialCheck(now, null));
        } catch (PortOneException e) {
            lastCheck.set(new CredentialCheck(now, e));
            throw e;
        }
    }

    /**
     * {@code GET /payments/find/{merchant_uid}[/{status}]}: the newest payment for an order, or the
     * newest in {@code status} when given; empty when PortOne has none.
     */
    public Optional<Payment> findPayment(String merchantUid, PaymentStatus status) {
        Objects.requireNonNull(merchantUid, "merchantUid");
        String path = "/payments/find/" + encodePathSegment(merchantUid)
                + (status == null ? "" : "/" + status.name().toLowerCase(Locale.ROOT));
        try {
            return Optional.of(parsePayment(await(read("findPayment", path, null))));
        } catch (PortOneNotFoundException e) {
            return Optional.empty();
        }
    }

    /**
     * {@code POST /payments/prepare}: registers the amount (and currency) an order must be paid
     * with, so that PortOne's payment window refuses a tampered amount before anyone is charged.
     * PortOne answers with the registration, which is checked against what was sent.
     */
    public void prepare(String merchantUid, BigDecimal amount, String currency) {
        ObjectNode body = json.createObjectNode()
                .put("merchant_uid", Objects.requireNonNull(merchantUid, "merchantUid"))
                .put("amount", Objects.requireNonNull(amount, "amount"))
                .put("currency", Objects.requireNonNull(currency, "currency"));
        Reply reply = await(authorized("prepare", "POST", "/payments/prepare", null, body));
        JsonNode registered = reply.response();
        if (!merchantUid.equals(registered.path("merchant_uid").asText(null))
                || !registered.path("amount").isNumber()
                || registered.path("amount").decimalValue().compareTo(amount) != 0) {
            throw bad(reply, "a registration that does not echo the merchant_uid and amount sent");
        }
    }

    /**
     * {@code POST /payments/cancel}; returns the payment as it is after the cancel. PortOne refuses
     * (for example a stale checksum, or nothing left to refund) with a {@link PortOneApiException}.
     * A {@link PortOneUnavailableException} leaves the outcome unknown: look the payment up before retrying.
     */
    @Override
    public Payment cancel(CancelRequest request) {
        return await(cancelAsync(request));
    }

    /** {@link #cancel} without holding a thread while PortOne answers. */
    @Override
    public CompletableFuture<Payment> cancelAsync(CancelRequest request) {
        Objects.requireNonNull(request, "request");
        ObjectNode body = json.createObjectNode().put("imp_uid", request.impUid());
        // An absent amount is PortOne's "refund the whole balance"; absent checksum skips its check.
        if (request.amount() != null) {
            body.put("amount", request.amount());
        }
        if (request.checksum() != null) {
            body.put("checksum", request.checksum());
        }
        if (request.reason() != null) {
            body.put("reason", request.reason());
        }
        if (request.refundAccount() != null) {
            body.put("refund_holder", request.refundAccount().holder())
                    .put("refund_bank", request.refundAccount().bank())
                    .put("refund_account", request.refundAccount().account());
        }
        return authorized("cancel", "POST", "/payments/cancel", null, body).thenApply(PortOneClient::parsePayment);
    }

    /**
     * PortOne's time now, by its own clock: ours corrected by the {@code now} its latest access token
     * came with (ours as it is before any token was fetched). For time windows PortOne filters by its
     * own timestamps, such as {@link #listPayments}.
     */
    public Instant portoneNow() {
        return clock.instant().plus(clockOffset.get());
    }

    /**
     * {@code GET /payments/status/{payment_status}}: one page of the payments whose current status is
     * {@code status} ({@code null}: every status, PortOne's {@code all}) and whose time for that status
     * (started for ready, paid, cancelled, failed) lies in {@code [from, to]}, both inclusive. PortOne
     * allows at most 90 days between them, and at most 1,000 per page.
     *
     * @param page    from 1
     * @param sorting PortOne's {@code sorting} ({@code -started}, {@code updated}, ...), or null for its default
     */
    public PaymentPage listPayments(PaymentStatus status, Instant from, Instant to, int page, int limit, String sorting) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (page < 1 || limit < 1 || limit > MAX_PAGE_LIMIT || from.isAfter(to)) {
            throw new IllegalArgumentException("page from 1, limit 1.." + MAX_PAGE_LIMIT + ", from not after to");
        }
        String path = "/payments/status/" + (status == null ? "all" : status.name().toLowerCase(Locale.ROOT));
        String query = "page=" + page + "&limit=" + limit + "&from=" + from.getEpochSecond() + "&to=" + to.getEpochSecond()
                + (sorting == null ? "" : "&sorting=" + URLEncoder.encode(sorting, UTF_8));
        Reply reply = await(read("listPayments", path, query));
        JsonNode r = reply.response();
        JsonNode list = r.path("list");
        if (!r.isObject() || !isLong(r.path("total")) || !isLong(r.path("previous")) || !isLong(r.path("next"))
                || !(list.isArray() || list.isMissingNode() || list.isNull())) {
            throw bad(reply, "a payment list without integer `total`, `previous`, `next` and an array `list`");
        }
        List<Payment> payments = new ArrayList<>();
        for (JsonNode p : list) {
            payments.add(parsePayment(reply, p));
        }
        return new PaymentPage(r.path("total").longValue(), r.path("previous").intValue(), r.path("next").intValue(),
                List.copyOf(payments));
    }

    /**
     * {@code DELETE /vbanks/{imp_uid}}: revokes a virtual account nobody has paid into yet, so that the
     * buyer can no longer deposit into it. Returns the payment as it is afterwards. PortOne refuses an
     * account that is not awaiting a deposit, and PGs that cannot revoke, with a {@link PortOneApiException}
     * (or 400/404 as a {@link PortOneBadResponseException} / {@link PortOneNotFoundException}).
     */
    @Override
    public Payment closeVbank(String impUid) {
        return await(closeVbankAsync(impUid));
    }

    /** {@link #closeVbank} without holding a thread while PortOne answers. */
    @Override
    public CompletableFuture<Payment> closeVbankAsync(String impUid) {
        Objects.requireNonNull(impUid, "impUid");
        if (impUid.isBlank()) {
            throw new IllegalArgumentException("impUid must not be blank");
        }
        return authorized("closeVbank", "DELETE", "/vbanks/" + encodePathSegment(impUid), null, null)
                .thenApply(PortOneClient::parsePayment);
    }

    /** The blocking face of an exchange, for the callers that hold a thread anyway (reconciler, admin). */
    private static <T> T await(CompletableFuture<T> pending) {
        return Futures.await(pending, interrupted ->
                new PortOneUnavailableException("interrupted while waiting for PortOne", 0, interrupted));
    }

    /**
     * Reads are safe to repeat, so one that PortOne refused or dropped (5xx, connection reset) is
     * tried once more after a short pause (a timer, not a sleeping thread). Not after a timeout: that
     * already spent the caller's time. A cancel is never repeated here: its callers retry it, with
     * {@code checksum}, after a fresh lookup.
     */
    private CompletableFuture<Reply> read(String endpoint, String path, String query) {
        return authorized(endpoint, "GET", path, query, null).exceptionallyCompose(failure -> {
            Throwable cause = Futures.unwrap(failure);
            if (!(cause instanceof PortOneUnavailableException) || cause instanceof PortOneTimeoutException) {
                return CompletableFuture.failedFuture(cause);
            }
            long now = System.nanoTime();
            if (now - lastUnavailableNanos.getAndSet(now) < RETRY_QUIET.toNanos()) {
                // PortOne is failing for every caller: a retry would only double what it receives (issue 15)
                return CompletableFuture.failedFuture(cause);
            }
            log.debug("PortOne GET {} failed ({}); trying once more", path, cause.getMessage());
            return CompletableFuture.runAsync(() -> { }, AFTER_RETRY_PAUSE)
                    .thenCompose(paused -> authorized(endpoint, "GET", path, query, null));
        });
    }

    /**
     * Calls with the cached token. A 401 usually means the token expired in flight, so drop it, fetch a
     * fresh one and retry exactly once (iamport-rest-client-nodejs#9). A 401 always means PortOne did
     * not act, so retrying a cancel is safe.
     */
    private CompletableFuture<Reply> authorized(String endpoint, String method, String path, String query, JsonNode body) {
        return currentToken().thenCompose(used -> send(endpoint, method, path, query, body, used.value())
                .exceptionallyCompose(failure -> {
                    Throwable cause = Futures.unwrap(failure);
                    if (!(cause instanceof PortOneAuthException)) {
                        return CompletableFuture.failedFuture(cause);
                    }
                    // Only if still cached: another caller may already have put a fresh token there.
                    token.compareAndSet(used, null);
                    log.debug("PortOne {} {} rejected the access token; retrying once with a fresh one", method, path);
                    return currentToken()
                            .thenCompose(fresh -> send(endpoint, method, path, query, body, fresh.value()))
                            .exceptionallyCompose(again -> {
                                Throwable second = Futures.unwrap(again);
                                return CompletableFuture.failedFuture(second instanceof PortOneAuthException
                                        ? new PortOneAuthException(second.getMessage()
                                                + " (again after fetching a fresh access token)")
                                        : second);
                            });
                }));
    }

    /**
     * The cached token, or the one being fetched. Single flight: while one fetch is under way every
     * caller gets (a copy of) its future, so a flash sale that starts with no token, or finds it
     * expired, costs PortOne one getToken, and nobody holds a thread while it comes.
     */
    private CompletableFuture<AccessToken> currentToken() {
        while (true) {
            AccessToken cached = token.get();
            if (isFresh(cached)) {
                return CompletableFuture.completedFuture(cached);
            }
            CompletableFuture<AccessToken> running = tokenRefresh.get();
            if (running != null) {
                return running.copy();
            }
            CompletableFuture<AccessToken> mine = new CompletableFuture<>();
            if (!tokenRefresh.compareAndSet(null, mine)) {
                continue;
            }
            // the fetch that just ended may have left a fresh token between our two reads
            cached = token.get();
            if (isFresh(cached)) {
                tokenRefresh.compareAndSet(mine, null);
                mine.complete(cached);
                return mine;
            }
            fetchToken().whenComplete((fresh, failure) -> {
                if (failure == null) {
                    // cached before the fetch is let go, so a caller arriving after it finds this token
                    token.set(fresh);
                    observer.tokenFetched();
                }
                tokenRefresh.compareAndSet(mine, null);
                if (failure == null) {
                    mine.complete(fresh);
                } else {
                    mine.completeExceptionally(Futures.unwrap(failure));
                }
            });
            return mine.copy();
        }
    }

    private boolean isFresh(AccessToken t) {
        return t != null && clock.instant().isBefore(t.refreshAt());
    }

    private CompletableFuture<AccessToken> fetchToken() {
        ObjectNode body = json.createObjectNode()
                .put("imp_key", credentials.apiKey())
                .put("imp_secret", credentials.apiSecret());
        return send("getToken", "POST", "/users/getToken", null, body, null).handle((reply, failure) -> {
            if (failure != null) {
                Throwable cause = Futures.unwrap(failure);
                if (cause instanceof PortOneNotFoundException || cause instanceof PortOneApiException) {
                    // A refused getToken is a credentials or endpoint problem; never let it read as "payment not found".
                    throw new PortOneAuthException(cause.getMessage());
                }
                throw Futures.rethrow(cause);
            }
            return token(reply);
        });
    }

    private AccessToken token(Reply reply) {
        Instant receivedAt = clock.instant();
        JsonNode r = reply.response();
        JsonNode accessToken = r.path("access_token");
        JsonNode expiredAt = r.path("expired_at");
        JsonNode now = r.path("now");
        if (!accessToken.isTextual() || accessToken.asText().isBlank()
                || !isLong(expiredAt) || !isLong(now)) {
            throw bad(reply, "a token without a string `access_token` and integer `expired_at` and `now`");
        }
        // PortOne's clock and ours may disagree by hours; only the difference of its own two numbers is
        // meaningful, so the expiry is measured from when we received the token.
        clockOffset.set(Duration.ofSeconds(now.longValue() - receivedAt.getEpochSecond()));
        long lifetime = Math.max(0, expiredAt.longValue() - now.longValue());
        long margin = Math.min(REFRESH_MARGIN_SECONDS, lifetime / 2);
        Instant refreshAt = receivedAt.plusSeconds(lifetime - margin);
        log.debug("PortOne access token fetched, valid for {} s, refresh after {}", lifetime, refreshAt);
        return new AccessToken(accessToken.asText(), refreshAt);
    }

    /** {@link #exchange} with its duration and result reported to the observer (e.g. metrics). */
    private CompletableFuture<Reply> send(String endpoint, String method, String path, String query, JsonNode body,
                                          String accessToken) {
        long started = System.nanoTime();
        CompletableFuture<Reply> reply = exchange(method, path, query, body, accessToken,
                endpoint.equals("listPayments") ? MAX_PAGE_LIMIT * MAX_LISTED_PAYMENT_BYTES : MAX_ANSWER_BYTES);
        reply.whenComplete((answer, failure) -> observer.requested(endpoint, PortOneExchange.result(failure),
                Duration.ofNanos(System.nanoTime() - started)));
        return reply;
    }


    /**
     * The one way to PortOne, asynchronous: no thread waits while PortOne answers. Checks the HTTP status
     * and the envelope's integer {@code code}, because PortOne uses both: 401/404 with code -1, and
     * refusals as HTTP 200 with a non-zero code.
     */
    private CompletableFuture<Reply> exchange(String method, String path, String query, JsonNode body,
                                              String accessToken, int maxAnswerBytes) {
        String call = method + " " + path;
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path + (query == null ? "" : "?" + query)))
                .timeout(requestTimeout)
                .header("Accept", "application/json");
        if (accessToken != null) {
            request.header("Authorization", "Bearer " + accessToken);
        }
        if (body == null) {
            request.method(method, BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").method(method, BodyPublishers.ofString(write(body), UTF_8));
        }

        return PortOneExchange.send(http, request.build(), maxAnswerBytes, requestTimeout, call)
                .thenApply(response -> reply(call, response));
    }

    private Reply reply(String call, HttpResponse<String> response) {
        int status = response.statusCode();
        JsonNode envelope = parseOrNull(response.body());
        JsonNode codeNode = envelope == null ? null : envelope.get("code");
        Integer code = codeNode != null && codeNode.isIntegralNumber() && codeNode.canConvertToInt() ? codeNode.intValue() : null;
        String message = portoneMessage(envelope);
        String answered = "PortOne " + call + " answered HTTP " + status
                + (code == null ? "" : " code " + code) + (message == null ? "" : ": " + message);
        log.debug("{}", answered);

        if (status >= 500) {
            throw new PortOneUnavailableException(answered, status, null);
        }
        if (status == 401) {
            throw new PortOneAuthException(answered);
        }
        if (status == 404) {
            throw new PortOneNotFoundException(answered);
        }
        if (envelope == null) {
            throw new PortOneBadResponseException("PortOne " + call + " answered HTTP " + status + " with a body that is not JSON", status);
        }
        if (code == null) {
            throw new PortOneBadResponseException("PortOne " + call + " answered HTTP " + status + " without an integer `code`", status);
        }
        if (code != 0) {
            throw new PortOneApiException(answered, status, code, message);
        }
        if (status < 200 || status > 299) {
            throw new PortOneBadResponseException(answered + " (code 0 with a non-2xx status)", status);
        }
        return new Reply(call, status, envelope.path("response"));
    }

    private String write(JsonNode body) {
        try {
            return writer.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a PortOne request body", e);
        }
    }

    /** Null when the body is not JSON. The parser's error is dropped on purpose: it quotes the body. */
    private JsonNode parseOrNull(String body) {
        try {
            JsonNode node = reader.readTree(body);
            return node == null || node.isMissingNode() ? null : node;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static String portoneMessage(JsonNode envelope) {
        JsonNode m = envelope == null ? null : envelope.get("message");
        if (m == null || !m.isTextual()) {
            return null;
        }
        // it ends up in logs and answers: one line, no bidi tricks (issue 15)
        String text = LogSafe.of(m.asText());
        return text.length() <= MAX_MESSAGE_CHARS ? text : text.substring(0, MAX_MESSAGE_CHARS) + "…";
    }

    /** Hand-parsed so that a missing or mistyped required field fails loudly instead of defaulting. */
    private static Payment parsePayment(Reply reply) {
        return parsePayment(reply, reply.response());
    }

    private static Payment parsePayment(Reply reply, JsonNode p) {
        if (!p.isObject()) {
            throw bad(reply, "no payment object in `response`");
        }
        JsonNode sandbox = p.path("sandbox");
        if (!sandbox.isBoolean()) {
            throw bad(reply, "a payment whose `sandbox` is missing or not a boolean");
        }
        String rawStatus = requiredText(reply, p, "status");
        String vbankNum = optionalText(reply, p, "vbank_num");
        Vbank vbank = vbankNum == null || vbankNum.isBlank() ? null : new Vbank(
                optionalText(reply, p, "vbank_code"), optionalText(reply, p, "vbank_name"), vbankNum,
                optionalText(reply, p, "vbank_holder"), optionalTime(reply, p, "vbank_date"),
                optionalTime(reply, p, "vbank_issued_at"));
        return new Payment(
                requiredText(reply, p, "imp_uid"), requiredText(reply, p, "merchant_uid"),
                requiredDecimal(reply, p, "amount"), requiredDecimal(reply, p, "cancel_amount"),
                requiredText(reply, p, "currency"), PaymentStatus.fromWire(rawStatus), rawStatus,
                sandbox.booleanValue(), optionalText(reply, p, "pay_method"), optionalText(reply, p, "pg_provider"),
                optionalText(reply, p, "name"), optionalTime(reply, p, "paid_at"), optionalTime(reply, p, "failed_at"),
                optionalTime(reply, p, "cancelled_at"), optionalText(reply, p, "fail_reason"),
                optionalText(reply, p, "cancel_reason"), vbank, optionalText(reply, p, "receipt_url"));
    }

    private static String requiredText(Reply reply, JsonNode p, String field) {
        JsonNode v = p.path(field);
        if (!v.isTextual()) {
            throw bad(reply, "a payment whose `" + field + "` is missing or not a string");
        }
        return text(reply, field, v);
    }

    /**
     * No text of a real payment contains a NUL character, and PostgreSQL cannot store one: refusing the
     * answer here keeps both databases behaving the same (nothing stored, a 502 that says why).
     */
    private static String text(Reply reply, String field, JsonNode v) {
        String text = v.asText();
        if (text.indexOf('\0') >= 0) {
            throw bad(reply, "a payment whose `" + field + "` contains a NUL character");
        }
        return text;
    }

    /** Amounts must be JSON numbers: a quoted amount means the wire format changed, so refuse to guess. */
    private static BigDecimal requiredDecimal(Reply reply, JsonNode p, String field) {
        JsonNode v = p.path(field);
        if (!v.isNumber()) {
            throw bad(reply, "a payment whose `" + field + "` is missing or not a number");
        }
        BigDecimal amount = v.decimalValue();
        // checked on the compact form: 1e9999999 would be ten million digits once printed (issue 15)
        if (amount.precision() > 30 || amount.scale() > 8 || (long) amount.precision() - amount.scale() > 15) {
            throw bad(reply, "a payment whose `" + field + "` is no plausible amount");
        }
        return amount;
    }

    private static String optionalText(Reply reply, JsonNode p, String field) {
        JsonNode v = p.path(field);
        if (v.isMissingNode() || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw bad(reply, "a payment whose `" + field + "` is not a string");
        }
        return text(reply, field, v);
    }

    /** PortOne sends UNIX seconds, and 0 (not null) for "never happened". */
    private static Instant optionalTime(Reply reply, JsonNode p, String field) {
        JsonNode v = p.path(field);
        if (v.isMissingNode() || v.isNull()) {
            return null;
        }
        if (!isLong(v)) {
            throw bad(reply, "a payment whose `" + field + "` is not an integer of UNIX seconds");
        }
        return v.longValue() == 0 ? null : Instant.ofEpochSecond(v.longValue());
    }

    private static boolean isLong(JsonNode v) {
        return v.isIntegralNumber() && v.canConvertToLong();
    }

    private static PortOneBadResponseException bad(Reply reply, String what) {
        return new PortOneBadResponseException(
                "PortOne " + reply.call() + " answered HTTP " + reply.status() + " with " + what, reply.status());
    }

    private static String encodePathSegment(String s) {
        // URLEncoder is for forms: it writes spaces as '+', which a path would keep literally.
        return URLEncoder.encode(s, UTF_8).replace("+", "%20");
    }
}
