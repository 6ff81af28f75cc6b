package dev.portoneverify;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portoneverify.sandbox.PortOneSandbox;
import io.javalin.Javalin;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server and the {@code sandbox} command as processes, the way a developer starts them: what they
 * print, how they refuse, and the standalone simulator reached from outside.
 */
class SandboxStartupTest {
    private static final Pattern SANDBOX_AT = Pattern.compile("PortOne V1 sandbox at (http://127\\.0\\.0\\.1:\\d+)");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** {@code java -cp <test classpath> Main args} with a clean environment plus {@code env}. */
    private static Process start(Map<String, String> env, String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(name -> name.startsWith("PORTONE_") || name.startsWith("SANDBOX_")
                || name.startsWith("DATABASE_") || name.equals("PORT") || name.equals("ADMIN_TOKEN"));
        builder.environment().putAll(env);
        builder.redirectErrorStream(true);
        return builder.start();
    }

    /** Waits for the process to exit, and answers its non-blank output lines. */
    private static List<String> exited(Process process) throws Exception {
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "it should exit, not run");
        return new String(process.getInputStream().readAllBytes(), UTF_8).lines().filter(l -> !l.isBlank()).toList();
    }

    /** Reads output until the sandbox's start-up line, and answers its base URL; the lines read go to {@code seen}. */
    private static String sandboxUrl(Process process, List<String> seen) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            seen.add(line);
            Matcher m = SANDBOX_AT.matcher(line);
            if (m.find()) {
                return m.group(1);
            }
        }
        throw new AssertionError("no sandbox start-up line in:\n" + String.join("\n", seen));
    }

    private static Map<String, String> sandboxEnv(Path dir) {
        return new HashMap<>(Map.of("PORT", "0", "SANDBOX_PORT", "0", "RECONCILE_INTERVAL_SECONDS", "0",
                "DATABASE_URL", "jdbc:sqlite:" + dir.resolve("shop.db"),
                "SANDBOX_DATABASE", dir.resolve("sandbox.db").toString()));
    }

    private static HttpResponse<String> post(String url, String json) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json, UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString(UTF_8));
    }

    private static String getToken(String base) throws Exception {
        return post(base + "/users/getToken", "{\"imp_key\":\"" + PortOneSandbox.Settings.TEST_API_KEY
                + "\",\"imp_secret\":\"" + PortOneSandbox.Settings.TEST_API_SECRET + "\"}").body();
    }

    @Test
    void sandbox_mode_prints_the_base_url_and_the_documented_key_and_secret_that_any_client_can_use(@TempDir Path dir)
            throws Exception {
        Process server = start(sandboxEnv(dir));
        try {
            List<String> seen = new ArrayList<>();
            String base = sandboxUrl(server, seen);
            String line = seen.get(seen.size() - 1);
            assertTrue(line.contains("imp_key " + PortOneSandbox.Settings.TEST_API_KEY)
                    && line.contains("imp_secret " + PortOneSandbox.Settings.TEST_API_SECRET)
                    && line.contains(dir.resolve("sandbox.db").toString()), line);

            String token = getToken(base);
            assertTrue(token.contains("\"code\":0") && token.contains("access_token"), token);
        } finally {
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void a_secret_of_ones_own_is_never_printed(@TempDir Path dir) throws Exception {
        Map<String, String> env = sandboxEnv(dir);
        env.put("SANDBOX_API_KEY", "my-own-key");
        env.put("SANDBOX_API_SECRET", "my-own-secret-0123456789");
        Process server = start(env);
        try {
            List<String> seen = new ArrayList<>();
            String base = sandboxUrl(server, seen);
            assertTrue(seen.get(seen.size() - 1).contains("imp_key my-own-key"), seen.toString());
            assertTrue(seen.stream().noneMatch(l -> l.contains("my-own-secret")), seen.toString());
            String token = post(base + "/users/getToken", "{\"imp_key\":\"my-own-key\",\"imp_secret\":\"my-own-secret-0123456789\"}").body();
            assertTrue(token.contains("\"code\":0"), token);
            assertTrue(getToken(base).contains("Unauthorized"), "the documented secret no longer opens it");
        } finally {
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void a_port_in_use_is_one_clear_line_and_exit_code_2_in_every_mode(@TempDir Path dir) throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(0));
            String port = String.valueOf(taken.getLocalPort());

            Map<String, String> serverPortInSandbox = sandboxEnv(dir);
            serverPortInSandbox.put("PORT", port);
            Map<String, String> sandboxPortInSandbox = sandboxEnv(dir);
            sandboxPortInSandbox.put("SANDBOX_PORT", port);
            Map<String, String> serverPortInLive = new HashMap<>(Map.of("PORT", port, "PORTONE_API_KEY", "key",
                    "PORTONE_API_SECRET", "secret", "PORTONE_API_URL", "http://127.0.0.1:9", "RECONCILE_INTERVAL_SECONDS", "0",
                    "DATABASE_URL", "jdbc:sqlite:" + dir.resolve("live.db")));

            for (Map<String, String> env : List.of(serverPortInSandbox, sandboxPortInSandbox, serverPortInLive)) {
                assertOneLineAndExit2(start(env), port);
            }
            assertOneLineAndExit2(start(sandboxPortInSandbox, "sandbox"), port);
        }
    }

    private static void assertOneLineAndExit2(Process process, String port) throws Exception {
        List<String> lines = exited(process);
        assertEquals(2, process.exitValue(), String.join("\n", lines));
        assertEquals(1, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).startsWith("portone-verify cannot start: ") && lines.get(0).contains(port)
                && lines.get(0).contains("already in use"), lines.get(0));
    }

    @Test
    void the_sandbox_command_runs_the_simulator_alone_with_its_control_api_and_webhooks_to_the_given_url(@TempDir Path dir)
            throws Exception {
        BlockingQueue<String> webhooks = new LinkedBlockingQueue<>();
        Javalin otherShop = Javalin.create(c -> {
            c.startup.showJavalinBanner = false;
            c.routes.post("/hooks/portone", ctx -> webhooks.add(ctx.body()));
        }).start("127.0.0.1", 0);
        Process sandbox = start(Map.of("SANDBOX_PORT", "0", "SANDBOX_DATABASE", dir.resolve("alone.db").toString(),
                // a live shop's environment does not stop the simulator from starting
                "PORTONE_API_KEY", "live-key", "PORTONE_API_SECRET", "live-secret"),
                "sandbox", "--webhook-url", "http://127.0.0.1:" + otherShop.port() + "/hooks/portone");
        try {
            String base = sandboxUrl(sandbox, new ArrayList<>());

            HttpResponse<String> paid = post(base + "/sandbox/payments", "{\"merchant_uid\":\"other_1\",\"amount\":4300}");
            assertEquals(201, paid.statusCode(), paid.body());
            String webhook = webhooks.poll(10, TimeUnit.SECONDS);
            assertTrue(webhook != null && webhook.contains("\"merchant_uid\":\"other_1\"") && webhook.contains("\"status\":\"paid\""),
                    String.valueOf(webhook));
            assertTrue(getToken(base).contains("access_token"));
            HttpResponse<String> refused = post(base + "/sandbox/payments", "{\"merchant_uid\":\"other_2\",\"amount\":\"lots\"}");
            assertEquals(400, refused.statusCode());
            assertTrue(refused.body().contains("\"status\":\"invalid_request\"") && refused.body().contains("amount"),
                    "the control API answers {status, message} there too: " + refused.body());
        } finally {
            sandbox.destroy();
            sandbox.waitFor(10, TimeUnit.SECONDS);
            otherShop.stop();
        }
    }

    @Test
    void the_sandbox_command_takes_only_a_webhook_url() throws Exception {
        Process wrong = start(Map.of("SANDBOX_PORT", "0", "SANDBOX_DATABASE", "memory"), "sandbox", "--port", "80");
        List<String> lines = exited(wrong);
        assertEquals(2, wrong.exitValue());
        assertEquals(List.of("usage: java -jar portone-verify.jar sandbox [--webhook-url <url>]"), lines);
    }
}
