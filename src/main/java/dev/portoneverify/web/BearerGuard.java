package dev.portoneverify.web;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Lets through only {@code Authorization: Bearer <token>}, compared in constant time; for /metrics. */
public final class BearerGuard {
    private final byte[] expected;
    private final String name;

    /** {@code name} is the variable that holds the token, for the refusal's message. */
    public BearerGuard(String token, String name) {
        this.expected = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
        this.name = name;
    }

    public void check(Context ctx) {
        String header = ctx.header("Authorization");
        byte[] presented = header == null ? new byte[0] : header.getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(presented, expected)) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw new ApiException(401, "unauthorized", "send Authorization: Bearer <" + name + ">");
        }
    }
}
