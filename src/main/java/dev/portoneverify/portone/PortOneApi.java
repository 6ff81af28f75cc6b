package dev.portoneverify.portone;

import dev.portoneverify.concurrent.Futures;
import java.util.concurrent.CompletableFuture;

/**
 * What the verification core asks of a PortOne generation: one payment, and a cancel. Each
 * generation's client turns its own JSON into the same {@link Payment} view, so the rules that read
 * it are written once.
 *
 * <p>The {@code ...Async} methods are the real ones: they return at once, and no thread waits while
 * PortOne answers (issue 17); their futures fail with the {@link PortOneException}s the waiting methods
 * throw. The waiting methods are for callers that hold a thread anyway (the reconciler, the admin API).
 */
public interface PortOneApi {

    /**
     * @param id V1 {@code imp_uid}, V2 {@code paymentId}
     * @return fails with {@link PortOneNotFoundException} when PortOne knows no such payment (for this shop)
     */
    CompletableFuture<Payment> getPaymentAsync(String id);

    /**
     * Cancels all or part of a payment; completes with the payment as it is afterwards. {@code checksum} is
     * the balance the caller saw (V1 {@code checksum}, V2 {@code currentCancellableAmount}), so a retry never
     * refunds twice.
     */
    CompletableFuture<Payment> cancelAsync(CancelRequest request);

    /**
     * Revokes a virtual account nobody has paid into yet, so the buyer can no longer deposit into it;
     * completes with the payment as it is afterwards. Only V1 has it here ({@code DELETE /vbanks/{imp_uid}}):
     * a generation without it refuses like PortOne refuses a PG that cannot revoke, and the caller records
     * that refusal as it records any other.
     */
    default CompletableFuture<Payment> closeVbankAsync(String id) {
        return CompletableFuture.failedFuture(new PortOneApiException(
                "closeVbank: this PortOne generation's client cannot revoke a virtual account", 0, 0, null));
    }

    /** {@link #getPaymentAsync}, waiting: throws {@link PortOneNotFoundException} for an unknown payment. */
    default Payment getPayment(String id) {
        return await(getPaymentAsync(id));
    }

    /** {@link #cancelAsync}, waiting. */
    default Payment cancel(CancelRequest request) {
        return await(cancelAsync(request));
    }

    /** {@link #closeVbankAsync}, waiting. */
    default Payment closeVbank(String id) {
        return await(closeVbankAsync(id));
    }

    private static Payment await(CompletableFuture<Payment> pending) {
        return Futures.await(pending, interrupted ->
                new PortOneUnavailableException("interrupted while waiting for PortOne", 0, interrupted));
    }
}
