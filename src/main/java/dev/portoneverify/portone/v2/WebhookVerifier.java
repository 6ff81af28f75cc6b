package dev.portoneverify.portone.v2;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks a V2 webhook's Standard Webhooks signature: HMAC-SHA256 over {@code id.timestamp.rawBody} with the
 * secret (base64, after an optional {@code whsec_} prefix), {@code webhook-signature} a space-separated list
 * of {@code v1,<base64>} entries of which one must match (in constant time), the timestamp within
 * 5 minutes of now either way. Up to two secrets at once, for rotation without downtime.
 *
 * <p>Over the raw bytes as received: a re-serialised body would not match. Thread-safe.
 */
public final class WebhookVerifier {
    public static final Duration TOLERANCE = Duration.ofMinutes(5);
    private static final String PREFIX = "whsec_";
    private static final String HMAC = "HmacSHA256";
    /** Header values beyond these sizes are no real PortOne webhook. */
    private static final int MAX_ID = 200;
    private static final int MAX_SIGNATURE_HEADER = 2_000;

    private final List<SecretKeySpec> keys;
    private final Clock clock;

    /** @throws IllegalArgumentException when a secret is not (whsec_-prefixed) base64 of at least one byte */
    public WebhookVerifier(List<String> secrets, Clock clock) {
        if (secrets.isEmpty() || secrets.size() > 2) {
            throw new IllegalArgumentException("one webhook secret, or two during a rotation");
        }
        List<SecretKeySpec> specs = new ArrayList<>();
        for (String secret : secrets) {
            specs.add(new SecretKeySpec(decode(secret), HMAC));
        }
        this.keys = List.copyOf(specs);
        this.clock = clock;
    }

    /** The key bytes of a secret as the console shows it. */
    public static byte[] decode(String secret) {
        String base64 = secret.startsWith(PREFIX) ? secret.substring(PREFIX.length()) : secret;
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a webhook secret is not base64 (after an optional whsec_ prefix)");
        }
        if (key.length == 0) {
            throw new IllegalArgumentException("a webhook secret is empty");
        }
        return key;
    }

    /** @throws WebhookSignatureException saying which check failed */
    public void verify(SignedWebhook webhook) {
        if (webhook.id() == null || webhook.timestamp() == null || webhook.signature() == null) {
            throw new WebhookSignatureException("missing webhook-id, webhook-timestamp or webhook-signature header");
        }
        if (webhook.id().isEmpty() || webhook.id().length() > MAX_ID || webhook.signature().length() > MAX_SIGNATURE_HEADER) {
            throw new WebhookSignatureException("malformed webhook-id or webhook-signature header");
        }
        long timestamp;
        try {
            timestamp = Long.parseLong(webhook.timestamp().trim());
        } catch (NumberFormatException e) {
            throw new WebhookSignatureException("webhook-timestamp is not a whole number of seconds");
        }
        long now = clock.instant().getEpochSecond();
        if (timestamp < now - TOLERANCE.toSeconds()) {
            throw new WebhookSignatureException("webhook-timestamp is more than 5 minutes old");
        }
        if (timestamp > now + TOLERANCE.toSeconds()) {
            throw new WebhookSignatureException("webhook-timestamp is more than 5 minutes ahead");
        }
        List<byte[]> offered = new ArrayList<>();
        for (String entry : webhook.signature().split(" ")) {
            String[] parts = entry.split(",", 3);
            if (parts.length < 2 || !parts[0].equals("v1")) {
                continue;
            }
            try {
                offered.add(Base64.getDecoder().decode(parts[1]));
            } catch (IllegalArgumentException e) {
                // a malformed entry matches nothing; another entry may still match
            }
        }
        for (SecretKeySpec key : keys) {
            byte[] expected = mac(key, webhook.id(), timestamp, webhook.body());
            for (byte[] signature : offered) {
                if (MessageDigest.isEqual(expected, signature)) {
                    return;
                }
            }
        }
        throw new WebhookSignatureException("no webhook-signature entry matches");
    }

    private static byte[] mac(SecretKeySpec key, String id, long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            mac.update((id + "." + timestamp + ".").getBytes(UTF_8));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 is unavailable", e);
        }
    }
}
