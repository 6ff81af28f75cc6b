package dev.portoneverify.tools.selftest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portoneverify.web.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code java -jar portone-verify.jar self-test}: starts a throwaway server in sandbox mode, on a
 * temporary SQLite file and loopback ports chosen by the system, and walks a card payment, a virtual
 * account, a forged amount and a declined card through the HTTP API a shop's browser and PortOne use.
 * It ignores the environment, so it never reaches PortOne, moves no money and touches no shop data.
 *
 * <p>Two uses: checking that a jar works on a machine before a shop relies on it, and giving the JVM a
 * run that loads what serving payments loads, to record a class-data archive from
 * ({@code -XX:ArchiveClassesAtExit}), which takes about a third off start-up (issue 5). {@code mvn package} does
 * the latter.
 */
public final class SelfTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final ObjectMapper json = Json.newMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final PrintStream out;
    /** The started server's address, e.g. {@code http://127.0.0.1:41234}. */
    private final String base;

    /** Starts a server from an environment, on loopback and a port the system chooses. */
    @FunctionalInterface
    public interface Launcher {
        Started start(Map<String, String> environment);
    }

    /** A server the self-test started; {@link #close()} stops it. */
    public interface Started extends AutoCloseable {
        int port();

        @Override
        void close();
    }

    private SelfTest(PrintStream out, String base) {
        this.out = out;
        this.base = base;
    }

    /** Returns the process exit code: 0 when every step answered as it should, 1 otherwise. */
    public static int run(PrintStream out, Launcher launcher) {
        Path dir;
        try {
            dir = Files.createTempDirectory("portone-verify-self-test");
        } catch (IOException e) {
            out.println("self-test FAILED: cannot create a temporary folder: " + e.getMessage());
            return 1;
        }
        try {
            return runIn(dir, out, launcher);
        } catch (RuntimeException e) {
            // anything else that went wrong (the server not starting, an answer without a field it
            // must have) is a failed self-test too, said in one line
            out.println("self-test FAILED: " + e);
            return 1;
        } finally {
            deleteQuietly(dir);
        }
    }

    private static int runIn(Path dir, PrintStream out, Launcher launcher) {
        try (Started server = launcher.start(Map.of(
                "PORT", "0",
                "PORTONE_MODE", "sandbox",
                "DATABASE_URL", "jdbc:sqlite:" + dir.resolve("self-test.db"),
                // beside a running server: neither its sandbox's port nor its sandbox's state
                "SANDBOX_PORT", "0",
                "SANDBOX_DATABASE", dir.resolve("self-test-sandbox.db").toString(),
                "RECONCILE_INTERVAL_SECONDS", "0"))) {
            new SelfTest(out, "http://127.0.0.1:" + server.port()).walk();
            out.println("self-test passed");
            return 0;
        } catch (StepFailed e) {
            out.println("self-test FAILED: " + e.getMessage());
            return 1;
        }
    }

    private void walk() {
        expect(call("GET", "/health", null), 200, "status", "ok", "health");
        JsonNode buyer = expect(call("POST", "/users", "{\"name\":\"셀프테스트\",\"phone\":\"010-0000-0000\"}"),
                201, null, null, "create a buyer");
        long userId = buyer.get("id").asLong();
        buyerToken = buyer.get("token").asText();

        String card = newOrder(userId, 15000);
        String impUid = pay(card, 15000, "card", false);
        expect(complete(impUid, card), 200, "status", "success", "card payment verified");
        expect(call("GET", "/orders/" + card, null), 200, "status", "paid", "card order paid");

        String vbank = newOrder(userId, 89000);
        String account = pay(vbank, 89000, "vbank", false);
        expect(complete(account, vbank), 200, "status", "vbankIssued", "virtual account issued");
        expect(call("POST", "/sandbox/payments/" + account + "/deposit", null), 200, "status", "paid", "deposit");
        expect(orderOnceSettled(vbank, "paid"), 200, "status", "paid", "virtual account order paid by webhook");

        String forged = newOrder(userId, 15000);
        expect(complete(pay(forged, 100, "card", false), forged), 400, "status", "forgery", "forged amount refused");

        String declined = newOrder(userId, 15000);
        expect(complete(pay(declined, 15000, "card", true), declined), 402, "status", "failed", "declined card");

        expect(call("GET", "/metrics", null), 200, null, null, "metrics");
        expect(call("GET", "/", null), 200, null, null, "checkout page");
    }

    private String newOrder(long userId, int amount) {
        String body = "{\"user_id\":%d,\"name\":\"self-test\",\"amount\":%d}".formatted(userId, amount);
        return expect(call("POST", "/orders", body), 201, "status", "pending", "create an order of " + amount + " KRW")
                .get("merchant_uid").asText();
    }

    /** The sandbox posts webhooks from its own thread, as PortOne does, so the order changes a moment later. */
    private Reply orderOnceSettled(String merchantUid, String status) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        Reply reply = call("GET", "/orders/" + merchantUid, null);
        while (reply.status() == 200 && !status.equals(parse(reply).path("status").asText())
                && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StepFailed("interrupted while waiting for the webhook");
            }
            reply = call("GET", "/orders/" + merchantUid, null);
        }
        return reply;
    }

    private String pay(String merchantUid, int amount, String payMethod, boolean fail) {
        String body = "{\"merchant_uid\":\"%s\",\"amount\":%d,\"pay_method\":\"%s\",\"fail\":%s}"
                .formatted(merchantUid, amount, payMethod, fail);
        return expect(call("POST", "/sandbox/payments", body), 201, null, null,
                "pay " + amount + " KRW by " + payMethod + (fail ? " (declined)" : "") + " in the sandbox")
                .get("imp_uid").asText();
    }

    private Reply complete(String impUid, String merchantUid) {
        return call("POST", "/payments/complete",
                "{\"imp_uid\":\"%s\",\"merchant_uid\":\"%s\"}".formatted(impUid, merchantUid));
    }

    private record Reply(String request, int status, String body) {}

    /** The buyer's token from POST /users: orders for the buyer carry it, as the checkout page's do. */
    private String buyerToken = "none";

    private Reply call(String method, String path, String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + buyerToken)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Reply(method + " " + path, response.statusCode(), response.body());
        } catch (IOException e) {
            throw new StepFailed(method + " " + path + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StepFailed(method + " " + path + ": interrupted");
        }
    }

    /**
     * Checks the HTTP status and, when {@code field} is given, one field of the JSON answer; prints the
     * step; returns the answer as JSON (an empty object for the HTML page).
     */
    private JsonNode expect(Reply reply, int status, String field, String value, String step) {
        if (reply.status() != status) {
            throw new StepFailed("%s: %s answered %d, expected %d: %s"
                    .formatted(step, reply.request(), reply.status(), status, reply.body()));
        }
        JsonNode answer = field == null && !reply.body().startsWith("{") ? json.createObjectNode() : parse(reply);
        if (field != null && !value.equals(answer.path(field).asText())) {
            throw new StepFailed("%s: %s answered %s %s, expected %s: %s"
                    .formatted(step, reply.request(), field, answer.path(field).asText(), value, reply.body()));
        }
        out.println("ok  " + step);
        return answer;
    }

    private JsonNode parse(Reply reply) {
        try {
            return json.readTree(reply.body());
        } catch (IOException e) {
            throw new StepFailed(reply.request() + " answered with no JSON: " + reply.body());
        }
    }

    private static final class StepFailed extends RuntimeException {
        StepFailed(String message) {
            super(message);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a leftover temporary folder is harmless; the result of the self-test is what matters
        }
    }
}
