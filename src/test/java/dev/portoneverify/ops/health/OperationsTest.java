package dev.portoneverify.ops.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portoneverify.testsupport.FaultProxy.Fault;
import dev.portoneverify.testsupport.TestServer;
import dev.portoneverify.testsupport.TestServer.Answer;
import kong.unirest.core.Unirest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** GET /health, GET /metrics and the request id. */
class OperationsTest {
    @RegisterExtension
    final TestServer server = TestServer.live();

    @Test
    void health_is_200_when_the_database_and_portone_credentials_work_and_probes_reuse_the_token() {
        for (int i = 0; i < 5; i++) {
            Answer health = server.get("/health");
            assertEquals(200, health.status());
            assertEquals("ok", health.text("status"));
            assertEquals("ok", health.body().path("checks").path("database").asText());
            assertEquals("ok", health.body().path("checks").path("portone").asText());
        }

        assertEquals(1, server.portone.count("POST", "/users/getToken"));
    }

    @Test
    void health_is_503_not_ready_when_portone_rejects_or_cannot_be_reached() {
        server.portone.fault(Fault.HTTP_503);

        Answer health = server.get("/health");

        assertEquals(503, health.status());
        assertEquals("not_ready", health.text("status"));
        assertTrue(health.body().path("live").asBoolean());
        assertEquals("unavailable", health.body().path("checks").path("portone").asText());
        assertFalse(health.raw().contains(server.portone.apiSecret()));
    }

    @ParameterizedTest
    @CsvSource({"NOT_JSON, bad_response", "HTTP_503, unavailable"})
    void health_names_a_portone_failure_with_the_result_word_the_metrics_publish(Fault fault, String word)
            throws InterruptedException {
        server.portone.fault(fault);

        Answer health = server.get("/health");

        assertEquals(503, health.status());
        assertEquals(word, health.body().path("checks").path("portone").asText());
        // dashboards match the metrics' labels: the same word there
        String metrics = scrapeUntil("result=\"" + word + "\"");
        assertTrue(metrics.contains("endpoint=\"getToken\",result=\"" + word + "\""), metrics);
    }

    @Test
    void metrics_count_verifications_forgeries_refunds_portone_requests_and_the_sms_outbox() throws Exception {
        String order = server.createOrder(15000);
        server.portone.pay("imp_950000000001", order, 15000);
        server.complete("imp_950000000001", order);
        String forged = server.createOrder(15000);
        server.portone.payTampered("imp_950000000002", forged, 1, null);
        server.webhook("imp_950000000002", forged, "paid");
        String vbank = server.createOrder(30000);
        server.portone.issueVbank("imp_950000000003", vbank, 30000);
        server.complete("imp_950000000003", vbank);
        server.sms.awaitSent(1);

        // the dispatcher marks the message sent (depth 0) before it counts the delivery: wait for the count
        String metrics = scrapeUntil("portone_verify_sms_deliveries_total{result=\"delivered\"} 1");

        assertTrue(metrics.contains("portone_verify_verifications_total{outcome=\"paid\",source=\"browser\"} 1"), metrics);
        assertTrue(metrics.contains("portone_verify_verifications_total{outcome=\"forgery\",source=\"webhook\"} 1"), metrics);
        assertTrue(metrics.contains("portone_verify_forgeries_total 1"), metrics);
        assertTrue(metrics.contains("portone_verify_refunds_total{result=\"refunded\"} 1"), metrics);
        assertTrue(metrics.contains("portone_verify_webhooks_received_total 1"), metrics);
        assertTrue(metrics.contains("portone_verify_portone_token_refreshes_total 1"), metrics);
        assertTrue(metrics.contains("portone_verify_portone_request_duration_seconds_count{endpoint=\"getPayment\",result=\"ok\"} 3"), metrics);
        assertTrue(metrics.contains("portone_verify_portone_request_duration_seconds_count{endpoint=\"cancel\",result=\"ok\"} 1"), metrics);
        assertTrue(metrics.contains("portone_verify_sms_deliveries_total{result=\"delivered\"} 1"), metrics);
        assertTrue(metrics.contains("portone_verify_sms_outbox_depth 0"), metrics);
        // nothing is being verified now
        assertTrue(metrics.contains("portone_verify_transactions_waiting 0"), metrics);
    }

    /** The SMS is marked sent (and counted) just after the provider took it: scrape until it shows. */
    private String scrapeUntil(String line) throws InterruptedException {
        String metrics = "";
        for (int i = 0; i < 250 && !metrics.contains(line); i++) {
            metrics = Unirest.get(server.url("/metrics")).asString().getBody();
            Thread.sleep(20);
        }
        return metrics;
    }

    @Test
    void every_answer_carries_a_request_id() {
        String id = Unirest.get(server.url("/orders/order_x")).asString().getHeaders().getFirst("X-Request-Id");

        assertTrue(id.matches("[0-9a-f]{12}"), id);
    }
}
