package dev.portoneverify;

import dev.portoneverify.reconcile.Reconciler;
import dev.portoneverify.sms.SmsDispatcher;
import io.javalin.Javalin;
import java.time.Duration;

/** The assembled server: the HTTP app and the background workers that start and stop with it. */
public record Server(Javalin app, SmsDispatcher sms, Reconciler reconciler, Duration reconcileInterval) {

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
    }
}
