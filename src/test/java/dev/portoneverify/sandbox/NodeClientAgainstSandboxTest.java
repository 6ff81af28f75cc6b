package dev.portoneverify.sandbox;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A public PortOne V1 client from npm ({@code iamporter}, pinned in src/test/node/package-lock.json) against
 * the sandbox, as a Node back office would use it: token, lookups, list-by-status, prepare and cancel, each
 * answer checked against the V1 OpenAPI document's required fields and types (src/test/node). Needs
 * {@code npm ci --prefix src/test/node}; without it the test is skipped, unless REQUIRE_NODE_CLIENT_TESTS=true.
 */
class NodeClientAgainstSandboxTest {
    private static final Path NODE_DIR = Path.of("src/test/node");

    @Test
    void the_public_iamporter_client_gets_a_token_looks_up_lists_prepares_and_cancels_with_documented_answers()
            throws Exception {
        if (!Files.isDirectory(NODE_DIR.resolve("node_modules/iamporter")) && !"true".equals(System.getenv("REQUIRE_NODE_CLIENT_TESTS"))) {
            System.out.println("SKIPPED Node client test: run `npm ci --prefix src/test/node` to run it");
            Assumptions.abort("src/test/node/node_modules is not installed");
        }
        // the standalone sandbox's shape: the control API beside the V1 API, which is all the script knows
        try (PortOneSandbox sandbox = PortOneSandbox.start(PortOneSandbox.Settings.inMemory(0).servingControl(),
                Clock.systemUTC())) {
            ProcessBuilder node = new ProcessBuilder("node", "v1-client-check.js").directory(NODE_DIR.toFile())
                    .redirectErrorStream(true);
            node.environment().put("SANDBOX_URL", sandbox.apiUrl().toString());
            node.environment().put("SANDBOX_API_KEY", sandbox.apiKey());
            node.environment().put("SANDBOX_API_SECRET", sandbox.apiSecret());
            Process process = node.start();
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the Node client should finish");
            List<String> lines = new String(process.getInputStream().readAllBytes(), UTF_8).lines().toList();
            String output = String.join("\n", lines);

            assertEquals(0, process.exitValue(), output);
            assertTrue(lines.stream().noneMatch(l -> l.startsWith("not ok")), output);
            assertEquals("all 9 checks passed", lines.get(lines.size() - 1), output);
        }
    }
}
