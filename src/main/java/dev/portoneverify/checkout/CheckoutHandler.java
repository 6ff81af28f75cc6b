package dev.portoneverify.checkout;

import io.javalin.http.Context;

/**
 * {@code GET /checkout/config}: what the static checkout page needs to know about this server:
 * whether it pays through the sandbox or PortOne's real window, the merchant code for
 * {@code IMP.init}, and whether to pass {@code confirm_url}.
 */
public final class CheckoutHandler {
    record CheckoutConfig(String mode, String merchantCode, String pg, boolean confirmProcess) {}

    private final CheckoutConfig config;

    public CheckoutHandler(boolean sandbox, String merchantCode, String pg, boolean confirmProcess) {
        this.config = new CheckoutConfig(sandbox ? "sandbox" : "live", merchantCode, pg, confirmProcess);
    }

    public void config(Context ctx) {
        ctx.json(config);
    }
}
