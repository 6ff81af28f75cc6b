package dev.portoneverify.web;

import io.javalin.http.Context;

/**
 * Headers on every answer that keep the pages from being framed, sniffed or made to run scripts
 * they do not ship (issue 15). The checkout page loads PortOne's SDK from its CDN in live mode, and
 * the SDK opens payment windows of many card companies, hence https: for scripts and frames; inline
 * scripts, plugins and foreign form posts stay forbidden.
 */
public final class SecurityHeaders {
    static final String POLICY = "default-src 'self'; script-src 'self' https:; frame-src https:; "
            + "connect-src 'self' https:; img-src 'self' data: https:; style-src 'self' 'unsafe-inline'; "
            + "object-src 'none'; base-uri 'none'; form-action 'self' https:; frame-ancestors 'none'";

    private SecurityHeaders() {}

    public static void apply(Context ctx) {
        ctx.header("Content-Security-Policy", POLICY);
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
    }
}
