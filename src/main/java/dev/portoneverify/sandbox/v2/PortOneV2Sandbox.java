package dev.portoneverify.sandbox.v2;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portoneverify.web.Json;
import io.javalin.Javalin;
import io.javalin.apibuilder.EndpointGroup;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded PortOne V2 simulator: V2's REST API on its own port of 127.0.0.1 (V2's paths would collide
 * with V1's), signed {@code 2024-04-25} webhooks to the shop, and control endpoints the shop mounts under
 * {@code /sandbox/v2}. Its API secret, store id, channel key and webhook secret are fixed test values, printed
 * at start-up, so a walkthrough can use them and nobody mistakes them for real ones.
 *
 * <p>Thread-safe. All state is in memory and per instance; {@link #close()} stops it.
 */
public final class PortOneV2Sandbox implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PortOneV2Sandbox.class);
    public static final String API_SECRET = "sandbox-v2-api-secret-not-a-real-one-0123456789";
    public static final String STORE_ID = "store-00000000-0000-4000-8000-5a4db0c00001";
    public static final String CHANNEL_KEY = "channel-key-00000000-0000-4000-8000-5a4db0c00002";
    /** {@code whsec_} + base64 of a fixed 32-byte text: a sandbox-only webhook secret. */
    public static final String WEBHOOK_SECRET = "whsec_" + Base64.getEncoder().encodeToString(
            "portone-verify sandbox V2 hooks!".getBytes(StandardCharsets.US_ASCII));

    private final V2WebhookSender webhooks;
    private final V2ControlRoutes control;
    private final Javalin api;

    private PortOneV2Sandbox(int port, Clock clock) {
        ObjectMapper json = Json.newMapper();
        SecureRandom random = new SecureRandom();
        byte[] key = Base64.getDecoder().decode(WEBHOOK_SECRET.substring("whsec_".length()));
        V2Store store = new V2Store(clock, random, json, STORE_ID, CHANNEL_KEY);
        this.webhooks = new V2WebhookSender(json, clock, key, STORE_ID, random);
        this.control = new V2ControlRoutes(store, webhooks, json);
        V2ApiRoutes routes = new V2ApiRoutes(store, webhooks, json, API_SECRET, STORE_ID);
        this.api = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            routes.register(config.routes);
        });
        try {
            api.start("127.0.0.1", port);
        } catch (RuntimeException e) {
            webhooks.close();
            throw e;
        }
        log.debug("PortOne V2 sandbox listening on {}", apiUrl());
    }

    /** Where it listens and its fixed test values, for the start-up log: they are printed, not kept secret. */
    public String describe() {
        return "PortOne V2 sandbox on " + apiUrl() + ": store " + STORE_ID + ", channel key " + CHANNEL_KEY
                + ", API secret " + API_SECRET + ", webhook secret " + WEBHOOK_SECRET + " (test values, not secrets)";
    }

    /** Starts on 127.0.0.1:{@code port} (0 = any free port); {@code clock} stamps every time it writes. */
    public static PortOneV2Sandbox start(int port, Clock clock) {
        return new PortOneV2Sandbox(port, Objects.requireNonNull(clock, "clock"));
    }

    public URI apiUrl() {
        return URI.create("http://127.0.0.1:" + api.port());
    }

    /** Where webhooks go (the shop's {@code /portone-webhook/v2}); null stops delivering them. */
    public void webhookUrl(URI url) {
        webhooks.url(url);
    }

    /** The control endpoints, relative to where they are mounted ({@code /sandbox/v2}). */
    public EndpointGroup controlRoutes() {
        return control.endpoints();
    }

    @Override
    public void close() {
        api.stop();
        webhooks.close();
    }
}
