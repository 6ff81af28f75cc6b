package dev.portoneverify.sms;

import dev.portoneverify.text.Secret;
import java.net.URI;

/**
 * Which provider sends the SMS: {@code log} (the default: the log, masked) or {@code solapi}, with its
 * API key, secret, registered sender number (digits only) and base URL.
 */
public record SmsSettings(String provider, URI solapiApiUrl, String solapiApiKey, Secret solapiApiSecret,
                          String senderNumber) {
    public static final String LOG = "log";
    public static final String SOLAPI = "solapi";

    public static SmsSettings log() {
        return new SmsSettings(LOG, null, null, null, null);
    }

    public boolean solapi() {
        return SOLAPI.equals(provider);
    }
}
