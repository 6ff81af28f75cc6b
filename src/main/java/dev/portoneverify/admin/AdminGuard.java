package dev.portoneverify.admin;

import dev.portoneverify.web.ApiException;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Lets through only requests with {@code Authorization: Bearer <ADMIN_TOKEN>}. The comparison
 * takes the same time whatever the guess, so the token cannot be found one character at a time.
 */
public final class AdminGuard {
    private final byte[] token;

    public AdminGuard(String token) {
        this.token = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    }

    public void check(Context ctx) {
        String header = ctx.header("Authorization");
        byte[] presented = header == null ? new byte[0] : header.getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(presented, token)) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw new ApiException(401, "unauthorized", "send Authorization: Bearer <ADMIN_TOKEN>");
        }
    }
}
