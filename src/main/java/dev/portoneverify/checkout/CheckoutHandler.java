package dev.portoneverify.checkout;

import io.javalin.http.Context;

/**
 * {@code GET /checkout/config}: what the static checkout page needs to know about this server:
 * whether it pays through the sandbox or PortOne's real window, which PortOne generations it may use
 * (V2 takes its arguments from {@code POST /orders/{merchant_uid}/checkout}), the merchant code for
 * V1's {@code IMP.init}, and whether to pass {@code confirm_url}.
 */
public final class CheckoutHandler {
    record CheckoutConfig(String mode, String merchantCode, String pg, boolean confirmProcess, boolean portoneV1,
                          boolean portoneV2) {}

    private final CheckoutConfig config;

    public CheckoutHandler(boolean sandbox, String merchantCode, String pg, boolean confirmProcess) {
        this(sandbox, merchantCode, pg, confirmProcess, true, false);
    }

    public CheckoutHandler(boolean sandbox, String merchantCode, String pg, boolean confirmProcess, boolean v1, boolean v2) {
        this.config = new CheckoutConfig(sandbox ? "sandbox" : "live", merchantCode, pg, confirmProcess, v1, v2);
    }

    public void config(Context ctx) {
        ctx.json(config);
    }
}
