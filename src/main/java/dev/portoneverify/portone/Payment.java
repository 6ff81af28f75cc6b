package dev.portoneverify.portone;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * The fields of a V1 Payment this project uses. Amounts are exact decimals (USD payments are
 * fractional); timestamps are null where PortOne sends 0; {@code vbank} is null unless the payment
 * has a virtual-account number.
 */
public record Payment(String impUid, String merchantUid, BigDecimal amount, BigDecimal cancelAmount, String currency,
                      PaymentStatus status, String rawStatus, boolean sandbox, String payMethod, String pgProvider,
                      String name, Instant paidAt, Instant failedAt, Instant cancelledAt, String failReason,
                      String cancelReason, Vbank vbank, String receiptUrl) {

    /** What can still be refunded; also the value to send as a cancel {@code checksum}. */
    public BigDecimal balance() {
        return amount.subtract(cancelAmount);
    }

    /** PortOne reports partial refunds as "cancelled" too, so only the amounts tell a full refund. */
    public boolean fullyCancelled() {
        return cancelAmount.compareTo(amount) >= 0;
    }
}
