package dev.portoneverify.payment;

import dev.portoneverify.order.PaymentAttemptDao;
import dev.portoneverify.portone.CancelRequest;
import dev.portoneverify.portone.Payment;
import dev.portoneverify.portone.PortOneApi;
import dev.portoneverify.portone.PortOneNotFoundException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The verification core's one PortOne: a payment id this server issued as a V2 {@code paymentId} goes to the
 * V2 client, and comes back bound to the order it was issued for; every other id is a V1 {@code imp_uid}.
 * So {@link PaymentSync}, {@link Refunds} and the reconciler, which only hold ids, serve both generations
 * without knowing there are two. Either client may be null when that generation is off.
 */
public final class PortOneRouter implements PortOneApi {
    private final PortOneApi v1;
    private final PortOneApi v2;
    private final PaymentAttemptDao attempts;

    public PortOneRouter(PortOneApi v1, PortOneApi v2, PaymentAttemptDao attempts) {
        this.v1 = v1;
        this.v2 = v2;
        this.attempts = attempts;
    }

    /** The order a V2 paymentId was issued for; empty for anything else (and whenever V2 is off). */
    public Optional<String> v2Order(String id) {
        return v2 == null ? Optional.empty() : attempts.merchantUid(id);
    }

    @Override
    public CompletableFuture<Payment> getPaymentAsync(String id) {
        Optional<String> order = v2Order(id);
        if (order.isPresent()) {
            return v2.getPaymentAsync(id).thenApply(p -> p.boundTo(order.get()));
        }
        return v1 == null ? v1Off() : v1.getPaymentAsync(id);
    }

    @Override
    public CompletableFuture<Payment> cancelAsync(CancelRequest request) {
        Optional<String> order = v2Order(request.impUid());
        if (order.isPresent()) {
            return v2.cancelAsync(request).thenApply(p -> p.boundTo(order.get()));
        }
        return v1 == null ? v1Off() : v1.cancelAsync(request);
    }

    @Override
    public CompletableFuture<Payment> closeVbankAsync(String id) {
        Optional<String> order = v2Order(id);
        if (order.isPresent()) {
            return v2.closeVbankAsync(id).thenApply(p -> p.boundTo(order.get()));
        }
        return v1 == null ? v1Off() : v1.closeVbankAsync(id);
    }

    /** V2 only: an id that is not one of our paymentIds names no payment of this shop. */
    private static CompletableFuture<Payment> v1Off() {
        return CompletableFuture.failedFuture(
                new PortOneNotFoundException("not a paymentId issued here, and PortOne V1 is off"));
    }
}
