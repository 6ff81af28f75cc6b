package dev.portoneverify.payment;

import dev.portoneverify.web.ApiException;
import io.javalin.http.Context;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Optional defence in depth for {@code /portone-webhook}: only PortOne's published addresses may
 * call it. Off when the list is empty. Never the real control: every webhook is re-checked with
 * PortOne anyway, and PortOne has changed its addresses before (field notes, pain point 3).
 *
 * <p>Behind a reverse proxy the socket address is the proxy's; {@code trustForwardedFor} then takes
 * the last address of {@code X-Forwarded-For}, the one the proxy itself appended. It is off by
 * default because without a proxy that header is whatever the caller wrote.
 */
public final class WebhookSourceFilter {
    private final Set<String> allowed;
    private final boolean trustForwardedFor;

    public WebhookSourceFilter(List<String> allowedIps, boolean trustForwardedFor) {
        this.allowed = allowedIps.stream().map(WebhookSourceFilter::canonical).collect(Collectors.toUnmodifiableSet());
        this.trustForwardedFor = trustForwardedFor;
    }

    public void check(Context ctx) {
        if (allowed.isEmpty()) {
            return;
        }
        String source = canonical(sourceAddress(ctx));
        if (!allowed.contains(source)) {
            throw new ApiException(403, "forbidden", "webhook source " + source + " is not in WEBHOOK_ALLOWED_IPS");
        }
    }

    private String sourceAddress(Context ctx) {
        String forwarded = ctx.header("X-Forwarded-For");
        if (trustForwardedFor && forwarded != null && !forwarded.isBlank()) {
            String[] hops = forwarded.split(",");
            return hops[hops.length - 1].trim();
        }
        return ctx.req().getRemoteAddr();
    }

    /** 127.0.0.1 and ::ffff:127.0.0.1, or two spellings of one IPv6 address, compare equal. */
    private static String canonical(String ip) {
        try {
            return ip.matches("[0-9a-fA-F:.\\[\\]]+") ? InetAddress.getByName(ip.replace("[", "").replace("]", "")).getHostAddress() : ip;
        } catch (UnknownHostException e) {
            return ip;
        }
    }
}
