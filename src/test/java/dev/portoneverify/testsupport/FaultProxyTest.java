package dev.portoneverify.testsupport;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portoneverify.testsupport.FaultProxy.Fault;
import dev.portoneverify.web.Json;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The test kit's fault layer in front of the sandbox: what it forwards, records, and answers in its place. */
class FaultProxyTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private final ObjectMapper json = Json.newMapper();
    private final SimulatedPortOne portone = SimulatedPortOne.start();

    @AfterEach
    void stop() {
        portone.close();
    }

    private record Answer(int status, JsonNode body) {}

    private Answer send(HttpRequest.Builder request) throws Exception {
        HttpResponse<String> r = HTTP.send(request.timeout(Duration.ofSeconds(5)).build(), BodyHandlers.ofString(UTF_8));
        return new Answer(r.statusCode(), r.body().startsWith("{") ? json.readTree(r.body()) : null);
    }

    private Answer getToken() throws Exception {
        return send(HttpRequest.newBuilder(portone.baseUrl().resolve("/users/getToken"))
                .header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString(json.writeValueAsString(
                        Map.of("imp_key", portone.apiKey(), "imp_secret", portone.apiSecret())))));
    }

    private Answer lookup(String path, String token) throws Exception {
        return send(HttpRequest.newBuilder(portone.baseUrl().resolve(path)).header("Authorization", "Bearer " + token));
    }

    private String token() throws Exception {
        return getToken().body().path("response").path("access_token").asText();
    }

    @Test
    void without_a_fault_it_forwards_to_the_sandbox_and_records_the_request_as_sent() throws Exception {
        String impUid = portone.pay("order_1", 1000);
        String token = token();

        Answer found = lookup("/payments/" + impUid + "?include_sandbox=false", token);

        assertEquals(200, found.status());
        assertEquals(impUid, found.body().path("response").path("imp_uid").asText());
        FaultProxy.Recorded r = portone.requests().get(1);
        assertEquals("GET", r.method());
        assertEquals("/payments/" + impUid, r.path());
        assertEquals("include_sandbox=false", r.query());
        assertEquals("Bearer " + token, r.headers().get("authorization"));
        assertEquals(1, portone.count("POST", "/users/getToken"));
    }

    @Test
    void failNext_applies_to_the_next_requests_only() throws Exception {
        portone.failNext(2, Fault.HTTP_500);

        assertEquals(500, getToken().status());
        Answer second = getToken();
        assertEquals(500, second.status());
        assertEquals(-1, second.body().path("code").asInt());
        assertEquals(200, getToken().status());
    }

    @Test
    void a_route_fault_leaves_other_routes_alone_and_unauthorized_never_hits_getToken() throws Exception {
        String impUid = portone.pay("order_1", 1000);
        portone.fault("GET", "/payments/*", Fault.REFUSED);
        portone.fault(Fault.UNAUTHORIZED);

        Answer token = getToken();
        Answer refused = lookup("/payments/" + impUid, token.body().path("response").path("access_token").asText());

        assertEquals(200, token.status());
        assertEquals(200, refused.status());
        assertEquals(1, refused.body().path("code").asInt());
        assertEquals(FaultProxy.PG_FAILURE, refused.body().path("message").asText());
    }

    @Test
    void a_rewrite_edits_only_successful_answers_of_its_route() throws Exception {
        String impUid = portone.pay("order_1", 1000);
        portone.rewritePayment(impUid, p -> p.put("status", "pending_review"));
        String token = token();

        assertEquals("pending_review", lookup("/payments/" + impUid, token).body().path("response").path("status").asText());
        assertEquals(404, lookup("/payments/imp_000000000000", token).status());
        assertEquals("paid", portone.payment(impUid).path("status").asText());
    }

    @Test
    void a_dropped_connection_is_an_io_error_for_the_caller() {
        portone.fault(Fault.DROP);

        assertThrows(IOException.class, () -> HTTP.send(HttpRequest.newBuilder(portone.baseUrl().resolve("/users/getToken"))
                .timeout(Duration.ofSeconds(5)).POST(BodyPublishers.noBody()).build(), BodyHandlers.ofString()));
    }

    @Test
    void close_releases_a_hanging_request() throws Exception {
        portone.fault(Fault.HANG);
        CompletableFuture<HttpResponse<String>> hanging = HTTP.sendAsync(
                HttpRequest.newBuilder(portone.baseUrl().resolve("/users/getToken")).POST(BodyPublishers.noBody()).build(),
                BodyHandlers.ofString());
        while (portone.requests().isEmpty()) {
            Thread.onSpinWait();
        }

        portone.close();

        // the connection is closed under it: the request ends, without an answer, long before the minute's limit
        ExecutionException e = assertThrows(ExecutionException.class, () -> hanging.get(10, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof IOException, String.valueOf(e.getCause()));
    }

    private HttpRequest.Builder cancel(String impUid, String token) throws Exception {
        return HttpRequest.newBuilder(portone.baseUrl().resolve("/payments/cancel"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString(json.writeValueAsString(Map.of("imp_uid", impUid, "reason", "test"))));
    }

    @Test
    void a_lost_cancel_answer_is_a_500_though_the_sandbox_carried_the_cancel_out() throws Exception {
        String impUid = portone.pay("order_lost", 1000);
        String token = token();
        portone.loseCancelAnswers(true);

        Answer lost = send(cancel(impUid, token));

        assertEquals(500, lost.status());
        assertEquals("cancelled", portone.payment(impUid).path("status").asText());
        assertEquals(1, portone.cancels().size());
    }

    @Test
    void a_cancel_held_before_is_never_forwarded_and_one_held_after_is_carried_out_before_its_answer() throws Exception {
        String before = portone.pay("order_before", 1000);
        String after = portone.pay("order_after", 1000);
        String token = token();

        portone.holdCancels(FaultProxy.Hold.BEFORE);
        CompletableFuture<HttpResponse<String>> dropped = HTTP.sendAsync(cancel(before, token).timeout(Duration.ofSeconds(5)).build(),
                BodyHandlers.ofString(UTF_8));
        assertTrue(portone.awaitHeldCancel(5_000));
        assertEquals("paid", portone.payment(before).path("status").asText());
        portone.releaseCancels();
        assertThrows(ExecutionException.class, () -> dropped.get(10, TimeUnit.SECONDS));
        assertEquals("paid", portone.payment(before).path("status").asText(), "a cancel held before reached the sandbox");

        portone.holdCancels(FaultProxy.Hold.AFTER);
        CompletableFuture<HttpResponse<String>> answered = HTTP.sendAsync(cancel(after, token).timeout(Duration.ofSeconds(5)).build(),
                BodyHandlers.ofString(UTF_8));
        assertTrue(portone.awaitHeldCancel(5_000));
        assertEquals("cancelled", portone.payment(after).path("status").asText());
        assertTrue(!answered.isDone(), "the answer came before the release");
        portone.releaseCancels();
        assertEquals(200, answered.get(10, TimeUnit.SECONDS).statusCode());
    }
}
