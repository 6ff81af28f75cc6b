package dev.portoneverify.order;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Makes V2 {@code paymentId}s: one per payment attempt, unguessable (128 random bits, so nobody can
 * predict or enumerate another buyer's attempt), and shaped apart from V1's {@code imp_...} ids.
 */
public final class PaymentIds {
    private final SecureRandom random = new SecureRandom();

    public String next() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return "pay_" + HexFormat.of().formatHex(bytes);
    }
}
