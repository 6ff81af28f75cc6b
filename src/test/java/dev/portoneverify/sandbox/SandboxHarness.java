package dev.portoneverify.sandbox;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portoneverify.web.ApiException;
import dev.portoneverify.web.Json;
import dev.portoneverify.web.StatusMessage;
import dev.portoneverify.testsupport.MutableClock;
import io.javalin.Javalin;
import io.javalin.apibuilder.ApiBuilder;
import io.javalin.json.JavalinJackson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A sandbox on a hand-moved clock, plus a throwaway "shop" on port 0 that mounts the control routes under
 * {@code /sandbox} (mapping {@link ApiException} as the real App does) and records every webhook that
 * reaches its {@code /portone-webhook}. The receiver only records; tests assert afterwards.
 */
final class SandboxHarness implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** One HTTP answer, its body parsed as JSON. */
    record Answer(int status, JsonNode body) {
        String text(String field) {
            return body.path(field).asText(null);
        }
    }

    /** One webhook as it arrived. */
    record Webhook(String contentType, String body) {
        /** The fields, from a JSON or a form body. */
        Map<String, String> fields() {
            Map<String, String> fields = new LinkedHashMap<>();
            if (contentType != null && contentType.startsWith("application/x-www-form-urlencoded")) {
                for (String pair : body.split("&")) {
                    String[] kv = pair.split("=", 2);
                    fields.put(URLDecoder.decode(kv[0], UTF_8), kv.length > 1 ? URLDecoder.decode(kv[1], UTF_8) : "");
                }
            } else {
                try {
                    new ObjectMapper().readTree(body).properties().forEach(e -> fields.put(e.getKey(), e.getValue().asText()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return fields;
        }
    }

    final MutableClock clock;
    final PortOneSandbox sandbox;
    final ObjectMapper json = Json.newMapper();
    private final BlockingQueue<Webhook> webhooks = new LinkedBlockingQueue<>();
    private final Javalin shop;

    SandboxHarness() {
        this(MutableClock.startingNow(), null);
    }

    /** A sandbox keeping its state in {@code database} (null: in memory), on {@code clock}: to restart one. */
    SandboxHarness(MutableClock clock, Path database) {
        this.clock = clock;
        this.sandbox = PortOneSandbox.start(new PortOneSandbox.Settings(PortOneSandbox.Settings.LOOPBACK, 0,
                PortOneSandbox.Settings.TEST_API_KEY, PortOneSandbox.Settings.TEST_API_SECRET, database, false), clock);
        shop = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.jsonMapper(new JavalinJackson(json, false));
            config.routes.apiBuilder(() -> ApiBuilder.path("sandbox", sandbox.controlRoutes()));
            config.routes.post("/portone-webhook", ctx -> webhooks.add(new Webhook(ctx.contentType(), ctx.body())));
            config.routes.exception(ApiException.class, (e, ctx) ->
                    ctx.status(e.httpStatus()).json(new StatusMessage(e.status(), e.getMessage())));
        });
        shop.start("127.0.0.1", 0);
        sandbox.webhookUrl(URI.create(shopUrl("/portone-webhook")));
    }

    @Override
    public void close() {
        // the sandbox first, so that no webhook is still on its way to a stopped shop
        sandbox.close();
        shop.stop();
    }

    String shopUrl(String path) {
        return "http://127.0.0.1:" + shop.port() + path;
    }

    // ---- the V1 surface

    String token() {
        Answer a = v1Json("POST", "/users/getToken", null,
                Map.of("imp_key", sandbox.apiKey(), "imp_secret", sandbox.apiSecret()));
        if (a.status() != 200) {
            throw new IllegalStateException("getToken answered " + a);
        }
        return a.body().path("response").path("access_token").asText();
    }

    /** A V1 call with {@code Authorization: Bearer token} (none when token is null) and an optional JSON body. */
    Answer v1Json(String method, String path, String token, Object body) {
        HttpRequest.Builder r = HttpRequest.newBuilder(sandbox.apiUrl().resolve(path));
        if (token != null) {
            r.header("Authorization", "Bearer " + token);
        }
        return send(withJson(r, method, body));
    }

    /** A V1 call with a form-encoded body. */
    Answer v1Form(String path, String token, Map<String, String> fields) {
        HttpRequest.Builder r = HttpRequest.newBuilder(sandbox.apiUrl().resolve(path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(BodyPublishers.ofString(form(fields)));
        if (token != null) {
            r.header("Authorization", "Bearer " + token);
        }
        return send(r);
    }

    /** A V1 GET with any header, to try the token forms. */
    Answer v1Get(String path, String header, String value) {
        return send(HttpRequest.newBuilder(sandbox.apiUrl().resolve(path)).header(header, value).GET());
    }

    Answer getPayment(String impUid) {
        return v1Json("GET", "/payments/" + impUid, token(), null);
    }

    Answer cancel(Map<String, Object> body) {
        return v1Json("POST", "/payments/cancel", token(), body);
    }

    // ---- the control API, as the shop serves it

    Answer control(String method, String path, Object body) {
        return send(withJson(HttpRequest.newBuilder(URI.create(shopUrl("/sandbox" + path))), method, body));
    }

    /** Pays by card and returns the new imp_uid. */
    String payByCard(String merchantUid, long amount) {
        return created(control("POST", "/payments", Map.of("merchant_uid", merchantUid, "amount", amount)));
    }

    String issueVbank(String merchantUid, long amount) {
        return created(control("POST", "/payments", Map.of("merchant_uid", merchantUid, "amount", amount,
                "pay_method", "vbank")));
    }

    String created(Answer a) {
        if (a.status() != 201) {
            throw new IllegalStateException("the sandbox did not create the payment: " + a);
        }
        return a.text("imp_uid");
    }

    // ---- webhooks received

    /** The next webhook, or null after a few seconds. */
    Webhook nextWebhook() {
        try {
            return webhooks.poll(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits for {@code n} webhooks (fewer if they do not come within a few seconds each). */
    List<Webhook> webhooks(int n) {
        List<Webhook> got = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Webhook w = nextWebhook();
            if (w == null) {
                break;
            }
            got.add(w);
        }
        return got;
    }

    /** Webhooks that arrived and were not taken yet, after a short grace period for late ones. */
    List<Webhook> remainingWebhooks() {
        try {
            Thread.sleep(300);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<Webhook> rest = new ArrayList<>();
        webhooks.drainTo(rest);
        return rest;
    }

    /**
     * The sandbox's delivery log once it holds {@code size} entries (or as it is after a few seconds): an
     * entry is written when the shop has answered, which can be just after the shop saw the webhook.
     */
    JsonNode deliveryLog(int size) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        JsonNode log = control("GET", "/webhooks", null).body();
        while (log.size() < size && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            log = control("GET", "/webhooks", null).body();
        }
        return log;
    }

    // ---- plumbing

    private HttpRequest.Builder withJson(HttpRequest.Builder r, String method, Object body) {
        if (body == null) {
            return r.method(method, BodyPublishers.noBody());
        }
        try {
            return r.header("Content-Type", "application/json")
                    .method(method, BodyPublishers.ofString(json.writeValueAsString(body), UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Answer send(HttpRequest.Builder request) {
        try {
            var r = HTTP.send(request.timeout(Duration.ofSeconds(40)).build(), BodyHandlers.ofString(UTF_8));
            return new Answer(r.statusCode(), r.body().isEmpty() ? json.missingNode() : json.readTree(r.body()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String form(Map<String, String> fields) {
        StringBuilder s = new StringBuilder();
        fields.forEach((k, v) -> s.append(s.length() == 0 ? "" : "&").append(URLEncoder.encode(k, UTF_8))
                .append('=').append(URLEncoder.encode(v, UTF_8)));
        return s.toString();
    }
}
