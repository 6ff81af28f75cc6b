package dev.portoneverify;

import dev.portoneverify.reconcile.Reconciler;
import dev.portoneverify.sandbox.PortOneSandbox;
import dev.portoneverify.sandbox.v2.PortOneV2Sandbox;
import dev.portoneverify.sms.SmsDispatcher;
import io.javalin.Javalin;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The assembled server: the HTTP app, the background workers that start with it, the embedded
 * sandbox (null in live mode), and everything that must be closed when it stops.
 */
public record Server(Javalin app, SmsDispatcher sms, Reconciler reconciler, Duration reconcileInterval,
                     PortOneSandbox sandbox, PortOneV2Sandbox sandboxV2, List<AutoCloseable> closeOnStop) {
    private static final Logger log = LoggerFactory.getLogger(Server.class);
    /** How often the SMS outbox is checked for retries whose backoff has passed. */
    private static final Duration SMS_RETRY_CHECK = Duration.ofSeconds(15);

    /** Listens on every interface, as a shop's server must. */
    public Server start(int port) {
        app.start(port);
        return started();
    }

    /** Listens on {@code host} only: for a server nobody else should reach, such as the self-test's. */
    public Server start(String host, int port) {
        app.start(host, port);
        return started();
    }

    private Server started() {
        if (sandbox != null) {
            // the sandbox calls our webhook the way PortOne would: over HTTP, from outside
            sandbox.webhookUrl(URI.create("http://127.0.0.1:" + app.port() + "/portone-webhook"));
        }
        if (sandboxV2 != null) {
            sandboxV2.webhookUrl(URI.create("http://127.0.0.1:" + app.port() + "/portone-webhook/v2"));
        }
        sms.start(SMS_RETRY_CHECK);
        if (!reconcileInterval.isZero()) {
            reconciler.start(reconcileInterval);
        }
        return this;
    }

    public int port() {
        return app.port();
    }

    public void stop() {
        app.stop();
        reconciler.close();
        sms.close();
        for (AutoCloseable resource : closeOnStop) {
            try {
                resource.close();
            } catch (Exception e) {
                log.warn("closing {} failed: {}", resource, e.toString());
            }
        }
    }
}
