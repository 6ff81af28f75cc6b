package dev.portoneverify.user;

import dev.portoneverify.web.ApiException;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Who may read a buyer or order for them (issue 15): whoever holds the buyer's own token, returned
 * once when the buyer is created ({@code POST /users}), or the shop's backend with ADMIN_TOKEN. Both
 * come as {@code Authorization: Bearer ...}. User ids are small numbers anyone can guess; the token is
 * 256 random bits, and only its SHA-256 is stored, so a copy of the database opens no buyer.
 *
 * <p>A wrong token and an unknown id get the same answer, so ids cannot be probed with it.
 */
public final class BuyerAccess {
    private final BuyerTokenDao tokens;
    private final byte[] adminToken;
    private final SecureRandom random = new SecureRandom();

    /** {@code adminToken}: ADMIN_TOKEN, or null when the shop has none. */
    public BuyerAccess(BuyerTokenDao tokens, String adminToken) {
        this.tokens = tokens;
        this.adminToken = adminToken == null ? null : adminToken.getBytes(StandardCharsets.UTF_8);
    }

    /** A fresh token for a new buyer; store {@link #hash} of it, hand it to the buyer once. */
    String newToken() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /**
     * Returns normally when the request may act for buyer {@code userId}.
     *
     * @throws ApiException 401 without a bearer token; {@code notFound} (built by the caller, e.g.
     *                      404 or 422) when the token is not this buyer's or there is no such buyer
     */
    public void check(Context ctx, long userId, ApiException notFound) {
        String presented = bearer(ctx);
        if (presented == null) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw new ApiException(401, "unauthorized",
                    "send Authorization: Bearer <the token POST /users returned for this buyer>");
        }
        if (adminToken != null && MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8), adminToken)) {
            return;
        }
        Optional<String> stored = tokens.hashOf(userId);
        if (stored.isEmpty() || !MessageDigest.isEqual(stored.get().getBytes(StandardCharsets.UTF_8),
                hash(presented).getBytes(StandardCharsets.UTF_8))) {
            throw notFound;
        }
    }

    private static String bearer(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = header.substring(7).strip();
        return token.isEmpty() || token.length() > 200 ? null : token;
    }
}
