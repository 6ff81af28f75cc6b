package dev.portoneverify.robustness;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portoneverify.db.DatabaseSettings;
import dev.portoneverify.testsupport.FakeSolapi;
import dev.portoneverify.testsupport.FaultProxy;
import dev.portoneverify.testsupport.FaultProxy.Fault;
import dev.portoneverify.testsupport.ServerProcess;
import dev.portoneverify.testsupport.SimulatedPortOne;
import dev.portoneverify.testsupport.TestDatabase;
import dev.portoneverify.testsupport.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Runs the whole life of a shop's payments in a child JVM (card payment, virtual account with SMS and
 * deposit, a forgery refunded, PortOne down or unreadable, a token expiring, credentials rejected,
 * and the reconcile command run with a secret PortOne refuses), keeps every line the server logs
 * (at DEBUG for its own classes, stricter than production) and every answer it gives, and then checks
 * that no secret, no access token and no full phone number is among them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecretsTest {
    private static final String PHONE = "010-9876-5432";
    private static final String MASKED_PHONE = "*******5432";
    private static final String WRONG_SECRET = "wrong-secret-9d8c7b6a5f3e";
    private static final String DATABASE_PASSWORD = "db-password-4e5f6a7b8c";
    private static final String DATABASE_URL_PASSWORD = "db-url-password-1a2b3c4d";
    private static final String ADMIN_TOKEN = "admin-token-7c6b5a4f3e2d1c0b9a8f";
    private static final String METRICS_TOKEN = "metrics-token-3e2d1c0b9a";
    /** Korean mobile and Seoul numbers in any common spelling. */
    private static final Pattern PHONE_NUMBER =
            Pattern.compile("(?<![0-9A-Za-z_])0[1-9][0-9]?[- .]?[0-9]{3,4}[- .]?[0-9]{4}(?![0-9A-Za-z])");
    /** Short enough that "imp_5\n" + this stays within imp_uid's 64 characters. */
    private static final String FORGED_LINE = "2026-01-01T00:00:00Z WARN PaymentSync - refunded";
    /** DEBUG for our classes; a quick-starting JVM, since the children live for seconds. */
    private static final List<String> DEBUG = List.of("-Dorg.slf4j.simpleLogger.log.dev.portoneverify=debug",
            "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private SimulatedPortOne portone;
    private Path dir;
    private TestDatabase database;

    /** Every line the three server processes wrote. */
    private final List<String> logs = new ArrayList<>();
    /** Every answer the servers gave: status line, headers and body. */
    private final List<String> answers = new ArrayList<>();
    /** What each step of the flow answered, to prove the flow went where the leak checks need it to. */
    private final Map<String, String> steps = new LinkedHashMap<>();
    private int reconcileExit = -1;

    private record Answer(int status, JsonNode body) {
        String status(String field) {
            return status + " " + body.path(field).asText();
        }
    }

    @BeforeAll
    void runTheWholeFlow() throws Exception {
        portone = SimulatedPortOne.start();
        dir = Files.createTempDirectory("portone-verify-secrets");
        database = TestDatabase.create(dir);
        Map<String, String> env = env(portone.apiSecret());
        ServerProcess server = ServerProcess.classpath(env, DEBUG).awaitListening();
        try {
            flow(server);
        } catch (RuntimeException | AssertionError e) {
            throw new AssertionError("the flow broke off; the server said:\n" + String.join("\n", server.output()), e);
        } finally {
            server.stop();
            logs.addAll(server.output());
        }

        // the one-shot reconciliation command on the same database, with a secret PortOne refuses: every
        // open order fails, and each failure is logged with PortOne's answer
        // and with Solapi as the SMS provider, so that its secret passes through the configuration too
        try (FakeSolapi solapi = FakeSolapi.start()) {
            Map<String, String> withSolapi = env(WRONG_SECRET);
            withSolapi.putAll(Map.of("SMS_PROVIDER", "solapi", "SOLAPI_API_URL", solapi.baseUrl().toString(),
                    "SOLAPI_API_KEY", FakeSolapi.API_KEY, "SOLAPI_API_SECRET", FakeSolapi.API_SECRET,
                    "SMS_SENDER_NUMBER", FakeSolapi.SENDER));
            ServerProcess reconcile = ServerProcess.classpath(withSolapi, DEBUG, "reconcile");
            reconcileExit = reconcile.awaitExit(60);
            logs.addAll(reconcile.output());
        }
    }

    private void flow(ServerProcess server) throws InterruptedException {
        Answer buyer = post(server, "/users", Map.of("name", "홍길동", "phone", PHONE));
        long userId = buyer.body().path("id").asLong();
        buyerToken = buyer.body().path("token").asText();

        // a card payment, paid
        String card = order(server, userId, 15000);
        portone.pay("imp_510000000001", card, 15000);
        steps.put("card paid", complete(server, "imp_510000000001", card).status("status"));
        steps.put("order view", get(server, "/orders/" + card).status("status"));

        // a virtual account: issued (one SMS), then the deposit arrives by webhook, JSON and form
        String vbank = order(server, userId, 20000);
        portone.issueVbank("imp_510000000002", vbank, 20000);
        steps.put("vbank issued", complete(server, "imp_510000000002", vbank).status("status"));
        steps.put("sms logged", Boolean.toString(server.awaitLine(line -> line.contains("SMS to"), 10_000)));
        portone.deposit("imp_510000000002");
        steps.put("deposit webhook", post(server, "/portone-webhook",
                Map.of("imp_uid", "imp_510000000002", "merchant_uid", vbank, "status", "paid")).status("status"));
        steps.put("deposit form webhook", postForm(server, "/portone-webhook",
                Map.of("imp_uid", "imp_510000000002", "merchant_uid", vbank, "status", "paid")).status("status"));
        steps.put("user view", get(server, "/users/" + userId).status() + "");

        // a forgery: 100 won paid for a 30,000 won order, refunded in full
        String forged = order(server, userId, 30000);
        portone.payTampered("imp_510000000003", forged, 100, null);
        steps.put("forgery", complete(server, "imp_510000000003", forged).status("status"));
        steps.put("refunds", Integer.toString(portone.cancels().size()));

        // PortOne down, broken, slow
        portone.fault(Fault.HTTP_503);
        steps.put("outage 503", complete(server, "imp_510000000001", card).status("status"));
        portone.fault(Fault.HTTP_500);
        steps.put("outage 500 webhook", post(server, "/portone-webhook", Map.of("imp_uid", "imp_510000000001")).status("status"));
        portone.fault(Fault.NOT_JSON);
        steps.put("unreadable", complete(server, "imp_510000000001", card).status("status"));
        portone.fault(null);

        // the access token dies: one 401, a fresh token, the call succeeds
        long tokensBefore = portone.count("POST", "/users/getToken");
        portone.expireAllTokens();
        steps.put("token refresh", complete(server, "imp_510000000001", card).status("status"));
        steps.put("token fetched again", Boolean.toString(portone.count("POST", "/users/getToken") > tokensBefore));

        // PortOne rejects every token
        portone.fault(Fault.UNAUTHORIZED);
        steps.put("rejected credentials", complete(server, "imp_510000000001", card).status("status"));
        steps.put("rejected credentials webhook", post(server, "/portone-webhook", Map.of("imp_uid", "imp_510000000001")).status("status"));
        portone.fault(null);

        // pre-registration failing, a Confirm Process call, an unknown payment
        portone.fault(Fault.HTTP_503);
        steps.put("prepare failed", post(server, "/orders", Map.of("user_id", userId, "name", "책", "amount", 9900)).status("status"));
        portone.fault(null);
        String confirmable = order(server, userId, 12000);
        steps.put("confirm", post(server, "/payments/confirm",
                Map.of("imp_uid", "imp_510000000004", "merchant_uid", confirmable, "amount", 12000)).status("status"));
        steps.put("unknown payment", post(server, "/portone-webhook", Map.of("imp_uid", "imp_519999999999")).status("status"));

        // a webhook whose imp_uid carries a line break and a fake log line after it
        steps.put("forged log line", post(server, "/portone-webhook", Map.of("imp_uid", "imp_5\n" + FORGED_LINE)).status("status"));
    }

    @AfterAll
    void stop() throws IOException {
        if (portone != null) {
            portone.close();
        }
        if (database != null) {
            database.close();
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    // ---------------------------------------------------------------- the checks

    @Test
    void the_flow_reached_every_outcome_the_leak_checks_rely_on() {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("card paid", "200 success");
        expected.put("order view", "200 paid");
        expected.put("vbank issued", "200 vbankIssued");
        expected.put("sms logged", "true");
        expected.put("deposit webhook", "200 success");
        expected.put("deposit form webhook", "200 success");
        expected.put("user view", "200");
        expected.put("forgery", "400 forgery");
        expected.put("refunds", "1");
        expected.put("outage 503", "503 portone_unavailable");
        expected.put("outage 500 webhook", "503 portone_unavailable");
        expected.put("unreadable", "502 portone_error");
        expected.put("token refresh", "200 success");
        expected.put("token fetched again", "true");
        expected.put("rejected credentials", "502 portone_auth");
        expected.put("rejected credentials webhook", "502 portone_auth");
        expected.put("prepare failed", "502 prepare_failed");
        expected.put("confirm", "200 confirmed");
        expected.put("unknown payment", "200 unknown_payment");
        expected.put("forged log line", "400 invalid_request");
        assertEquals(expected, steps);
        assertEquals(1, reconcileExit, "the reconcile command with a refused secret must report failures");
        assertTrue(logs.stream().anyMatch(line -> line.contains("getToken") && line.contains("401")),
                "the refused secret left no trace in the reconcile command's log");
        assertTrue(tokens().size() >= 2, "the flow should have used at least two access tokens: " + tokens());
        assertTrue(logs.size() > 20, "too few log lines captured to mean anything:\n" + String.join("\n", logs));
    }

    @Test
    void the_api_secret_appears_in_no_log_line_and_no_answer() {
        for (String secret : List.of(portone.apiSecret(), WRONG_SECRET)) {
            assertAbsent(secret, "the API secret");
        }
        // the request body or header that carried them, in any spelling, never gets logged either
        for (String carrier : List.of("imp_secret", "Bearer ", "Authorization")) {
            assertAbsent(carrier, "what carries a secret");
        }
    }

    @Test
    void no_token_or_sms_provider_secret_appears_in_any_log_line_or_answer() {
        assertAbsent(ADMIN_TOKEN, "ADMIN_TOKEN");
        assertAbsent(METRICS_TOKEN, "METRICS_TOKEN");
        assertAbsent(FakeSolapi.API_SECRET, "SOLAPI_API_SECRET");
    }

    @Test
    void no_database_password_appears_in_any_log_line_or_answer() {
        assertAbsent(DATABASE_PASSWORD, "DATABASE_PASSWORD");
        assertAbsent(DATABASE_URL_PASSWORD, "the password in DATABASE_URL");
    }

    @Test
    void no_access_token_appears_in_any_log_line_or_answer() {
        for (String token : tokens()) {
            assertAbsent(token, "an access token");
            // a prefix is enough to be a leak; 16 hex digits do not occur by chance
            assertAbsent(token.substring(0, 16), "the start of an access token");
        }
    }

    @Test
    void phone_numbers_appear_in_logs_only_masked() {
        assertTrue(logs.stream().anyMatch(line -> line.contains("SMS to " + MASKED_PHONE)),
                "the SMS line with the masked number is missing:\n" + String.join("\n", logs));
        List<String> withNumbers = logs.stream().filter(line -> PHONE_NUMBER.matcher(line).find()).toList();
        assertEquals(List.of(), withNumbers, "log lines with an unmasked phone number");
        for (String spelling : List.of(PHONE, "01098765432", "9876-5432", "98765432")) {
            assertAbsent(logs, spelling, "the buyer's phone number", "log");
        }
    }

    @Test
    void a_line_break_in_an_imp_uid_cannot_forge_a_log_line() {
        List<String> forged = logs.stream().filter(line -> line.startsWith(FORGED_LINE)).toList();
        assertEquals(List.of(), forged, "a request wrote its own log line");
    }

    private void assertAbsent(String needle, String what) {
        assertAbsent(logs, needle, what, "log");
        assertAbsent(answers, needle, what, "HTTP answer");
    }

    private static void assertAbsent(List<String> haystack, String needle, String what, String where) {
        List<String> found = haystack.stream().filter(s -> s.contains(needle)).toList();
        assertFalse(!found.isEmpty(), what + " appears in " + found.size() + " " + where + "(s), e.g.:\n"
                + found.stream().limit(3).map(RawHttp::abbreviate).collect(Collectors.joining("\n")));
    }

    /** Every access token PortOne issued that the servers presented, read from the recorded requests. */
    private Set<String> tokens() {
        Set<String> tokens = new LinkedHashSet<>();
        for (FaultProxy.Recorded r : portone.requests()) {
            String authorization = r.headers().get("Authorization");
            if (authorization != null) {
                tokens.add(authorization.replaceFirst("^(?i)bearer\\s+", "").trim());
            }
            String header = r.headers().get("X-ImpTokenHeader");
            if (header != null) {
                tokens.add(header.trim());
            }
        }
        tokens.removeIf(t -> t.length() < 16);
        return tokens;
    }

    // ---------------------------------------------------------------- talking to the child

    private Map<String, String> env(String secret) {
        // PostgreSQL (in that run of the suite) takes the passwords and ignores them: the test server trusts
        String url = database.url() + (database.settings().dialect() == DatabaseSettings.Dialect.POSTGRESQL
                ? "&password=" + DATABASE_URL_PASSWORD : "");
        Map<String, String> env = new HashMap<>(TestServer.baseEnv(portone, url));
        env.put("DATABASE_PASSWORD", DATABASE_PASSWORD);
        env.put("ADMIN_TOKEN", ADMIN_TOKEN);
        env.put("METRICS_TOKEN", METRICS_TOKEN);
        env.put("PORTONE_API_SECRET", secret);
        // no background pass at a random moment; the reconcile command covers the reconciler's logging
        env.put("RECONCILE_INTERVAL_SECONDS", "0");
        // TestServer's 1 s is too tight for a cold child JVM on a busy machine ("timed out connecting")
        env.put("PORTONE_TIMEOUT_MS", "5000");
        return env;
    }

    private String order(ServerProcess server, long userId, long amount) {
        Answer answer = post(server, "/orders", Map.of("user_id", userId, "name", "노트북 거치대", "amount", amount));
        assertEquals(201, answer.status(), "POST /orders: " + answer.body());
        return answer.body().path("merchant_uid").asText();
    }

    private Answer complete(ServerProcess server, String impUid, String merchantUid) {
        return post(server, "/payments/complete", Map.of("imp_uid", impUid, "merchant_uid", merchantUid));
    }

    private Answer post(ServerProcess server, String path, Map<String, Object> body) {
        try {
            return send(HttpRequest.newBuilder(URI.create(server.url(path)))
                    .header("Content-Type", "application/json")
                    .POST(BodyPublishers.ofString(json.writeValueAsString(body), UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Answer postForm(ServerProcess server, String path, Map<String, String> fields) {
        String form = fields.entrySet().stream()
                .map(f -> URLEncoder.encode(f.getKey(), UTF_8) + "=" + URLEncoder.encode(f.getValue(), UTF_8))
                .collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(URI.create(server.url(path)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(BodyPublishers.ofString(form, UTF_8)));
    }

    private Answer get(ServerProcess server, String path) {
        return send(HttpRequest.newBuilder(URI.create(server.url(path))).GET());
    }

    /** The buyer's token from POST /users: every later request carries it, as the checkout page's do. */
    private String buyerToken;

    private Answer send(HttpRequest.Builder request) {
        if (buyerToken != null) {
            request.header("Authorization", "Bearer " + buyerToken);
        }
        try {
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(20)).build(), BodyHandlers.ofString(UTF_8));
            answers.add(response.statusCode() + " " + response.headers().map() + "\n" + response.body());
            JsonNode body = response.body().isEmpty() ? json.nullNode() : json.readTree(response.body());
            return new Answer(response.statusCode(), body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
