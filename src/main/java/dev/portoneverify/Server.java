package dev.portoneverify;

import dev.portoneverify.reconcile.Reconciler;
import dev.portoneverify.sms.SmsDispatcher;
import io.javalin.Javalin;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The assembled server: the HTTP app, the background workers that start with it, and everything
 * that must be closed when it stops (in the order given).
 */
public record Server(Javalin app, SmsDispatcher sms, Reconciler reconciler, Duration reconcileInterval,
                     List<AutoCloseable> closeOnStop) {
    private static final Logger log = LoggerFactory.getLogger(Server.class);
    /** How often the SMS outbox is checked for retries whose backoff has passed. */
    private static final Duration SMS_RETRY_CHECK = Duration.ofSeconds(15);

    public Server start(int port) {
        app.start(port);
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
