package dev.portoneverify.web;

import dev.portoneverify.text.LogSafe;
import io.javalin.http.Context;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One log line per request, with a request id (also sent back as {@code X-Request-Id}) and the
 * {@code imp_uid} / {@code merchant_uid} the handlers found. Bodies, headers and query strings are
 * never logged: they may carry phone numbers, and PortOne's answers are not ours to print.
 */
public final class RequestLog {
    private static final Logger log = LoggerFactory.getLogger("request");
    private static final String ID = "request-id";
    public static final String IMP_UID = "imp_uid";
    public static final String MERCHANT_UID = "merchant_uid";
    /** The outcome word a handler answered with (e.g. {@code unknown_payment}); rate limits read it too. */
    public static final String VERDICT = "verdict";

    private final SecureRandom random = new SecureRandom();

    public void assignId(Context ctx) {
        byte[] bytes = new byte[6];
        random.nextBytes(bytes);
        String id = HexFormat.of().formatHex(bytes);
        ctx.attribute(ID, id);
        ctx.header("X-Request-Id", id);
    }

    public void log(Context ctx, Float millis) {
        StringBuilder line = new StringBuilder()
                .append("req=").append((String) ctx.attribute(ID)).append(' ')
                .append(ctx.method()).append(' ').append(ctx.path()).append(' ')
                .append(ctx.statusCode()).append(' ').append(Math.round(millis)).append("ms");
        appendIfSet(line, ctx, IMP_UID);
        appendIfSet(line, ctx, MERCHANT_UID);
        appendIfSet(line, ctx, VERDICT);
        log.info("{}", line);
    }

    /** Handlers record what they learned, so that the request line names the payment. */
    public static void note(Context ctx, String key, String value) {
        if (value != null) {
            ctx.attribute(key, value);
        }
    }

    private static void appendIfSet(StringBuilder line, Context ctx, String key) {
        Object value = ctx.attribute(key);
        if (value != null) {
            // merchant_uid may be PortOne's, which the buyer chose
            line.append(' ').append(key).append('=').append(LogSafe.of(value));
        }
    }
}
