package dev.portoneverify.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portoneverify.web.Json;
import io.javalin.Javalin;
import io.javalin.apibuilder.EndpointGroup;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded PortOne V1 simulator: PortOne's REST API on its own port of 127.0.0.1, so the shop reaches it
 * only over HTTP as it would reach the real one, and control endpoints that the shop's app mounts under
 * {@code /sandbox} to play the buyer and PortOne's back office. It follows {@code docs/portone-v1-api.md} §11.
 *
 * <p>Thread-safe. All state is in memory and per instance; {@link #close()} stops it.
 */
public final class PortOneSandbox implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PortOneSandbox.class);
    private static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private final String apiKey;
    private final String apiSecret;
    private final WebhookSender webhooks;
    private final ControlRoutes control;
    private final Javalin api;

    private PortOneSandbox(int port, Clock clock) {
        ObjectMapper json = Json.newMapper();
        SecureRandom random = new SecureRandom();
        // shaped like the console's: a 16-digit key and an 80-character secret
        this.apiKey = randomFrom("0123456789", 16, random);
        this.apiSecret = randomFrom(ALPHANUMERIC, 80, random);
        SandboxPayments payments = new SandboxPayments(clock, random);
        SandboxTokens tokens = new SandboxTokens(clock, random);
        this.webhooks = new WebhookSender(json, clock);
        this.control = new ControlRoutes(payments, tokens, webhooks, json);
        V1Routes v1 = new V1Routes(payments, tokens, webhooks, apiKey, apiSecret, json, clock);
        this.api = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            v1.register(config.routes);
        });
        try {
            // loopback only: nothing outside this machine can pay or cancel through the sandbox
            api.start("127.0.0.1", port);
        } catch (RuntimeException e) {
            webhooks.close();
            throw e;
        }
        log.info("PortOne V1 sandbox listening on {}", apiUrl());
    }

    /**
     * Starts the V1 REST surface on 127.0.0.1:{@code port} (0 = any free port), with a fresh random API key
     * and secret. {@code clock} drives token lifetimes and every timestamp the simulator writes.
     */
    public static PortOneSandbox start(int port, Clock clock) {
        return new PortOneSandbox(port, Objects.requireNonNull(clock, "clock"));
    }

    /** The base URL of the V1 API, e.g. {@code http://127.0.0.1:41234}; what the shop's PortOne client uses. */
    public URI apiUrl() {
        return URI.create("http://127.0.0.1:" + api.port());
    }

    /** The {@code imp_key} getToken accepts. */
    public String apiKey() {
        return apiKey;
    }

    /** The {@code imp_secret} getToken accepts; random per start, so it is no secret worth keeping. */
    public String apiSecret() {
        return apiSecret;
    }

    /** Where webhooks go (the shop's {@code /portone-webhook}); null stops delivering them. */
    public void webhookUrl(URI url) {
        webhooks.url(url);
    }

    /** How webhooks are encoded from now on; {@link WebhookFormat#JSON} until set. */
    public void webhookFormat(WebhookFormat format) {
        webhooks.format(Objects.requireNonNull(format, "format"));
    }

    /**
     * The control endpoints, with paths relative to where they are mounted, e.g.
     * {@code path("sandbox", sandbox.controlRoutes())}. They answer errors by throwing
     * {@link dev.portoneverify.web.ApiException}, which the host app must map.
     */
    public EndpointGroup controlRoutes() {
        return control.endpoints();
    }

    /** Stops the API and drops webhooks not yet sent. */
    @Override
    public void close() {
        api.stop();
        webhooks.close();
    }

    private static String randomFrom(String alphabet, int length, SecureRandom random) {
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return s.toString();
    }
}
