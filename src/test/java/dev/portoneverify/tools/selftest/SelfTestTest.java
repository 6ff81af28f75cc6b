package dev.portoneverify.tools.selftest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portoneverify.Main;
import dev.portoneverify.testsupport.ServerProcess;
import dev.portoneverify.testsupport.SimulatedPortOne;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SelfTestTest {

    @Test
    void the_self_test_walks_each_kind_of_payment_through_a_throwaway_server_and_passes() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        int exitCode = SelfTest.run(new PrintStream(printed, true, StandardCharsets.UTF_8), Main::startOnLoopback);

        List<String> lines = printed.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(0, exitCode, String.join("\n", lines));
        assertTrue(lines.containsAll(List.of("ok  card payment verified", "ok  virtual account issued",
                "ok  virtual account order paid by webhook", "ok  forged amount refused", "ok  declined card")),
                String.join("\n", lines));
        assertEquals("self-test passed", lines.get(lines.size() - 1));
    }

    @Test
    void the_self_test_ignores_the_shops_settings_so_it_never_reaches_portone_or_the_shops_database(@TempDir Path dir)
            throws Exception {
        try (SimulatedPortOne portone = SimulatedPortOne.start()) {
            Path shopDatabase = dir.resolve("shop.db");
            ServerProcess selfTest = ServerProcess.classpath(Map.of("PORTONE_MODE", "live",
                    "PORTONE_API_KEY", "live-key", "PORTONE_API_SECRET", "live-secret",
                    "PORTONE_API_URL", portone.baseUrl().toString(), "DATABASE_URL", "jdbc:sqlite:" + shopDatabase),
                    List.of(), "self-test");

            int exit = selfTest.awaitExit(60);
            String output = String.join("\n", selfTest.output());

            assertEquals(0, exit, output);
            assertTrue(output.contains("self-test passed"), output);
            assertEquals(List.of(), portone.requests());
            assertFalse(Files.exists(shopDatabase));
        }
    }
}
