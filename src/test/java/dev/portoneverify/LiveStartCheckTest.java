package dev.portoneverify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.portoneverify.testsupport.SimulatedPortOne;
import dev.portoneverify.testsupport.TestDatabase;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A live start asks PortOne once whether the keys work, in the real composition root (a child JVM). */
class LiveStartCheckTest {
    @BeforeEach
    void onceIsEnough() {
        assumeFalse(TestDatabase.postgresqlRun(), "no database involved: the SQLite pass runs it");
    }

    @TempDir
    Path dir;

    @Test
    void credentials_portone_rejects_stop_start_up_with_one_line_before_the_database_is_touched() throws Exception {
        try (SimulatedPortOne portone = SimulatedPortOne.start()) {
            Path database = dir.resolve("shop.db");
            Child child = Child.start(env(portone, database, "wrong-secret-5e8a", "imp12345678"));
            assertTrue(child.process.waitFor(30, TimeUnit.SECONDS), "the server should exit, not start");
            child.reader.join(5_000);

            assertEquals(2, child.process.exitValue());
            assertEquals(1, child.lines.size(), String.join("\n", child.lines));
            String line = child.lines.get(0);
            assertTrue(line.startsWith("portone-verify cannot start: PortOne rejected PORTONE_API_KEY / PORTONE_API_SECRET"), line);
            assertFalse(line.contains("wrong-secret-5e8a"), "the secret is never printed: " + line);
            assertFalse(Files.exists(database), "nothing was created");
            assertEquals(1, portone.requests().size(), "one token request");
        }
    }

    @Test
    void an_unreachable_portone_starts_the_server_with_a_warning_that_says_what_will_fail() throws Exception {
        Map<String, String> env = new java.util.HashMap<>(Map.of("PORT", "0", "DATABASE_URL", "jdbc:sqlite:" + dir.resolve("shop.db"),
                "PORTONE_API_URL", "http://127.0.0.1:1", "PORTONE_API_KEY", "key", "PORTONE_API_SECRET", "secret",
                "PORTONE_MERCHANT_CODE", "imp12345678", "PORTONE_TIMEOUT_MS", "2000", "RECONCILE_INTERVAL_SECONDS", "0"));
        Child child = Child.start(env);
        try {
            child.awaitListening();
            String warning = child.lines.stream().filter(l -> l.contains("WARN")).findFirst().orElse("(no warning)");
            assertTrue(warning.contains("PortOne could not be asked for an access token at start-up"), warning);
            assertTrue(warning.contains("payments cannot be verified (503 portone_unavailable)"), warning);
            assertTrue(warning.contains("GET /health reports not ready"), warning);
        } finally {
            child.stop();
        }
    }

    @Test
    void a_missing_merchant_code_is_a_warning_naming_the_checkout_page() throws Exception {
        try (SimulatedPortOne portone = SimulatedPortOne.start()) {
            Child without = Child.start(env(portone, dir.resolve("a.db"), portone.apiSecret(), null));
            try {
                without.awaitListening();
                assertTrue(without.lines.stream().anyMatch(l -> l.contains("WARN")
                        && l.contains("PORTONE_MERCHANT_CODE is not set: the checkout page")), String.join("\n", without.lines));
                assertEquals(1, portone.requests().stream().filter(r -> r.path().equals("/users/getToken")).count(),
                        "one token request at start-up");
            } finally {
                without.stop();
            }
            Child with = Child.start(env(portone, dir.resolve("b.db"), portone.apiSecret(), "imp12345678"));
            try {
                with.awaitListening();
                assertFalse(with.lines.stream().anyMatch(l -> l.contains("WARN")), String.join("\n", with.lines));
            } finally {
                with.stop();
            }
        }
    }

    private static Map<String, String> env(SimulatedPortOne portone, Path database, String secret, String merchantCode) {
        Map<String, String> env = new java.util.HashMap<>(Map.of("PORT", "0", "DATABASE_URL", "jdbc:sqlite:" + database,
                "PORTONE_API_URL", portone.baseUrl().toString(), "PORTONE_API_KEY", portone.apiKey(),
                "PORTONE_API_SECRET", secret, "RECONCILE_INTERVAL_SECONDS", "0"));
        if (merchantCode != null) {
            env.put("PORTONE_MERCHANT_CODE", merchantCode);
        }
        return env;
    }

    /** {@code java dev.portoneverify.Main} on the test class path, with only {@code env} as its settings. */
    private static final class Child {
        final Process process;
        final List<String> lines = new CopyOnWriteArrayList<>();
        final Thread reader;

        private Child(Process process) {
            this.process = process;
            this.reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = in.readLine()) != null; ) {
                        if (!line.isBlank()) {
                            lines.add(line);
                        }
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
            }, "child-output");
            reader.setDaemon(true);
            reader.start();
        }

        static Child start(Map<String, String> env) throws IOException {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName())
                    .redirectErrorStream(true);
            builder.environment().keySet().removeIf(name -> name.matches(
                    "PORT|DATABASE_.*|PORTONE_.*|SMS_.*|SOLAPI_.*|ADMIN_TOKEN|RECONCILE_.*|WEBHOOK_.*|PREPARE_AMOUNTS|CONFIRM_PROCESS|SANDBOX.*"));
            builder.environment().putAll(env);
            return new Child(builder.start());
        }

        void awaitListening() throws InterruptedException {
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (lines.stream().noneMatch(l -> l.contains("listening on http://localhost:"))) {
                if (System.nanoTime() > deadline || !process.isAlive()) {
                    throw new AssertionError("the server did not start:\n" + String.join("\n", lines));
                }
                Thread.sleep(20);
            }
        }

        void stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
