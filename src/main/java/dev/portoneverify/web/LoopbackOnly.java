package dev.portoneverify.web;

import io.javalin.http.Context;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Lets through only requests from this machine: for the sandbox's control endpoints, which mark
 * orders paid without any money moving (issue 15). A request that came through a proxy (it carries
 * {@code X-Forwarded-For} or {@code Forwarded}) is not from this machine, even if the proxy is.
 */
public final class LoopbackOnly {
    private LoopbackOnly() {}

    public static void check(Context ctx) {
        if (!isLoopback(ctx.req().getRemoteAddr()) || ctx.header("X-Forwarded-For") != null
                || ctx.header("Forwarded") != null) {
            throw new ApiException(403, "forbidden", "the sandbox's control endpoints answer only on this machine "
                    + "(set SANDBOX_CONTROL_OPEN=true to open them)");
        }
    }

    private static boolean isLoopback(String address) {
        try {
            // a literal from the socket: no DNS lookup happens
            return address != null && InetAddress.getByName(address.replace("[", "").replace("]", "")).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
