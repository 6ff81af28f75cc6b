package dev.portoneverify;

import dev.portoneverify.sms.SmsDispatcher;
import io.javalin.Javalin;

/** The assembled server: the HTTP app and the background workers that stop with it. */
public record Server(Javalin app, SmsDispatcher sms) {

    public Server start(int port) {
        app.start(port);
        return this;
    }

    public int port() {
        return app.port();
    }

    public void stop() {
        app.stop();
        sms.close();
    }
}
