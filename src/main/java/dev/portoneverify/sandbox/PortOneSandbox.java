package dev.portoneverify.sandbox;

import static io.javalin.apibuilder.ApiBuilder.path;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portoneverify.web.ApiException;
import dev.portoneverify.web.Json;
import dev.portoneverify.web.StatusMessage;
import io.javalin.Javalin;
import io.javalin.apibuilder.EndpointGroup;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Objects;

/**
 * The embedded PortOne V1 simulator: PortOne's REST API on a port of its own, so the shop reaches it only
 * over HTTP as it would reach the real one, and control endpoints to play the buyer and PortOne's back
 * office: mounted by the shop's app under {@code /sandbox}, or served beside the API when the sandbox runs
 * alone. It follows {@code docs/portone-v1-api.md} §11 and PortOne's V1 OpenAPI document.
 *
 * <p>Thread-safe. State is kept in a SQLite file of its own when {@link Settings#database()} names one,
 * else in memory; {@link #close()} stops it.
 */
public final class PortOneSandbox implements AutoCloseable {
    /**
     * How to run it. {@code database} null keeps everything in memory (tests); {@code serveControl} also
     * serves the control API under {@code /sandbox} on the API's own port (the standalone command).
     */
    public record Settings(String host, int port, String apiKey, String apiSecret, Path database, boolean serveControl) {
        /** The documented test credentials: no secret at all, so that any program on the machine can use them. */
        public static final String TEST_API_KEY = "sandbox_imp_key";
        public static final String TEST_API_SECRET = "sandbox_imp_secret_for_local_testing_only";
        public static final int DEFAULT_PORT = 7071;
        public static final String LOOPBACK = "127.0.0.1";

        public Settings {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(apiKey, "apiKey");
            Objects.requireNonNull(apiSecret, "apiSecret");
        }

        /** Loopback, the test credentials, nothing kept: what a test wants, on {@code port} (0 = any free one). */
        public static Settings inMemory(int port) {
            return new Settings(LOOPBACK, port, TEST_API_KEY, TEST_API_SECRET, null, false);
        }

        public Settings servingControl() {
            return new Settings(host, port, apiKey, apiSecret, database, true);
        }
    }

    private final Settings settings;
    private final SandboxStore store;
    private final WebhookSender webhooks;
    private final ControlRoutes control;
    private final Javalin api;

    private PortOneSandbox(Settings settings, Clock clock) {
        this.settings = settings;
        ObjectMapper json = Json.newMapper();
        SecureRandom random = new SecureRandom();
        this.store = settings.database() == null ? SandboxStore.IN_MEMORY : SqliteSandboxStore.open(settings.database(), json);
        try {
            SandboxStore.Contents kept = store.load();
            SandboxPayments payments = new SandboxPayments(clock, random, store, kept);
            SandboxTokens tokens = new SandboxTokens(clock, random, store, kept.token());
            this.webhooks = new WebhookSender(json, clock);
            this.control = new ControlRoutes(payments, tokens, webhooks, json);
            V1Routes v1 = new V1Routes(payments, tokens, webhooks, settings.apiKey(), settings.apiSecret(), json, clock);
            this.api = Javalin.create(config -> {
                config.startup.showJavalinBanner = false;
                if (settings.serveControl()) {
                    config.routes.apiBuilder(() -> path("sandbox", control.endpoints()));
                    config.routes.exception(ApiException.class, (e, ctx) -> ctx.status(e.httpStatus())
                            .json(new StatusMessage(e.status(), e.getMessage())));
                }
                v1.register(config.routes);
            });
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        try {
            api.start(settings.host(), settings.port());
        } catch (RuntimeException e) {
            webhooks.close();
            store.close();
            throw e;
        }
    }

    /**
     * What a program needs to use it: base URL, key, secret (unless one of the user's own, which stays out
     * of logs) and where its state is kept. The host prints it once everything listens.
     */
    public String describe() {
        return "PortOne V1 sandbox at " + apiUrl() + " (imp_key " + settings.apiKey() + ", imp_secret "
                + (settings.apiSecret().equals(Settings.TEST_API_SECRET) ? settings.apiSecret() : "from SANDBOX_API_SECRET")
                + "; state in " + store + ")";
    }

    /** Starts the V1 REST surface as {@code settings} say. {@code clock} drives token lifetimes and every timestamp. */
    public static PortOneSandbox start(Settings settings, Clock clock) {
        return new PortOneSandbox(Objects.requireNonNull(settings, "settings"), Objects.requireNonNull(clock, "clock"));
    }

    /** {@link Settings#inMemory}: loopback, the test credentials, a fresh PortOne on every start. */
    public static PortOneSandbox start(int port, Clock clock) {
        return start(Settings.inMemory(port), clock);
    }

    /**
     * The base URL of the V1 API, e.g. {@code http://127.0.0.1:7071}; what the shop's PortOne client uses.
     * When listening on every interface, the loopback address still reaches it.
     */
    public URI apiUrl() {
        String host = settings.host().equals("0.0.0.0") || settings.host().equals("::") ? Settings.LOOPBACK : settings.host();
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + api.port());
    }

    /** The {@code imp_key} getToken accepts. */
    public String apiKey() {
        return settings.apiKey();
    }

    /** The {@code imp_secret} getToken accepts. */
    public String apiSecret() {
        return settings.apiSecret();
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
     * {@link ApiException}, which the host app must map.
     */
    public EndpointGroup controlRoutes() {
        return control.endpoints();
    }

    /** Stops the API, drops webhooks not yet sent, and closes the store (everything in it is written already). */
    @Override
    public void close() {
        api.stop();
        webhooks.close();
        store.close();
    }
}
