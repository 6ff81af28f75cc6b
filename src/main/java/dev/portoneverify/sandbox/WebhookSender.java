package dev.portoneverify.sandbox;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts webhooks the way PortOne V1 does (docs §7): {@code {imp_uid, merchant_uid, status}} plus
 * {@code cancellation_id} for cancels, as JSON or form data, on background threads so that nobody waits for
 * the shop, with a 10 s connect and 30 s answer limit, and once: no retries (PortOne's default).
 * Every attempt goes into a bounded delivery log. Thread-safe.
 */
final class WebhookSender implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);
    /** The log is for looking at what happened lately, not an archive. */
    private static final int LOG_LIMIT = 500;

    /** What a webhook says; {@code cancellationId} only for cancels. */
    record Notice(String impUid, String merchantUid, String status, String cancellationId) {
        static Notice of(PaymentSnapshot p) {
            return new Notice(p.impUid(), p.merchantUid(), p.status(),
                    p.status().equals("cancelled") ? p.lastCancellationId() : null);
        }
    }

    /** One attempt: the shop's HTTP status, or why there was none. */
    record Delivery(String impUid, String merchantUid, String status, String cancellationId, String format, String url,
                    Integer httpStatus, String error, Instant attemptedAt) {}

    private final ObjectMapper json;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
    private final ExecutorService executor;
    private volatile URI url;
    private volatile WebhookFormat format = WebhookFormat.JSON;
    // guarded by itself
    private final Deque<Delivery> deliveries = new ArrayDeque<>();

    WebhookSender(ObjectMapper json, Clock clock) {
        this.json = json;
        this.clock = clock;
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "portone-sandbox-webhook-" + n.incrementAndGet());
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

    void format(WebhookFormat format) {
        this.format = format;
    }

    /** Sends once in the background with the configured format; nothing when no URL is set. */
    void send(Notice notice) {
        URI target = url;
        if (target != null) {
            deliverLater(notice, format, target);
        }
    }

    /**
     * Sends {@code times} copies at once, as PortOne's duplicate deliveries may overlap, and waits for all
     * of them (each is bounded by the timeouts above). {@code format} null means the configured one.
     *
     * @throws IllegalStateException when no webhook URL is set
     */
    List<Delivery> sendCopies(Notice notice, int times, WebhookFormat format) {
        URI target = url;
        if (target == null) {
            throw new IllegalStateException("no webhook URL is set");
        }
        WebhookFormat f = format == null ? this.format : format;
        List<CompletableFuture<Delivery>> sent = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            sent.add(deliverLater(notice, f, target));
        }
        return sent.stream().map(CompletableFuture::join).toList();
    }

    /** The delivery log, oldest first. */
    List<Delivery> deliveries() {
        synchronized (deliveries) {
            return List.copyOf(deliveries);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    private CompletableFuture<Delivery> deliverLater(Notice notice, WebhookFormat f, URI target) {
        return CompletableFuture.supplyAsync(() -> record(deliver(notice, f, target)), executor);
    }

    private Delivery deliver(Notice notice, WebhookFormat f, URI target) {
        Instant attemptedAt = clock.instant();
        Integer status = null;
        String error = null;
        try {
            HttpResponse<Void> answer = http.send(HttpRequest.newBuilder(target)
                    .timeout(ANSWER_TIMEOUT)
                    .header("Content-Type", f == WebhookFormat.JSON ? "application/json" : "application/x-www-form-urlencoded")
                    .POST(BodyPublishers.ofString(body(notice, f), UTF_8))
                    .build(), BodyHandlers.discarding());
            status = answer.statusCode();
        } catch (IOException e) {
            error = e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = "interrupted: the sandbox is stopping";
        }
        log.info("sandbox webhook {} {} as {} to {}: {}", notice.impUid(), notice.status(), f.wireName(), target,
                status != null ? "HTTP " + status : error);
        return new Delivery(notice.impUid(), notice.merchantUid(), notice.status(), notice.cancellationId(),
                f.wireName(), target.toString(), status, error, attemptedAt);
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

    private String body(Notice notice, WebhookFormat f) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("imp_uid", notice.impUid());
        fields.put("merchant_uid", notice.merchantUid());
        fields.put("status", notice.status());
        if (notice.cancellationId() != null) {
            fields.put("cancellation_id", notice.cancellationId());
        }
        if (f == WebhookFormat.FORM) {
            return fields.entrySet().stream()
                    .map(e -> URLEncoder.encode(e.getKey(), UTF_8) + "=" + URLEncoder.encode(e.getValue(), UTF_8))
                    .collect(Collectors.joining("&"));
        }
        try {
            return json.writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a webhook body", e);
        }
    }
}
