package dev.portoneverify;

/** A setting the server cannot run without is missing or malformed; the message names it and says why. */
public final class ConfigException extends IllegalArgumentException {
    public ConfigException(String message) {
        super(message);
    }
}
