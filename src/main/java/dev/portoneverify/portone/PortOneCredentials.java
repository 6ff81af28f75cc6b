package dev.portoneverify.portone;

import java.util.Objects;

/** The V1 REST API key pair ({@code imp_key}, {@code imp_secret}) from the PortOne console. */
public record PortOneCredentials(String apiKey, String apiSecret) {

    public PortOneCredentials {
        Objects.requireNonNull(apiKey, "apiKey");
        Objects.requireNonNull(apiSecret, "apiSecret");
        if (apiKey.isBlank() || apiSecret.isBlank()) {
            throw new IllegalArgumentException("PortOne apiKey and apiSecret must not be blank");
        }
    }

    /** Redacts the secret: records print every component, and configs end up in logs. */
    @Override
    public String toString() {
        return "PortOneCredentials[apiKey=" + apiKey + ", apiSecret=***]";
    }
}
