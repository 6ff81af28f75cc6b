package dev.portoneverify.portone;

import static dev.portoneverify.testsupport.FakePortOne.API_KEY;
import static dev.portoneverify.testsupport.FakePortOne.API_SECRET;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portoneverify.web.Json;
import dev.portoneverify.testsupport.FakePortOne;
import dev.portoneverify.testsupport.FakePortOne.Fault;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fake's own contract: other tests trust it to behave like PortOne V1 (docs/portone-v1-api.md §11). */
class FakePortOneTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private final ObjectMapper json = Json.newMapper();
    private FakePortOne fake;

    @BeforeEach
    void startFake() {
        fake = FakePortOne.start();
    }

    @AfterEach
    void stopFake() {
        fake.close();
    }

    private record Answer(int status, JsonNode body) {}

    private Answer send(HttpRequest.Builder request) throws Exception {
        HttpResponse<String> r = HTTP.send(request.timeout(Duration.ofSeconds(5)).build(), BodyHandlers.ofString(UTF_8));
        return new Answer(r.statusCode(), json.readTree(r.body()));
    }

    private Answer getToken(String key, String secret) throws Exception {
        String form = "imp_key=" + URLEncoder.encode(key, UTF_8) + "&imp_secret=" + URLEncoder.encode(secret, UTF_8);
        return send(HttpRequest.newBuilder(fake.baseUrl().resolve("/users/getToken"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(BodyPublishers.ofString(form)));
    }

    private Answer lookup(String impUid, String header, String value) throws Exception {
        return send(HttpRequest.newBuilder(fake.baseUrl().resolve("/payments/" + impUid)).header(header, value));
    }

    @Test
    void getToken_accepts_a_form_body_and_answers_a_40_hex_token_with_integer_times() throws Exception {
        Answer a = getToken(API_KEY, API_SECRET);

        assertEquals(200, a.status());
        assertEquals(0, a.body().get("code").intValue());
        JsonNode r = a.body().get("response");
        assertTrue(r.get("access_token").asText().matches("[0-9a-f]{40}"));
        assertTrue(r.get("expired_at").isIntegralNumber() && r.get("now").isIntegralNumber());
        assertEquals(1800, r.get("expired_at").longValue() - r.get("now").longValue());
    }

    @Test
    void wrong_secret_is_401_with_the_envelope_and_missing_keys_are_400() throws Exception {
        Answer wrong = getToken(API_KEY, "nope");
        assertEquals(401, wrong.status());
        assertEquals(-1, wrong.body().get("code").intValue());
        assertTrue(wrong.body().get("response").isNull());

        Answer missing = getToken(API_KEY, "");
        assertEquals(400, missing.status());
        assertEquals("imp_key, imp_secret 파라메터가 누락되었습니다.", missing.body().get("message").asText());
    }

    @Test
    void valid_token_is_reissued_and_extended_by_five_minutes_in_its_last_minute() throws Exception {
        fake.tokenLifetimeSeconds(30);
        JsonNode first = getToken(API_KEY, API_SECRET).body().get("response");
        JsonNode second = getToken(API_KEY, API_SECRET).body().get("response");

        assertEquals(first.get("access_token"), second.get("access_token"));
        assertEquals(first.get("expired_at").longValue() + 300, second.get("expired_at").longValue());

        fake.expireAllTokens();
        JsonNode third = getToken(API_KEY, API_SECRET).body().get("response");
        assertNotEquals(first.get("access_token"), third.get("access_token"));
    }

    @Test
    void bearer_bare_and_legacy_header_tokens_are_accepted_others_get_401() throws Exception {
        fake.putPayment(FakePortOne.payment("imp_1", "order_1", 1000, "paid"));
        String token = getToken(API_KEY, API_SECRET).body().get("response").get("access_token").asText();

        assertEquals(200, lookup("imp_1", "Authorization", "Bearer " + token).status());
        assertEquals(200, lookup("imp_1", "Authorization", token).status());
        assertEquals(200, lookup("imp_1", "X-ImpTokenHeader", token).status());
        assertEquals(401, lookup("imp_1", "Authorization", "Bearer 0123456789abcdef0123456789abcdef01234567").status());
        assertEquals(401, lookup("imp_1", "Accept", "application/json").status());
        Answer missing = lookup("imp_none", "Authorization", "Bearer " + token);
        assertEquals(404, missing.status());
        assertEquals(-1, missing.body().get("code").intValue());
    }

    @Test
    void failNext_applies_to_the_next_requests_only() throws Exception {
        fake.failNext(2, Fault.HTTP_500);

        assertEquals(500, getToken(API_KEY, API_SECRET).status());
        assertEquals(500, getToken(API_KEY, API_SECRET).status());
        assertEquals(200, getToken(API_KEY, API_SECRET).status());
    }

    @Test
    void partial_cancels_accumulate_and_keep_the_status_cancelled() throws Exception {
        fake.putPayment(FakePortOne.payment("imp_1", "order_1", 10000, "paid"));
        String token = getToken(API_KEY, API_SECRET).body().get("response").get("access_token").asText();
        HttpRequest.Builder cancel = HttpRequest.newBuilder(fake.baseUrl().resolve("/payments/cancel"))
                .header("Authorization", token).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(BodyPublishers.ofString("merchant_uid=order_1&amount=4000&checksum=10000"));

        assertEquals(0, send(cancel).body().get("code").intValue());
        Answer stale = send(cancel);
        assertEquals(200, stale.status());
        assertEquals(1, stale.body().get("code").intValue());

        assertEquals("cancelled", fake.payment("imp_1").get("status"));
        assertEquals("4000", fake.payment("imp_1").get("cancel_amount").toString());
        JsonNode history = json.valueToTree(fake.payment("imp_1").get("cancel_history"));
        assertEquals(1, history.size());
        assertTrue(history.get(0).get("cancellation_id").isTextual());
    }

    @Test
    void close_releases_a_hanging_request_quickly() {
        fake.fault(Fault.HANG);
        CompletableFuture<HttpResponse<String>> hanging = HTTP.sendAsync(
                HttpRequest.newBuilder(fake.baseUrl().resolve("/users/getToken")).POST(BodyPublishers.noBody()).build(),
                BodyHandlers.ofString());
        while (fake.requests().isEmpty()) {
            Thread.onSpinWait();
        }

        long started = System.nanoTime();
        fake.close();
        long elapsedMillis = (System.nanoTime() - started) / 1_000_000;

        assertTrue(elapsedMillis < 2000, "close took " + elapsedMillis + " ms");
        hanging.cancel(true);
    }
}
