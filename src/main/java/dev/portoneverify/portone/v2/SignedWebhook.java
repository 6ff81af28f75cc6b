package dev.portoneverify.portone.v2;

/**
 * A webhook as it arrived: the three Standard Webhooks headers (null when absent) and the raw body bytes.
 * One value instead of four strings: PortOne's own Java sample once passed the headers in the wrong order.
 */
public record SignedWebhook(String id, String timestamp, String signature, byte[] body) {}
