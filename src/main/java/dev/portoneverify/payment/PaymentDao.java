package dev.portoneverify.payment;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The payments table: PortOne's latest word on each payment of ours, and the refund claim. */
public interface PaymentDao {

    @SqlUpdate("""
            INSERT INTO payments (imp_uid, merchant_uid, status, amount, cancel_amount, currency, pay_method,
                                  sandbox, paid_at, first_seen_at, updated_at)
            VALUES (:impUid, :merchantUid, :status, :amount, :cancelAmount, :currency, :payMethod,
                    :sandbox, :paidAt, :now, :now)
            ON CONFLICT (imp_uid) DO UPDATE SET
                status = excluded.status, amount = excluded.amount, cancel_amount = excluded.cancel_amount,
                currency = excluded.currency, pay_method = excluded.pay_method, sandbox = excluded.sandbox,
                paid_at = excluded.paid_at, updated_at = excluded.updated_at
            """)
    void upsert(@Bind("impUid") String impUid, @Bind("merchantUid") String merchantUid, @Bind("status") String status,
                @Bind("amount") BigDecimal amount, @Bind("cancelAmount") BigDecimal cancelAmount,
                @Bind("currency") String currency, @Bind("payMethod") String payMethod,
                @Bind("sandbox") boolean sandbox, @Bind("paidAt") Instant paidAt, @Bind("now") Instant now);

    /**
     * Claims the refund of a payment for this caller: of several concurrent reports of the same
     * forged payment, exactly one gets 1 and calls PortOne. A failed refund may be claimed again,
     * and so may a claim made before {@code staleBefore}: its holder crashed before recording the
     * result (a repeated cancel is harmless, PortOne checks its {@code checksum}).
     */
    @SqlUpdate("""
            UPDATE payments SET refund_state = 'requested', refund_requested_at = :now, updated_at = :now
             WHERE imp_uid = :impUid
               AND (refund_state IS NULL OR refund_state = 'failed'
                    OR (refund_state = 'requested' AND refund_requested_at < :staleBefore))
            """)
    int claimRefund(@Bind("impUid") String impUid, @Bind("now") Instant now, @Bind("staleBefore") Instant staleBefore);

    @SqlUpdate("UPDATE payments SET refund_state = :state, updated_at = :now WHERE imp_uid = :impUid")
    void setRefundState(@Bind("impUid") String impUid, @Bind("state") String state, @Bind("now") Instant now);

    @SqlQuery("SELECT refund_state FROM payments WHERE imp_uid = :impUid")
    String refundState(@Bind("impUid") String impUid);

    /** Payments whose refund PortOne did not carry out, oldest first; {@code merchantUid} null: of every order. */
    @SqlQuery("""
            SELECT imp_uid FROM payments
             WHERE refund_state = 'failed' AND (:merchantUid IS NULL OR merchant_uid = :merchantUid)
             ORDER BY updated_at LIMIT :limit
            """)
    List<String> failedRefunds(@Bind("merchantUid") String merchantUid, @Bind("limit") int limit);
}
