package dev.portoneverify.portone;

import java.time.Duration;

/** Told of what {@link PortOneClient} does, e.g. to count it in metrics. Must be quick and never throw. */
public interface PortOneObserver {
    PortOneObserver NONE = new PortOneObserver() {
    };

    /**
     * One HTTP exchange with PortOne. {@code endpoint}: getToken, getPayment, findPayment, prepare,
     * cancel; {@code result}: ok, not_found, unauthorized, unavailable, timeout, bad_response, error.
     */
    default void requested(String endpoint, String result, Duration took) {
    }

    default void tokenFetched() {
    }
}
