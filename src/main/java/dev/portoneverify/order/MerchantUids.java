package dev.portoneverify.order;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Makes order ids (PortOne's {@code merchant_uid}). They are unguessable, so nobody can enumerate
 * other buyers' orders, and at most 40 characters, PortOne's limit.
 */
public final class MerchantUids {
    private final SecureRandom random = new SecureRandom();

    public String next() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return "order_" + HexFormat.of().formatHex(bytes);
    }
}
