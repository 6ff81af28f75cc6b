package dev.portoneverify.sandbox;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;

/**
 * Access tokens by PortOne's rules (docs §2): one token per API key, 40 lowercase hex characters, valid for
 * 30 minutes. Asking again while it is valid returns the same token and expiry, extended by 5 minutes when
 * less than a minute is left, so that many shop servers with skewed clocks can share one key.
 * Thread-safe; all times come from the injected clock. The token is stored, so one issued before a
 * restart stays valid until its expiry, as PortOne's would.
 */
final class SandboxTokens {
    static final long LIFETIME_SECONDS = 30 * 60;
    static final long LAST_MINUTE_SECONDS = 60;
    static final long EXTENSION_SECONDS = 5 * 60;

    /** What getToken answers; times in UNIX seconds. */
    record Issued(String accessToken, long expiredAt, long now) {}

    private final Clock clock;
    private final SecureRandom random;
    private final SandboxStore store;
    // guarded by this
    private String token;
    private long expiresAt;

    SandboxTokens(Clock clock, SecureRandom random, SandboxStore store, SandboxStore.Token stored) {
        this.clock = clock;
        this.random = random;
        this.store = store;
        this.token = stored.token();
        this.expiresAt = stored.expiresAt();
    }

    synchronized Issued issue() {
        long now = now();
        if (token == null || now >= expiresAt) {
            byte[] bytes = new byte[20];
            random.nextBytes(bytes);
            keep(HexFormat.of().formatHex(bytes), now + LIFETIME_SECONDS);
        } else if (expiresAt - now < LAST_MINUTE_SECONDS) {
            keep(token, expiresAt + EXTENSION_SECONDS);
        }
        return new Issued(token, expiresAt, now);
    }

    /** True for the current token before its expiry; compared in constant time, as any secret should be. */
    synchronized boolean accepts(String presented) {
        return presented != null && token != null
                && MessageDigest.isEqual(presented.getBytes(UTF_8), token.getBytes(UTF_8))
                && now() < expiresAt;
    }

    /** Every issued token answers 401 from now on; the next getToken issues a new one. */
    synchronized void expireAll() {
        keep(null, 0);
    }

    /** Stored first: a token the store did not take is never handed out. */
    private void keep(String newToken, long newExpiry) {
        store.save(new SandboxStore.Token(newToken, newExpiry));
        token = newToken;
        expiresAt = newExpiry;
    }

    private long now() {
        return clock.instant().getEpochSecond();
    }
}
