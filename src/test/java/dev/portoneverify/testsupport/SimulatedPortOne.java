package dev.portoneverify.testsupport;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portoneverify.sandbox.PortOneSandbox;
import dev.portoneverify.testsupport.FaultProxy.Fault;
import dev.portoneverify.testsupport.FaultProxy.Recorded;
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
import java.net.http.HttpResponse.BodyHandlers;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * PortOne for the tests: the embedded sandbox ({@link PortOneSandbox}, the one V1 simulator) behind a
 * {@link FaultProxy}. The shop under test is given {@link #baseUrl()}, the proxy, so every call it makes is
 * recorded and can be answered by a fault; the test plays the buyer and PortOne's back office through the
 * sandbox's control API ({@link #pay}, {@link #deposit}, {@link #cancelInConsole}, ...), served here by a
 * small host of its own since the shop runs in live mode.
 *
 * <p>No webhooks are sent unless {@link #deliverWebhooksTo} is called: most tests send them themselves.
 */
public final class SimulatedPortOne implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final ObjectMapper json = Json.newMapper();
    private final PortOneSandbox sandbox;
    private final Javalin control;
    private final FaultProxy proxy;

    private SimulatedPortOne(PortOneSandbox.Settings settings, Clock clock) {
        sandbox = PortOneSandbox.start(settings, clock);
        sandbox.webhookUrl(null);
        control = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.jsonMapper(new JavalinJackson(json, false));
            config.routes.apiBuilder(() -> ApiBuilder.path("sandbox", sandbox.controlRoutes()));
            config.routes.exception(ApiException.class, (e, ctx) ->
                    ctx.status(e.httpStatus()).json(new StatusMessage(e.status(), e.getMessage())));
        });
        control.start("127.0.0.1", 0);
        proxy = FaultProxy.to(sandbox.apiUrl());
    }

    /** The sandbox on the system clock. */
    public static SimulatedPortOne start() {
        return start(Clock.systemUTC());
    }

    /** {@code clock} is PortOne's: token lifetimes and every timestamp it writes. */
    public static SimulatedPortOne start(Clock clock) {
        // a key and secret of its own per start (not the sandbox's documented ones), so a leak check means something
        SecureRandom random = new SecureRandom();
        return start(new PortOneSandbox.Settings(PortOneSandbox.Settings.LOOPBACK, 0,
                "test_imp_key_" + HexFormat.of().formatHex(randomBytes(random, 6)),
                "test-secret-" + HexFormat.of().formatHex(randomBytes(random, 20)), null, false), clock);
    }

    /** The sandbox as {@code settings} say (the sandbox's own tests: a state file, to restart it). */
    public static SimulatedPortOne start(PortOneSandbox.Settings settings, Clock clock) {
        return new SimulatedPortOne(settings, clock);
    }

    private static byte[] randomBytes(SecureRandom random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /** What the shop's {@code PORTONE_API_URL} should be: the recording, fault-injecting proxy. */
    public URI baseUrl() {
        return proxy.url();
    }

    public String apiKey() {
        return sandbox.apiKey();
    }

    /** Random per start; no secret worth keeping, but tests check it never leaks. */
    public String apiSecret() {
        return sandbox.apiSecret();
    }

    /** {@code PORTONE_API_URL}, {@code PORTONE_API_KEY} and {@code PORTONE_API_SECRET} for a live-mode shop. */
    public Map<String, String> env() {
        return Map.of("PORTONE_API_URL", baseUrl().toString(), "PORTONE_API_KEY", apiKey(),
                "PORTONE_API_SECRET", apiSecret());
    }

    /** The sandbox sends its webhooks (pay, deposit, console cancel) to {@code url}; null stops them. */
    public void deliverWebhooksTo(URI url) {
        sandbox.webhookUrl(url);
    }

    // ---- the buyer and the back office (the sandbox's control API)

    /** The buyer pays {@code amount} KRW by card: a {@code paid} payment with the given imp_uid. */
    public String pay(String impUid, String merchantUid, Object amount) {
        return pay(Map.of("imp_uid", impUid, "merchant_uid", merchantUid, "amount", amount));
    }

    /** The buyer pays by card, and the sandbox draws the imp_uid. */
    public String pay(String merchantUid, Object amount) {
        return pay(Map.of("merchant_uid", merchantUid, "amount", amount));
    }

    /**
     * Any {@code POST /sandbox/payments} body (see docs/sandbox.md), e.g. with {@code currency},
     * {@code pay_method}, {@code test_channel} or {@code fail}; returns the new payment's imp_uid.
     */
    public String pay(Map<String, Object> body) {
        JsonNode created = control("POST", "/payments", body, 201);
        return created.path("imp_uid").asText();
    }

    /** A virtual account issued and waiting for its deposit ({@code ready}). */
    public String issueVbank(String impUid, String merchantUid, Object amount) {
        return pay(Map.of("imp_uid", impUid, "merchant_uid", merchantUid, "amount", amount, "pay_method", "vbank"));
    }

    /** A declined card: a {@code failed} payment. */
    public String decline(String impUid, String merchantUid, Object amount) {
        return pay(Map.of("imp_uid", impUid, "merchant_uid", merchantUid, "amount", amount, "fail", true));
    }

    /**
     * Changes the pre-registration of {@code merchantUid} (if the shop made one) to another amount or
     * currency, straight at the sandbox and not recorded: PortOne opens no payment window for an amount
     * other than the registered one, so this is what a tampered payment needs PortOne to hold first.
     */
    public void registerAmount(String merchantUid, Object amount, String currency) {
        if (prepared(merchantUid) == null) {
            return;
        }
        Map<String, Object> registration = new LinkedHashMap<>(Map.of("merchant_uid", merchantUid, "amount", amount));
        if (currency != null) {
            registration.put("currency", currency);
        }
        JsonNode answer = v1("PUT", "/payments/prepare", registration);
        if (answer.path("code").asInt() != 0) {
            throw new IllegalStateException("the sandbox did not re-register " + merchantUid + ": " + answer);
        }
    }

    /** A card payment of another amount or currency (null: KRW) than the shop registered; see {@link #registerAmount}. */
    public String payTampered(String impUid, String merchantUid, Object amount, String currency) {
        registerAmount(merchantUid, amount, currency);
        Map<String, Object> body = new HashMap<>(Map.of("imp_uid", impUid, "merchant_uid", merchantUid, "amount", amount));
        if (currency != null) {
            body.put("currency", currency);
        }
        return pay(body);
    }

    public String payTampered(String impUid, String merchantUid, Object amount) {
        return payTampered(impUid, merchantUid, amount, null);
    }

    /** The buyer pays into the virtual account: it becomes {@code paid}. */
    public JsonNode deposit(String impUid) {
        return control("POST", "/payments/" + impUid + "/deposit", null, 200);
    }

    /** A {@code ready} payment fails (an expired virtual account, an abandoned window). */
    public JsonNode fail(String impUid) {
        return control("POST", "/payments/" + impUid + "/fail", null, 200);
    }

    /** A cancel in PortOne's console; {@code amount} null refunds the whole balance. */
    public JsonNode cancelInConsole(String impUid, Object amount) {
        Map<String, Object> body = new HashMap<>();
        if (amount != null) {
            body.put("amount", amount);
        }
        return control("POST", "/payments/" + impUid + "/cancel", body, 200);
    }

    /** The payment as the V1 API serves it now (after any cancels), or null when the sandbox has none. */
    public JsonNode payment(String impUid) {
        Answer a = send(HttpRequest.newBuilder(controlUrl("/payments/" + impUid)).GET());
        return a.status() == 404 ? null : a.body();
    }

    /** Every issued access token answers 401 from now on; the next getToken issues a new one. */
    public void expireAllTokens() {
        control("POST", "/tokens/expire", null, 200);
    }

    /** The amount registration of a merchant_uid ({@code POST /payments/prepare}), or null; not recorded. */
    public JsonNode prepared(String merchantUid) {
        JsonNode answer = v1("GET", "/payments/prepare/" + merchantUid, null);
        return answer.path("code").asInt() == 0 ? answer.get("response") : null;
    }

    // ---- faults and recordings (the proxy)

    /** Answers every request with {@code fault} until {@code fault(null)}. */
    public void fault(Fault fault) {
        proxy.fault(fault);
    }

    /** Answers one route (method and path as sent; a trailing {@code *} for a prefix) with {@code fault}; null forwards again. */
    public void fault(String method, String path, Fault fault) {
        proxy.fault(method, path, fault);
    }

    /** Answers the next {@code requests} requests with {@code fault}, then forwards again. */
    public void failNext(int requests, Fault fault) {
        proxy.failNext(requests, fault);
    }

    /** While on, every {@code POST /payments/cancel} is refused as a PG failure (HTTP 200, code 1). */
    public void refuseCancels(boolean refuse) {
        proxy.fault("POST", "/payments/cancel", refuse ? Fault.REFUSED : null);
    }

    /** While on, every {@code POST /payments/cancel} is carried out by the sandbox and then answered HTTP 500. */
    public void loseCancelAnswers(boolean lose) {
        proxy.fault("POST", "/payments/cancel", lose ? Fault.LOST_ANSWER : null);
    }

    /** Holds the next {@code POST /payments/cancel} before it reaches the sandbox or after the sandbox carried it out. */
    public void holdCancels(FaultProxy.Hold when) {
        proxy.hold("POST", "/payments/cancel", when);
    }

    /** True once a cancel is held, within {@code millis}. */
    public boolean awaitHeldCancel(long millis) throws InterruptedException {
        return proxy.awaitHeld(millis);
    }

    public void releaseCancels() {
        proxy.release();
    }

    /** Latency before every answer. */
    public void delayMillis(long millis) {
        proxy.latencyMillis(millis);
    }

    /**
     * {@code GET /payments/{impUid}} answers the sandbox's payment as {@code edit} changes it: what PortOne
     * might say and the sandbox cannot be made to (an unknown status, a missing field, a wrong type); null
     * stops it.
     */
    public void rewritePayment(String impUid, Consumer<ObjectNode> edit) {
        proxy.rewrite("GET", "/payments/" + impUid, edit);
    }

    /** The sandbox itself, for the sandbox's own tests (its V1 URL, key, webhook settings). */
    public PortOneSandbox sandbox() {
        return sandbox;
    }

    /** Where the control API is served, e.g. {@code controlUrl("/payments")}: {@code http://127.0.0.1:port/sandbox/payments}. */
    public URI controlUrl(String path) {
        return URI.create("http://127.0.0.1:" + control.port() + "/sandbox" + path);
    }

    /** The raw proxy, for rewrites of other routes or faults not wrapped here. */
    public FaultProxy proxy() {
        return proxy;
    }

    public List<Recorded> requests() {
        return proxy.requests();
    }

    public long count(String method, String path) {
        return proxy.count(method, path);
    }

    public List<Recorded> cancels() {
        return requests().stream().filter(r -> r.method().equals("POST") && r.path().equals("/payments/cancel")).toList();
    }

    @Override
    public void close() {
        proxy.close();
        sandbox.close();
        control.stop();
    }

    // ---- plumbing

    private record Answer(int status, JsonNode body) {}

    private JsonNode control(String method, String path, Object body, int expected) {
        Answer a = send(withJson(HttpRequest.newBuilder(controlUrl(path)), method, body));
        if (a.status() != expected) {
            throw new IllegalStateException("sandbox " + method + " " + path + " answered " + a.status() + " " + a.body());
        }
        return a.body();
    }

    /** A V1 call straight at the sandbox, past the proxy, with a token of the kit's own asking. */
    private JsonNode v1(String method, String path, Object body) {
        JsonNode token = send(withJson(HttpRequest.newBuilder(sandbox.apiUrl().resolve("/users/getToken")), "POST",
                Map.of("imp_key", apiKey(), "imp_secret", apiSecret()))).body();
        HttpRequest.Builder r = HttpRequest.newBuilder(sandbox.apiUrl().resolve(path))
                .header("Authorization", "Bearer " + token.path("response").path("access_token").asText());
        return send(withJson(r, method, body)).body();
    }

    private HttpRequest.Builder withJson(HttpRequest.Builder r, String method, Object body) {
        if (body == null) {
            return r.method(method, BodyPublishers.noBody());
        }
        try {
            return r.header("Content-Type", "application/json")
                    .method(method, BodyPublishers.ofString(json.writeValueAsString(body), UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Answer send(HttpRequest.Builder request) {
        try {
            var r = HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), BodyHandlers.ofString(UTF_8));
            return new Answer(r.statusCode(), r.body().isEmpty() ? json.missingNode() : json.readTree(r.body()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
