package dev.portoneverify.portone.v2;

import java.util.Objects;

/** The console's "V2 API Secret" and the store it serves ({@code storeId}). */
public record V2Credentials(String apiSecret, String storeId) {

    public V2Credentials {
        Objects.requireNonNull(apiSecret, "apiSecret");
        Objects.requireNonNull(storeId, "storeId");
        if (apiSecret.isBlank() || storeId.isBlank()) {
            throw new IllegalArgumentException("the V2 API secret and store id must not be blank");
        }
    }

    /** Redacts the secret: records print every component, and configs end up in logs. */
    @Override
    public String toString() {
        return "V2Credentials[apiSecret=***, storeId=" + storeId + "]";
    }
}
