package dev.portoneverify.robustness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.portoneverify.testsupport.TcpProxy;
import dev.portoneverify.testsupport.TestDatabase;
import dev.portoneverify.testsupport.TestServer;
import dev.portoneverify.testsupport.TestServer.Answer;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** PostgreSQL goes away while the server runs; a SQLite file cannot, so this runs in the PostgreSQL pass. */
class DatabaseOutageTest {

    @Test
    void while_the_database_is_unreachable_reports_get_a_503_in_bounded_time_and_are_taken_again_after() {
        assumeTrue(TestDatabase.postgresqlRun(), "only a database behind a network can become unreachable");
        try (TestDatabase database = TestDatabase.postgresql()) {
            URI real = URI.create(database.url().substring("jdbc:".length()));
            try (TcpProxy line = TcpProxy.to(real.getHost(), real.getPort());
                 TestServer server = TestServer.start(Map.of("DATABASE_URL",
                         database.url().replace("//" + real.getAuthority() + "/", "//127.0.0.1:" + line.port() + "/")))) {
                String order = server.createOrder(15000);
                server.portone.pay("imp_900000000001", order, 15000);

                line.cut();
                long started = System.nanoTime();
                Answer during = server.complete("imp_900000000001", order);
                long millis = (System.nanoTime() - started) / 1_000_000;
                Answer health = server.get("/health");
                line.restore();
                // Connections the pool opened before the cut and used within the last half second are
                // handed out unchecked (HikariCP's alive-bypass window): each fails once and is dropped.
                // The test pool holds at most 4, so the fifth report at the latest meets a new one.
                Answer after = server.complete("imp_900000000001", order);
                for (int attempt = 1; after.status() == 503 && attempt < 5; attempt++) {
                    after = server.complete("imp_900000000001", order);
                }

                assertEquals(503, during.status(), during.raw());
                assertEquals("database_unavailable", during.text("status"));
                assertTrue(millis < 15_000, "the answer took " + millis + " ms");
                assertEquals(503, health.status(), health.raw());
                assertEquals(200, after.status(), after.raw());
                assertEquals("success", after.text("status"));
                assertEquals("paid", server.orderStatus(order));
            }
        }
    }
}
