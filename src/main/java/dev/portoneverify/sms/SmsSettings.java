package dev.portoneverify.sms;

import java.net.URI;

/**
 * Which provider sends the SMS: {@code log} (the default: the log, masked) or {@code solapi}, with its
 * API key, secret, registered sender number (digits only) and base URL. {@link #toString()} never shows
 * the secret.
 */
public record SmsSettings(String provider, URI solapiApiUrl, String solapiApiKey, String solapiApiSecret,
                          String senderNumber) {
    public static final String LOG = "log";
    public static final String SOLAPI = "solapi";

    public static SmsSettings log() {
        return new SmsSettings(LOG, null, null, null, null);
    }

    public boolean solapi() {
        return SOLAPI.equals(provider);
    }

    @Override
    public String toString() {
        return solapi()
                ? "SmsSettings[provider=solapi, solapiApiUrl=%s, solapiApiKey=%s, solapiApiSecret=***, senderNumber=%s]"
                        .formatted(solapiApiUrl, solapiApiKey, senderNumber)
                : "SmsSettings[provider=log]";
    }
}
