package dev.portoneverify.portone;

import java.util.Locale;

/** Which PortOne generation a payment belongs to: V1 (iamport, {@code imp_uid}) or V2 ({@code paymentId}). */
public enum PortOneVersion {
    V1, V2;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
