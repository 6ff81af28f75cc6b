package dev.portoneverify.portone.v2;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portoneverify.concurrent.Futures;
import dev.portoneverify.portone.BoundedBody;
import dev.portoneverify.portone.CancelRequest;
import dev.portoneverify.portone.Payment;
import dev.portoneverify.portone.PortOneApi;
import dev.portoneverify.portone.PortOneApiException;
import dev.portoneverify.portone.PortOneAuthException;
import dev.portoneverify.portone.PortOneBadResponseException;
import dev.portoneverify.portone.PortOneExchange;
import dev.portoneverify.portone.PortOneNotFoundException;
import dev.portoneverify.portone.PortOneObserver;
import dev.portoneverify.portone.PortOneTimeoutException;
import dev.portoneverify.portone.PortOneUnavailableException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Client for the PortOne V2 calls this project needs ({@code docs/portone-v2-api.md}, checked against
 * PortOne's V2 OpenAPI document): {@code GET /payments/{paymentId}}, {@code POST .../cancel} and
 * {@code POST .../pre-register}, authorised with {@code Authorization: PortOne <V2 API secret>}, so
 * there is no token to cache.
 *
 * <p>Errors are V2's {@code {type, message}}: 401/403 become {@link PortOneAuthException}, 404
 * {@link PortOneNotFoundException}, other 4xx {@link PortOneApiException} with its {@code type}, 5xx and
 * network failures {@link PortOneUnavailableException}. A payment of another store is treated as unknown.
 * Every exchange is asynchronous ({@code HttpClient.sendAsync}), within the request timeout, headers and
 * body, and refuses an answer over 1 MiB ({@link BoundedBody}); no thread waits while PortOne answers.
 * Thread-safe; messages never carry the secret or a response body.
 */
public final class PortOneV2Client implements PortOneApi {
    private static final Logger log = LoggerFactory.getLogger(PortOneV2Client.class);
    private static final int MAX_MESSAGE_CHARS = 200;
    /** A payment answer is a few kilobytes; anything past this is not PortOne's (as in V1's client). */
    private static final int MAX_ANSWER_BYTES = 1024 * 1024;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final HttpClient http;
    private final ObjectMapper json;
    private final String baseUrl;
    private final V2Credentials credentials;
    private final Duration requestTimeout;
    private final PortOneObserver observer;

    /**
     * @param baseUrl        {@code https://api.portone.io} in production, the sandbox in tests
     * @param requestTimeout applied to every request (PORTONE_TIMEOUT_MS)
     * @param observer       told of every request (metrics, endpoint names prefixed {@code v2_}); never throws
     */
    public PortOneV2Client(HttpClient http, ObjectMapper json, URI baseUrl, V2Credentials credentials,
                           Duration requestTimeout, PortOneObserver observer) {
        this.http = Objects.requireNonNull(http, "http");
        this.json = Objects.requireNonNull(json, "json");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
        this.observer = Objects.requireNonNull(observer, "observer");
        String base = Objects.requireNonNull(baseUrl, "baseUrl").toString();
        this.baseUrl = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    public String storeId() {
        return credentials.storeId();
    }

    /**
     * {@code GET /payments/{paymentId}?storeId=...}, as the neutral view; its {@code merchantUid} is null
     * until the caller binds it to an order ({@link Payment#boundTo}). No thread waits while PortOne answers.
     *
     * @return fails with {@link PortOneNotFoundException} when PortOne has no such payment, or it belongs
     *         to another store
     */
    @Override
    public CompletableFuture<Payment> getPaymentAsync(String paymentId) {
        requireId(paymentId);
        return exchange("v2_getPayment", "GET", path(paymentId), "storeId=" + encode(credentials.storeId()),
                null, null).thenApply(p -> {
                    if (!credentials.storeId().equals(V2Payments.storeId(p))) {
                        throw new PortOneNotFoundException("PortOne GET " + path(paymentId)
                                + " answered a payment of another store");
                    }
                    try {
                        return V2Payments.parse(p);
                    } catch (IllegalArgumentException e) {
                        throw new PortOneBadResponseException("PortOne GET " + path(paymentId) + " answered a payment "
                                + "it could not map: " + e.getMessage(), 200);
                    }
                });
    }

    /**
     * {@code POST /payments/{paymentId}/cancel} with {@code currentCancellableAmount} (the request's
     * {@code checksum}): PortOne refuses it when the balance moved, so no later attempt can refund twice.
     * Each call has an {@code Idempotency-Key} of its own; a timeout is retried once with the same key, as
     * PortOne advises, which returns the first request's outcome instead of running it again. (A key shared
     * by every attempt would pin a failed refund to its stored failure for PortOne's three hours.)
     * Completes with the payment as PortOne reports it afterwards.
     */
    @Override
    public CompletableFuture<Payment> cancelAsync(CancelRequest request) {
        Objects.requireNonNull(request, "request");
        String paymentId = request.impUid();
        requireId(paymentId);
        // amounts travel in the currency's minor unit, which only the payment knows
        CompletableFuture<String> currency = request.amount() != null || request.checksum() != null
                ? getPaymentAsync(paymentId).thenApply(Payment::currency)
                : CompletableFuture.completedFuture(null);
        return currency.thenCompose(known -> {
            ObjectNode body = cancelBody(request, known);
            String key = idempotencyKey();
            String cancel = path(paymentId) + "/cancel";
            return exchange("v2_cancel", "POST", cancel, null, body, key).exceptionallyCompose(failure -> {
                Throwable cause = Futures.unwrap(failure);
                if (!(cause instanceof PortOneTimeoutException)) {
                    return CompletableFuture.failedFuture(cause);
                }
                log.warn("PortOne POST {} timed out; asking again with the same Idempotency-Key", cancel);
                return exchange("v2_cancel", "POST", cancel, null, body, key);
            });
        }).thenCompose(answer -> {
            String status = answer.path("cancellation").path("status").asText(null);
            if ("FAILED".equals(status)) {
                throw PortOneApiException.v2("PortOne POST " + path(paymentId) + "/cancel answered a FAILED cancellation",
                        200, "CANCELLATION_FAILED", null);
            }
            if (!"SUCCEEDED".equals(status) && !"REQUESTED".equals(status)) {
                throw new PortOneBadResponseException("PortOne POST " + path(paymentId)
                        + "/cancel answered without a cancellation status", 200);
            }
            return getPaymentAsync(paymentId);
        });
    }

    private ObjectNode cancelBody(CancelRequest request, String currency) {
        ObjectNode body = json.createObjectNode()
                .put("storeId", credentials.storeId())
                .put("reason", request.reason() == null || request.reason().isBlank() ? "cancelled by the shop" : request.reason());
        if (request.amount() != null) {
            body.put("amount", minor(request.amount(), currency));
        }
        if (request.checksum() != null) {
            body.put("currentCancellableAmount", minor(request.checksum(), currency));
        }
        if (request.refundAccount() != null) {
            body.putObject("refundAccount")
                    .put("bank", request.refundAccount().bank())
                    .put("number", request.refundAccount().account())
                    .put("holderName", request.refundAccount().holder());
        }
        return body;
    }

    /**
     * {@code POST /payments/{paymentId}/pre-register}: PortOne's payment window then refuses any other
     * amount or currency for this paymentId (V1's prepare). Waits for the answer: it is part of creating
     * a checkout, not of a flash sale's verifications.
     */
    public void preRegister(String paymentId, BigDecimal amount, String currency) {
        requireId(paymentId);
        ObjectNode body = json.createObjectNode()
                .put("storeId", credentials.storeId())
                .put("totalAmount", minor(amount, currency))
                .put("currency", currency);
        Futures.await(exchange("v2_preRegister", "POST", path(paymentId) + "/pre-register", null, body, null),
                interrupted -> new PortOneUnavailableException("interrupted while waiting for PortOne", 0, interrupted));
    }

    private static long minor(BigDecimal amount, String currency) {
        return V2Money.toMinor(amount, currency);
    }

    /** 16-256 ASCII characters, sent as an RFC 8941 string (double-quoted), as PortOne asks. */
    static String idempotencyKey() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return "cancel-" + HexFormat.of().formatHex(bytes);
    }

    /** {@link #send} with its duration and result reported to the observer (metrics). */
    private CompletableFuture<JsonNode> exchange(String endpoint, String method, String path, String query,
                                                 JsonNode body, String idempotencyKey) {
        long started = System.nanoTime();
        CompletableFuture<JsonNode> answer = send(method, path, query, body, idempotencyKey);
        answer.whenComplete((ok, failure) -> observer.requested(endpoint, PortOneExchange.result(failure),
                Duration.ofNanos(System.nanoTime() - started)));
        return answer;
    }


    /**
     * One exchange, asynchronous, headers and body within the request timeout (the request's own timeout
     * ends when the headers arrive), the body refused past {@link #MAX_ANSWER_BYTES}.
     */
    private CompletableFuture<JsonNode> send(String method, String path, String query, JsonNode body,
                                             String idempotencyKey) {
        String call = method + " " + path;
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path + (query == null ? "" : "?" + query)))
                .timeout(requestTimeout)
                .header("Accept", "application/json")
                .header("Authorization", "PortOne " + credentials.apiSecret());
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", "\"" + idempotencyKey + "\"");
        }
        if (body == null) {
            request.method(method, BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").method(method, BodyPublishers.ofString(write(body), UTF_8));
        }
        return PortOneExchange.send(http, request.build(), MAX_ANSWER_BYTES, requestTimeout, call)
                .thenApply(response -> answer(call, response));
    }

    private JsonNode answer(String call, HttpResponse<String> response) {
        int status = response.statusCode();
        JsonNode answer = parseOrNull(response.body());
        String type = answer == null ? null : shortText(answer.get("type"));
        String message = answer == null ? null : shortText(answer.get("message"));
        String answered = "PortOne " + call + " answered HTTP " + status + (type == null ? "" : " " + type)
                + (message == null ? "" : ": " + message);
        log.debug("{}", answered);
        if (status >= 500) {
            throw new PortOneUnavailableException(answered, status, null);
        }
        if (status == 401 || status == 403) {
            throw new PortOneAuthException(answered);
        }
        if (status == 404) {
            throw new PortOneNotFoundException(answered);
        }
        if (status == 409 && "IDEMPOTENCY_OUTSTANDING_REQUEST".equals(type)) {
            // the first of these requests is still running at PortOne: asking again later helps
            throw new PortOneUnavailableException(answered, status, null);
        }
        if (status < 200 || status > 299) {
            throw PortOneApiException.v2(answered, status, type, message);
        }
        if (answer == null || !answer.isObject()) {
            throw new PortOneBadResponseException("PortOne " + call + " answered HTTP " + status
                    + " with a body that is not a JSON object", status);
        }
        return answer;
    }

    private String write(JsonNode body) {
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a PortOne request body", e);
        }
    }

    /** Null when the body is not JSON. The parser's error is dropped on purpose: it quotes the body. */
    private JsonNode parseOrNull(String body) {
        try {
            JsonNode node = json.readTree(body);
            return node == null || node.isMissingNode() ? null : node;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** PortOne's messages are short sentences; anything else stays out of logs and exceptions. */
    private static String shortText(JsonNode v) {
        if (v == null || !v.isTextual()) {
            return null;
        }
        String s = v.textValue();
        return s.length() > MAX_MESSAGE_CHARS || s.chars().anyMatch(Character::isISOControl) ? null : s;
    }

    private static void requireId(String paymentId) {
        Objects.requireNonNull(paymentId, "paymentId");
        if (paymentId.isBlank()) {
            throw new IllegalArgumentException("paymentId must not be blank");
        }
    }

    private static String path(String paymentId) {
        return "/payments/" + encode(paymentId);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, UTF_8).replace("+", "%20");
    }
}
