package dev.portoneverify.sandbox;

import java.util.Locale;

/** How the sandbox encodes webhooks; PortOne lets each shop pick one of the two in its console (docs §7). */
public enum WebhookFormat {
    /** {@code application/json}, PortOne's default. */
    JSON,
    /** {@code application/x-www-form-urlencoded}. */
    FORM;

    /** The name used in the control API's JSON: {@code "json"} or {@code "form"}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code "json"} or {@code "form"} in any case; null for anything else. */
    static WebhookFormat fromWire(String name) {
        for (WebhookFormat f : values()) {
            if (f.wireName().equalsIgnoreCase(name)) {
                return f;
            }
        }
        return null;
    }
}
