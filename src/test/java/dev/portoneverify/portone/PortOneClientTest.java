package dev.portoneverify.portone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.DecimalNode;
import dev.portoneverify.testsupport.FaultProxy.Fault;
import dev.portoneverify.testsupport.FaultProxy.Recorded;
import dev.portoneverify.testsupport.MutableClock;
import dev.portoneverify.testsupport.SimulatedPortOne;
import dev.portoneverify.web.Json;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The V1 client against the embedded sandbox; PortOne's faults and odd answers come from the proxy in front of it. */
class PortOneClientTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final ObjectMapper json = Json.newMapper();
    private final MutableClock clock = MutableClock.startingNow();
    private SimulatedPortOne portone;

    /** PortOne on the same hand-moved clock as the client, unless a test gives it one of its own. */
    @BeforeEach
    void startPortOne() {
        portone = SimulatedPortOne.start(clock);
    }

    @AfterEach
    void stopPortOne() {
        portone.close();
    }

    private void restartPortOne(Clock portOneClock) {
        portone.close();
        portone = SimulatedPortOne.start(portOneClock);
    }

    private PortOneCredentials credentials() {
        return new PortOneCredentials(portone.apiKey(), portone.apiSecret());
    }

    private PortOneClient client() {
        return client(portone.baseUrl(), credentials(), TIMEOUT, false);
    }

    private PortOneClient client(URI baseUrl, PortOneCredentials credentials, Duration timeout, boolean includeSandbox) {
        return new PortOneClient(HTTP, json, baseUrl, credentials, timeout, includeSandbox, clock);
    }

    private void putPaid(String impUid, Object amount) {
        portone.pay(impUid, "order_" + impUid, amount);
    }

    private List<Recorded> lookups() {
        return portone.requests().stream().filter(r -> r.method().equals("GET")).toList();
    }

    private long tokenRequests() {
        return portone.count("POST", "/users/getToken");
    }

    // ---- lookup and parsing

    @Test
    void lookup_fetches_a_token_and_sends_it_as_bearer() throws Exception {
        putPaid("imp_1", 10000);

        client().getPayment("imp_1");

        List<Recorded> requests = portone.requests();
        assertEquals(2, requests.size());
        Recorded getToken = requests.get(0);
        assertEquals("/users/getToken", getToken.path());
        assertTrue(getToken.headers().get("Content-Type").startsWith("application/json"));
        JsonNode body = json.readTree(getToken.body());
        assertEquals(portone.apiKey(), body.get("imp_key").asText());
        assertEquals(portone.apiSecret(), body.get("imp_secret").asText());

        Recorded lookup = requests.get(1);
        assertEquals("GET", lookup.method());
        assertEquals("/payments/imp_1", lookup.path());
        assertNull(lookup.query());
        assertTrue(lookup.headers().get("Authorization").matches("Bearer [0-9a-f]{40}"));
    }

    @Test
    void payment_is_parsed_with_exact_decimals_and_zero_timestamps_as_null() {
        portone.pay(Map.of("imp_uid", "imp_usd", "merchant_uid", "order_usd", "amount", new BigDecimal("14.2"),
                "currency", "USD", "name", "test order"));
        portone.rewritePayment("imp_usd", usd -> {
            usd.put("pg_provider", "paypal_v2");
            usd.putObject("extension").put("remitter", "someone");   // undocumented extra: ignored
        });
        JsonNode usd = portone.payment("imp_usd");

        Payment p = client().getPayment("imp_usd");

        assertEquals(new BigDecimal("14.2"), p.amount());
        assertEquals(0, p.cancelAmount().signum());
        assertEquals(new BigDecimal("14.2"), p.balance());
        assertFalse(p.fullyCancelled());
        assertEquals("imp_usd", p.impUid());
        assertEquals("order_usd", p.merchantUid());
        assertEquals("USD", p.currency());
        assertEquals(PaymentStatus.PAID, p.status());
        assertEquals("paid", p.rawStatus());
        assertFalse(p.sandbox());
        assertEquals("card", p.payMethod());
        assertEquals("paypal_v2", p.pgProvider());
        assertEquals("test order", p.name());
        assertEquals(Instant.ofEpochSecond(usd.get("paid_at").asLong()), p.paidAt());
        assertNull(p.failedAt());
        assertNull(p.cancelledAt());
        assertNull(p.failReason());
        assertNull(p.cancelReason());
        assertNull(p.vbank());
        assertEquals(usd.get("receipt_url").asText(), p.receiptUrl());
    }

    @Test
    void amounts_keep_the_scale_portone_sent() {
        putPaid("imp_1", 10000);
        // the sandbox keeps amounts normalized; PortOne writing "10000.0" is played by editing its answer
        portone.rewritePayment("imp_1", p -> p.set("amount", DecimalNode.valueOf(new BigDecimal("10000.0"))));

        assertEquals("10000.0", client().getPayment("imp_1").amount().toPlainString());
    }

    @Test
    void vbank_payment_carries_its_virtual_account() {
        portone.issueVbank("imp_vb", "order_vb", 50000);
        JsonNode ready = portone.payment("imp_vb");

        Payment p = client().getPayment("imp_vb");

        assertEquals(PaymentStatus.READY, p.status());
        assertNull(p.paidAt());
        assertEquals(new Vbank("004", "KB국민은행", ready.get("vbank_num").asText(), ready.get("vbank_holder").asText(),
                Instant.ofEpochSecond(ready.get("vbank_date").asLong()),
                Instant.ofEpochSecond(ready.get("vbank_issued_at").asLong())), p.vbank());
    }

    @Test
    void failed_payment_is_data_with_its_reason() {
        portone.decline("imp_f", "order_f", 1000);

        Payment p = client().getPayment("imp_f");

        assertEquals(PaymentStatus.FAILED, p.status());
        assertEquals(portone.payment("imp_f").get("fail_reason").asText(), p.failReason());
        assertTrue(p.failReason().contains("승인이 거절"), p.failReason());
        assertNotNull(p.failedAt());
        assertNull(p.paidAt());
    }

    @Test
    void unknown_status_is_unrecognized_and_kept_raw() {
        putPaid("imp_x", 1000);
        portone.rewritePayment("imp_x", x -> x.put("status", "pending_approval"));

        Payment p = client().getPayment("imp_x");

        assertEquals(PaymentStatus.UNRECOGNIZED, p.status());
        assertEquals("pending_approval", p.rawStatus());
        assertEquals(PaymentStatus.UNRECOGNIZED, PaymentStatus.fromWire(null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"imp_uid", "merchant_uid", "amount", "cancel_amount", "currency", "status", "sandbox"})
    void payment_missing_a_required_field_is_a_bad_response(String field) {
        putPaid("imp_1", 1000);
        portone.rewritePayment("imp_1", p -> p.remove(field));

        var e = assertThrows(PortOneBadResponseException.class, () -> client().getPayment("imp_1"));
        assertEquals(200, e.httpStatus());
        assertTrue(e.getMessage().contains("`" + field + "`"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"amount", "cancel_amount", "paid_at", "sandbox", "name"})
    void payment_field_of_the_wrong_type_is_a_bad_response(String field) {
        putPaid("imp_1", 1000);
        portone.rewritePayment("imp_1", p -> {
            if (field.equals("name")) {
                p.put(field, 7);
            } else {
                p.put(field, "1000");
            }
        });

        assertThrows(PortOneBadResponseException.class, () -> client().getPayment("imp_1"));
    }

    @Test
    void imp_uid_is_url_encoded_in_the_path() {
        putPaid("imp 1?x#y", 1000);

        assertEquals("imp 1?x#y", client().getPayment("imp 1?x#y").impUid());
        assertEquals("/payments/imp%201%3Fx%23y", lookups().get(0).path());
    }

    // ---- token cache

    @Test
    void many_lookups_share_one_token() {
        putPaid("imp_1", 1000);
        PortOneClient client = client();

        for (int i = 0; i < 5; i++) {
            client.getPayment("imp_1");
        }

        assertEquals(1, tokenRequests());
        assertEquals(1, lookups().stream().map(r -> r.headers().get("Authorization")).distinct().count());
    }

    @Test
    void fifty_concurrent_lookups_with_an_empty_cache_fetch_one_token() throws Exception {
        // fifty different payments: lookups of one imp_uid would share one call (PaymentLookups)
        for (int i = 0; i < 50; i++) {
            putPaid("imp_" + i, 1000);
        }
        portone.delayMillis(50);   // keep getToken in flight while the others arrive
        PortOneClient client = client();
        ExecutorService pool = Executors.newFixedThreadPool(50);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Payment>> results = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                String impUid = "imp_" + i;
                results.add(pool.submit(() -> {
                    start.await();
                    return client.getPayment(impUid);
                }));
            }
            start.countDown();
            for (int i = 0; i < 50; i++) {
                assertEquals("imp_" + i, results.get(i).get().impUid());
            }
        } finally {
            pool.shutdownNow();
        }

        assertEquals(1, tokenRequests());
        for (int i = 0; i < 50; i++) {
            assertEquals(1, portone.count("GET", "/payments/imp_" + i));
        }
    }

    @Test
    void token_is_refreshed_a_minute_before_portone_says_it_expires() {
        putPaid("imp_1", 1000);
        PortOneClient client = client();
        client.getPayment("imp_1");

        clock.advance(Duration.ofSeconds(1800 - 61));
        client.getPayment("imp_1");
        assertEquals(1, tokenRequests());

        clock.advance(Duration.ofSeconds(2));
        client.getPayment("imp_1");
        assertEquals(2, tokenRequests());
    }

    @Test
    void short_lived_token_is_refreshed_halfway_through_its_life() {
        // PortOne answering a 90-second token: the sandbox's always last 30 minutes, so its answer is edited
        portone.proxy().rewrite("POST", "/users/getToken", t -> t.put("expired_at", t.get("now").asLong() + 90));
        putPaid("imp_1", 1000);
        PortOneClient client = client();
        client.getPayment("imp_1");

        clock.advance(Duration.ofSeconds(40));
        client.getPayment("imp_1");
        assertEquals(1, tokenRequests());

        clock.advance(Duration.ofSeconds(10));
        client.getPayment("imp_1");
        assertEquals(2, tokenRequests());
    }

    /**
     * PortOne two hours behind would make a client that compares {@code expired_at} with its own clock
     * refresh on every call; two hours ahead would make it never refresh. Only {@code expired_at - now} counts.
     */
    @ParameterizedTest
    @ValueSource(longs = {-7200, 7200})
    void token_lifetime_follows_portone_now_not_the_local_clock(long portOneOffsetSeconds) {
        restartPortOne(Clock.offset(clock, Duration.ofSeconds(portOneOffsetSeconds)));
        putPaid("imp_1", 1000);
        PortOneClient client = client();

        for (int i = 0; i < 3; i++) {
            client.getPayment("imp_1");
        }
        clock.advance(Duration.ofSeconds(1700));
        client.getPayment("imp_1");
        assertEquals(1, tokenRequests());

        clock.advance(Duration.ofSeconds(50));
        client.getPayment("imp_1");
        assertEquals(2, tokenRequests());
    }

    @Test
    void expired_token_is_replaced_and_the_call_retried_once() {
        putPaid("imp_1", 1000);
        PortOneClient client = client();
        client.getPayment("imp_1");
        portone.expireAllTokens();

        assertEquals("imp_1", client.getPayment("imp_1").impUid());

        assertEquals(2, tokenRequests());
        List<Recorded> lookups = lookups();
        assertEquals(3, lookups.size());
        String oldToken = lookups.get(0).headers().get("Authorization");
        assertEquals(oldToken, lookups.get(1).headers().get("Authorization"));
        assertNotEquals(oldToken, lookups.get(2).headers().get("Authorization"));
    }

    @Test
    void a_single_401_is_retried_with_a_fresh_token() {
        putPaid("imp_1", 1000);
        portone.failNext(1, Fault.UNAUTHORIZED);

        assertEquals("imp_1", client().getPayment("imp_1").impUid());

        assertEquals(2, tokenRequests());
        assertEquals(2, lookups().size());
    }

    @Test
    void persistent_401_is_an_auth_error_after_exactly_one_retry() {
        putPaid("imp_1", 1000);
        portone.fault(Fault.UNAUTHORIZED);

        var e = assertThrows(PortOneAuthException.class, () -> client().getPayment("imp_1"));

        assertTrue(e.getMessage().contains("HTTP 401"), e.getMessage());
        assertEquals(2, lookups().size());
        assertEquals(2, tokenRequests());
    }

    @Test
    void wrong_credentials_are_an_auth_error() {
        putPaid("imp_1", 1000);
        PortOneClient client = client(portone.baseUrl(), new PortOneCredentials(portone.apiKey(), "wrong-secret-123"), TIMEOUT, false);

        var e = assertThrows(PortOneAuthException.class, () -> client.getPayment("imp_1"));

        assertFalse(e.getMessage().contains("wrong-secret-123"));
        assertEquals(0, lookups().size());
    }

    // ---- PortOne's error answers

    @Test
    void unknown_payment_is_not_found_with_portones_message() {
        var e = assertThrows(PortOneNotFoundException.class, () -> client().getPayment("imp_123"));

        assertEquals("PortOne GET /payments/imp_123 answered HTTP 404 code -1: 존재하지 않는 결제정보입니다.", e.getMessage());
    }

    @Test
    void sandbox_payment_is_visible_only_when_include_sandbox_is_allowed() {
        portone.pay(Map.of("imp_uid", "imp_sb", "merchant_uid", "order_sb", "amount", 1000, "test_channel", true));

        assertThrows(PortOneNotFoundException.class, () -> client().getPayment("imp_sb"));
        assertNull(lookups().get(0).query());

        Payment p = client(portone.baseUrl(), credentials(), TIMEOUT, true).getPayment("imp_sb");
        assertTrue(p.sandbox());
        assertEquals("include_sandbox=true", lookups().get(1).query());
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 503})
    void a_lasting_server_error_is_unavailable_with_its_status_after_one_retry(int status) {
        putPaid("imp_1", 1000);
        PortOneClient client = client();
        client.getPayment("imp_1");
        portone.fault(status == 500 ? Fault.HTTP_500 : Fault.HTTP_503);

        var e = assertThrows(PortOneUnavailableException.class, () -> client.getPayment("imp_1"));

        assertEquals(status, e.httpStatus());
        assertFalse(e instanceof PortOneTimeoutException);
        assertEquals(3, lookups().size());
    }

    @Test
    void a_single_server_error_on_a_lookup_is_retried_once_and_succeeds() {
        putPaid("imp_1", 1000);
        portone.failNext(1, Fault.HTTP_503);

        Payment p = client().getPayment("imp_1");

        assertEquals("imp_1", p.impUid());
    }

    @Test
    void a_lasting_server_error_during_getToken_is_unavailable() {
        portone.fault(Fault.HTTP_503);

        var e = assertThrows(PortOneUnavailableException.class, () -> client().getPayment("imp_1"));

        assertEquals(503, e.httpStatus());
    }

    @Test
    void a_cancel_is_never_repeated_by_the_client() {
        putPaid("imp_1", 1000);
        PortOneClient client = client();
        client.getPayment("imp_1");
        portone.fault(Fault.HTTP_503);

        assertThrows(PortOneUnavailableException.class,
                () -> client.cancel(new CancelRequest("imp_1", null, new BigDecimal("1000"), "test")));

        assertEquals(1, portone.cancels().size());
    }

    @Test
    void answer_that_is_not_json_is_a_bad_response_without_the_body() {
        putPaid("imp_1", 1000);
        PortOneClient client = client();
        client.getPayment("imp_1");
        portone.fault(Fault.NOT_JSON);

        var e = assertThrows(PortOneBadResponseException.class, () -> client.getPayment("imp_1"));

        assertEquals(200, e.httpStatus());
        assertFalse(e.getMessage().contains("html"), e.getMessage());
    }

    @Test
    void hanging_portone_times_out_shortly_after_the_request_timeout() {
        putPaid("imp_1", 1000);
        PortOneClient client = client(portone.baseUrl(), credentials(), Duration.ofMillis(300), false);
        client.getPayment("imp_1");
        portone.fault(Fault.HANG);

        long started = System.nanoTime();
        assertThrows(PortOneTimeoutException.class, () -> client.getPayment("imp_1"));
        long elapsedMillis = (System.nanoTime() - started) / 1_000_000;

        assertTrue(elapsedMillis >= 250 && elapsedMillis < 1500, "took " + elapsedMillis + " ms");
    }

    @Test
    void hanging_getToken_times_out_too() {
        portone.fault(Fault.HANG);
        PortOneClient client = client(portone.baseUrl(), credentials(), Duration.ofMillis(300), false);

        var e = assertThrows(PortOneTimeoutException.class, () -> client.getPayment("imp_1"));

        assertEquals(0, e.httpStatus());
    }

    @Test
    void refused_connection_is_unavailable_without_status() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        PortOneClient client = client(URI.create("http://127.0.0.1:" + closedPort),
                credentials(), TIMEOUT, false);

        var e = assertThrows(PortOneUnavailableException.class, () -> client.getPayment("imp_1"));

        assertEquals(0, e.httpStatus());
        assertFalse(e instanceof PortOneTimeoutException);
    }

    @Test
    void a_connection_reset_mid_answer_is_unavailable_without_status() {
        putPaid("imp_1", 1000);
        PortOneClient client = client();
        client.getPayment("imp_1");
        portone.fault(Fault.DROP);

        var e = assertThrows(PortOneUnavailableException.class, () -> client.getPayment("imp_1"));

        assertEquals(0, e.httpStatus());
        assertFalse(e instanceof PortOneTimeoutException);
    }

    @Test
    void interrupted_caller_gets_unavailable_and_keeps_its_interrupt_flag() {
        putPaid("imp_1", 1000);
        PortOneClient client = client();
        client.getPayment("imp_1");

        Thread.currentThread().interrupt();
        try {
            assertThrows(PortOneUnavailableException.class, () -> client.getPayment("imp_1"));
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
    }

    // ---- cancel

    @Test
    void partial_cancel_sends_amount_and_checksum_and_returns_the_updated_payment() throws Exception {
        putPaid("imp_1", 10000);

        Payment p = client().cancel(new CancelRequest("imp_1", new BigDecimal("3000"), new BigDecimal("10000"), "고객 요청"));

        assertEquals(PaymentStatus.CANCELLED, p.status());
        assertEquals(0, p.cancelAmount().compareTo(new BigDecimal("3000")));
        assertEquals(0, p.balance().compareTo(new BigDecimal("7000")));
        assertFalse(p.fullyCancelled());
        assertNotNull(p.cancelledAt());
        assertEquals("고객 요청", p.cancelReason());

        Recorded sent = portone.cancels().get(0);
        assertTrue(sent.headers().get("Authorization").startsWith("Bearer "));
        JsonNode body = json.readTree(sent.body());
        assertEquals("imp_1", body.get("imp_uid").asText());
        assertEquals(0, body.get("amount").decimalValue().compareTo(new BigDecimal("3000")));
        assertEquals(0, body.get("checksum").decimalValue().compareTo(new BigDecimal("10000")));
        assertEquals("고객 요청", body.get("reason").asText());
        assertEquals(1, portone.payment("imp_1").get("cancel_history").size());
    }

    @Test
    void full_cancel_omits_amount_and_checksum() throws Exception {
        putPaid("imp_1", 10000);

        Payment p = client().cancel(new CancelRequest("imp_1", null, null, "out of stock"));

        assertTrue(p.fullyCancelled());
        assertEquals(0, p.balance().signum());
        JsonNode body = json.readTree(portone.cancels().get(0).body());
        assertFalse(body.has("amount"));
        assertFalse(body.has("checksum"));
    }

    @Test
    void fractional_cancel_is_sent_and_answered_as_exact_decimals() {
        portone.pay(Map.of("imp_uid", "imp_usd", "merchant_uid", "order_usd", "amount", new BigDecimal("14.2"),
                "currency", "USD"));

        Payment p = client().cancel(new CancelRequest("imp_usd", new BigDecimal("4.1"), new BigDecimal("14.2"), "partial"));

        assertEquals(new BigDecimal("10.1"), p.balance());
        String body = portone.cancels().get(0).body();
        assertTrue(body.contains("\"amount\":4.1") && body.contains("\"checksum\":14.2"), body);
    }

    @Test
    void cancel_with_a_stale_checksum_is_refused_with_code_1() {
        putPaid("imp_1", 10000);
        PortOneClient client = client();
        client.cancel(new CancelRequest("imp_1", new BigDecimal("3000"), new BigDecimal("10000"), "first"));

        var e = assertThrows(PortOneApiException.class,
                () -> client.cancel(new CancelRequest("imp_1", new BigDecimal("1000"), new BigDecimal("10000"), "second")));

        assertEquals(200, e.httpStatus());
        assertEquals(1, e.code());
        assertNotNull(e.portoneMessage());
        assertEquals(0, portone.payment("imp_1").get("cancel_amount").decimalValue().compareTo(new BigDecimal("3000")));
    }

    @Test
    void cancel_of_an_unknown_payment_is_refused() {
        var e = assertThrows(PortOneApiException.class,
                () -> client().cancel(new CancelRequest("imp_none", null, null, "r")));

        assertEquals(1, e.code());
        assertEquals("취소할 결제건이 존재하지 않습니다.", e.portoneMessage());
        assertTrue(e.getMessage().startsWith("PortOne POST /payments/cancel answered HTTP 200 code 1: "), e.getMessage());
    }

    @Test
    void cancel_request_refuses_a_zero_amount_that_portone_would_read_as_full_cancel() {
        assertThrows(IllegalArgumentException.class, () -> new CancelRequest("imp_1", BigDecimal.ZERO, null, "r"));
    }

    // ---- secrets

    @Test
    void credentials_print_without_the_secret() {
        String printed = credentials().toString();

        assertTrue(printed.contains(portone.apiKey()));
        assertFalse(printed.contains(portone.apiSecret()));
    }

    @Test
    void no_exception_message_contains_the_secret_or_the_token() {
        putPaid("imp_1", 1000);
        PortOneClient client = client();
        client.getPayment("imp_1");
        String token = lookups().get(0).headers().get("Authorization").substring("Bearer ".length());

        List<RuntimeException> failures = new ArrayList<>();
        failures.add(assertThrows(PortOneException.class, () -> client.getPayment("imp_none")));
        failures.add(assertThrows(PortOneException.class, () -> client.cancel(new CancelRequest("imp_none", null, null, "r"))));
        for (Fault f : List.of(Fault.HTTP_500, Fault.HTTP_503, Fault.NOT_JSON, Fault.UNAUTHORIZED)) {
            portone.fault(f);
            failures.add(assertThrows(PortOneException.class, () -> client.getPayment("imp_1")));
        }
        // Broken and refused getToken answers: the ones that carry the token or answer the secret.
        for (Fault f : List.of(Fault.NOT_JSON, Fault.HTTP_500)) {
            portone.fault(f);
            failures.add(assertThrows(PortOneException.class, () -> client().getPayment("imp_1")));
        }
        portone.fault(null);
        failures.add(assertThrows(PortOneException.class, () -> client(portone.baseUrl(),
                new PortOneCredentials(portone.apiKey(), portone.apiSecret() + "x"), TIMEOUT, false).getPayment("imp_1")));
        portone.fault(Fault.HANG);
        failures.add(assertThrows(PortOneException.class, () -> client(portone.baseUrl(),
                credentials(), Duration.ofMillis(200), false).getPayment("imp_1")));

        for (RuntimeException failure : failures) {
            for (Throwable t = failure; t != null; t = t.getCause()) {
                assertInstanceOf(PortOneException.class, failure);
                String text = String.valueOf(t);
                assertFalse(text.contains(portone.apiSecret()), text);
                assertFalse(text.contains(token), text);
            }
        }
    }
}
