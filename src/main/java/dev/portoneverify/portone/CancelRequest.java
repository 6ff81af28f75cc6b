package dev.portoneverify.portone;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * A {@code POST /payments/cancel} request.
 *
 * @param amount   the amount to refund, or null for the whole remaining balance (the field is then omitted)
 * @param checksum the balance the caller believes is left ({@link Payment#balance()}); PortOne refuses the
 *                 cancel when its own balance differs, which prevents double refunds. Null skips the check.
 * @param refundAccount where to send the money back; required for a virtual account that was deposited
 *                 into, null otherwise
 */
public record CancelRequest(String impUid, BigDecimal amount, BigDecimal checksum, String reason,
                            RefundAccount refundAccount) {

    /** The buyer's bank account for a refund of a deposited virtual account ({@code refund_*} fields). */
    public record RefundAccount(String holder, String bank, String account) {
        public RefundAccount {
            Objects.requireNonNull(holder, "holder");
            Objects.requireNonNull(bank, "bank");
            Objects.requireNonNull(account, "account");
        }
    }

    public CancelRequest(String impUid, BigDecimal amount, BigDecimal checksum, String reason) {
        this(impUid, amount, checksum, reason, null);
    }

    public CancelRequest {
        Objects.requireNonNull(impUid, "impUid");
        if (impUid.isBlank()) {
            throw new IllegalArgumentException("impUid must not be blank");
        }
        // PortOne treats amount 0 as "refund everything"; a computed 0 must never turn into a full refund.
        if (amount != null && amount.signum() <= 0) {
            throw new IllegalArgumentException("cancel amount must be positive, or null for a full cancel");
        }
        if (checksum != null && checksum.signum() < 0) {
            throw new IllegalArgumentException("checksum must not be negative");
        }
    }
}
