package dev.portoneverify.sandbox.v2;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts V2 webhooks the way PortOne does with version {@code 2024-04-25} (DEV/wh2): JSON
 * {@code {type, timestamp, data: {storeId, paymentId, transactionId, cancellationId?}}}, signed per Standard
 * Webhooks ({@code webhook-id}, {@code webhook-timestamp}, {@code webhook-signature: v1,<base64 HMAC-SHA256 of
 * id.timestamp.body>}), on background threads, with 30 s connect and answer limits, once. The signing is
 * written here on its own, not borrowed from the shop's verifier, so that the two check each other.
 */
final class V2WebhookSender implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(V2WebhookSender.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final int LOG_LIMIT = 500;

    /** What a webhook says. */
    record Notice(String type, String paymentId, String transactionId, String cancellationId) {}

    /** One attempt: the shop's HTTP status, or why there was none. */
    record Delivery(String webhookId, String type, String paymentId, String url, Integer httpStatus, String error,
                    Instant attemptedAt) {}

    private final ObjectMapper json;
    private final Clock clock;
    private final byte[] key;
    private final String storeId;
    private final SecureRandom random;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final ExecutorService executor;
    private volatile URI url;
    // guarded by itself
    private final Deque<Delivery> deliveries = new ArrayDeque<>();

    V2WebhookSender(ObjectMapper json, Clock clock, byte[] key, String storeId, SecureRandom random) {
        this.json = json;
        this.clock = clock;
        this.key = key.clone();
        this.storeId = storeId;
        this.random = random;
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "portone-v2-sandbox-webhook-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    void url(URI url) {
        this.url = url;
    }

    URI url() {
        return url;
    }

    /** Sends once in the background; nothing when no URL is set. */
    void send(Notice notice) {
        URI target = url;
        if (target != null) {
            CompletableFuture.runAsync(() -> record(deliver(notice, target)), executor);
        }
    }

    /** Sends {@code times} copies at once, as overlapping resends, and waits for every answer. */
    List<Delivery> sendCopies(Notice notice, int times) {
        URI target = url;
        if (target == null) {
            throw new IllegalStateException("no webhook URL is set");
        }
        List<CompletableFuture<Delivery>> sent = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            sent.add(CompletableFuture.supplyAsync(() -> record(deliver(notice, target)), executor));
        }
        return sent.stream().map(CompletableFuture::join).toList();
    }

    List<Delivery> deliveries() {
        synchronized (deliveries) {
            return List.copyOf(deliveries);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    private Delivery deliver(Notice notice, URI target) {
        Instant now = clock.instant();
        byte[] idBytes = new byte[12];
        random.nextBytes(idBytes);
        String webhookId = "msg_" + HexFormat.of().formatHex(idBytes);
        long timestamp = now.getEpochSecond();
        byte[] body = body(notice, now);
        Integer status = null;
        String error = null;
        try {
            HttpResponse<Void> answer = http.send(HttpRequest.newBuilder(target)
                    .timeout(TIMEOUT)
                    .header("Content-Type", "application/json")
                    .header("webhook-id", webhookId)
                    .header("webhook-timestamp", Long.toString(timestamp))
                    .header("webhook-signature", "v1," + sign(webhookId + "." + timestamp + ".", body))
                    .POST(BodyPublishers.ofByteArray(body))
                    .build(), BodyHandlers.discarding());
            status = answer.statusCode();
        } catch (IOException e) {
            error = e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = "interrupted: the sandbox is stopping";
        }
        log.info("sandbox V2 webhook {} {} to {}: {}", notice.type(), notice.paymentId(), target,
                status != null ? "HTTP " + status : error);
        return new Delivery(webhookId, notice.type(), notice.paymentId(), target.toString(), status, error, now);
    }

    private byte[] body(Notice notice, Instant now) {
        ObjectNode root = json.createObjectNode().put("type", notice.type()).put("timestamp", now.toString());
        ObjectNode data = root.putObject("data").put("storeId", storeId).put("paymentId", notice.paymentId())
                .put("transactionId", notice.transactionId());
        if (notice.cancellationId() != null) {
            data.put("cancellationId", notice.cancellationId());
        }
        try {
            return json.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a webhook body", e);
        }
    }

    private String sign(String prefix, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(prefix.getBytes(UTF_8));
            return Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 is unavailable", e);
        }
    }

    private Delivery record(Delivery d) {
        synchronized (deliveries) {
            deliveries.addLast(d);
            if (deliveries.size() > LOG_LIMIT) {
                deliveries.removeFirst();
            }
        }
        return d;
    }
}
