package dev.portoneverify.portone;

/**
 * What the verification core asks of a PortOne generation: one payment, and a cancel. Each
 * generation's client turns its own JSON into the same {@link Payment} view, so the rules that read
 * it are written once.
 */
public interface PortOneApi {

    /**
     * @param id V1 {@code imp_uid}, V2 {@code paymentId}
     * @throws PortOneNotFoundException when PortOne knows no such payment (for this shop)
     */
    Payment getPayment(String id);

    /**
     * Cancels all or part of a payment; returns the payment as it is afterwards. {@code checksum} is the
     * balance the caller saw (V1 {@code checksum}, V2 {@code currentCancellableAmount}), so a retry never
     * refunds twice.
     */
    Payment cancel(CancelRequest request);

    /**
     * Revokes a virtual account nobody has paid into yet, so the buyer can no longer deposit into it;
     * returns the payment as it is afterwards. Only V1 has it here ({@code DELETE /vbanks/{imp_uid}}): a
     * generation without it refuses like PortOne refuses a PG that cannot revoke, and the caller records
     * that refusal as it records any other.
     */
    default Payment closeVbank(String id) {
        throw new PortOneApiException("closeVbank: this PortOne generation's client cannot revoke a virtual account",
                0, 0, null);
    }
}
