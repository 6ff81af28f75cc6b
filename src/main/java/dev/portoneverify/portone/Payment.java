package dev.portoneverify.portone;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * The one view of a payment that the verification rules read, whichever PortOne generation made it.
 * Amounts are exact decimals (USD payments are fractional); timestamps are null where PortOne sends
 * none; {@code vbank} is null unless the payment has a virtual-account number.
 *
 * <p>{@code impUid} is the payment's id at PortOne: V1's {@code imp_uid}, V2's {@code paymentId}.
 * {@code merchantUid} is the order it belongs to: V1 reports it; for V2 it comes from this server's
 * own paymentId-to-order binding ({@link #boundTo}), never from anything PortOne echoes back.
 * {@code status} is V1's vocabulary; the V2 client maps its statuses onto it (see
 * {@code portone.v2.V2Payments}) and keeps its own word in {@code rawStatus}.
 */
public record Payment(String impUid, String merchantUid, BigDecimal amount, BigDecimal cancelAmount, String currency,
                      PaymentStatus status, String rawStatus, boolean sandbox, String payMethod, String pgProvider,
                      String name, Instant paidAt, Instant failedAt, Instant cancelledAt, String failReason,
                      String cancelReason, Vbank vbank, String receiptUrl, PortOneVersion version) {

    /** A V1 payment. */
    public Payment(String impUid, String merchantUid, BigDecimal amount, BigDecimal cancelAmount, String currency,
                   PaymentStatus status, String rawStatus, boolean sandbox, String payMethod, String pgProvider,
                   String name, Instant paidAt, Instant failedAt, Instant cancelledAt, String failReason,
                   String cancelReason, Vbank vbank, String receiptUrl) {
        this(impUid, merchantUid, amount, cancelAmount, currency, status, rawStatus, sandbox, payMethod, pgProvider,
                name, paidAt, failedAt, cancelledAt, failReason, cancelReason, vbank, receiptUrl, PortOneVersion.V1);
    }

    /** The same payment, belonging to the order this server bound its id to. */
    public Payment boundTo(String orderId) {
        return new Payment(impUid, orderId, amount, cancelAmount, currency, status, rawStatus, sandbox, payMethod,
                pgProvider, name, paidAt, failedAt, cancelledAt, failReason, cancelReason, vbank, receiptUrl, version);
    }

    /** What can still be refunded; also the value to send as a cancel {@code checksum}. */
    public BigDecimal balance() {
        return amount.subtract(cancelAmount);
    }

    /** PortOne reports partial refunds as "cancelled" too, so only the amounts tell a full refund. */
    public boolean fullyCancelled() {
        return cancelAmount.compareTo(amount) >= 0;
    }
}
