package dev.portoneverify.text;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * A secret from the environment: an API secret, a webhook secret, a bearer token. It prints as
 * {@code ***}, so a record that holds one (the configuration) can be printed, logged or put in an
 * error message without leaking it. {@link #reveal()} is for the one place the secret is used: sent
 * to PortOne or Solapi, or turned into the bytes a presented token is compared with.
 */
public final class Secret {
    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    /** Null for null: an unset secret stays unset. */
    public static Secret of(String value) {
        return value == null ? null : new Secret(value);
    }

    public String reveal() {
        return value;
    }

    @Override
    public String toString() {
        return "***";
    }

    /** Compared in constant time, as every secret is. */
    @Override
    public boolean equals(Object other) {
        return other instanceof Secret secret && MessageDigest.isEqual(bytes(), secret.bytes());
    }

    /** Constant, so that a hash says nothing about the value; nothing keys a map by a secret. */
    @Override
    public int hashCode() {
        return 0;
    }

    private byte[] bytes() {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
