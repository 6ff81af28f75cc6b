package dev.portoneverify.payment;

import dev.portoneverify.portone.Payment;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The payments table: PortOne's latest word on each payment of ours, and the refund claim. */
public interface PaymentDao {

    /** PortOne's word on payment {@code p}, for the order {@code merchantUid} (ours, not what PortOne echoes). */
    default void upsert(String merchantUid, Payment p, Instant now) {
        upsert(merchantUid, p, p.vbank() == null ? null : p.vbank().date(), now);
    }

    @SqlUpdate("""
            INSERT INTO payments (imp_uid, merchant_uid, status, amount, cancel_amount, currency, pay_method,
                                  sandbox, paid_at, vbank_due, first_seen_at, updated_at)
            VALUES (:p.impUid, :merchantUid, :p.rawStatus, :p.amount, :p.cancelAmount, :p.currency, :p.payMethod,
                    :p.sandbox, :p.paidAt, :vbankDue, :now, :now)
            ON CONFLICT (imp_uid) DO UPDATE SET
                status = excluded.status, amount = excluded.amount, cancel_amount = excluded.cancel_amount,
                currency = excluded.currency, pay_method = excluded.pay_method, sandbox = excluded.sandbox,
                paid_at = excluded.paid_at, vbank_due = excluded.vbank_due, updated_at = excluded.updated_at
            """)
    void upsert(String merchantUid, @BindMethods("p") Payment p, Instant vbankDue, Instant now);

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
    int claimRefund(String impUid, Instant now, Instant staleBefore);

    /**
     * A refund that is due but that only the shop can make (a deposited virtual account needs the
     * buyer's bank account): it waits, and nothing calls PortOne for it until the shop acts. Returns 1
     * when this call put it there.
     */
    @SqlUpdate("""
            UPDATE payments SET refund_state = 'awaiting_account', updated_at = :now
             WHERE imp_uid = :impUid AND (refund_state IS NULL OR refund_state = 'failed')
            """)
    int awaitShop(String impUid, Instant now);

    /**
     * PortOne's record shows nothing left of the payment: a refund we claimed, that failed, whose
     * answer was lost, or that waits for the shop is settled as made. A claim still in flight (not
     * older than {@code staleBefore}) is left to its caller. Returns 1 when this call settled it.
     */
    @SqlUpdate("""
            UPDATE payments SET refund_state = 'refunded', updated_at = :now
             WHERE imp_uid = :impUid
               AND (refund_state IN ('failed', 'awaiting_account')
                    OR (refund_state = 'requested' AND refund_requested_at < :staleBefore))
            """)
    int settleRefunded(String impUid, Instant now, Instant staleBefore);

    @SqlUpdate("UPDATE payments SET refund_state = :state, updated_at = :now WHERE imp_uid = :impUid")
    void setRefundState(String impUid, String state, Instant now);

    /** The order a payment PortOne reported belongs to; empty for a payment never reported for one of ours. */
    @SqlQuery("SELECT merchant_uid FROM payments WHERE imp_uid = :impUid")
    Optional<String> orderOf(String impUid);

    @SqlQuery("SELECT refund_state FROM payments WHERE imp_uid = :impUid")
    String refundState(String impUid);

    /**
     * Refunds to settle from PortOne's record, oldest first: those PortOne did not carry out (or whose
     * answer was lost), and claims older than {@code staleBefore}, whose holder died during the call.
     * Not those waiting for the shop. {@code merchantUid} null: of every order.
     */
    @SqlQuery("""
            SELECT imp_uid FROM payments
             WHERE (refund_state = 'failed' OR (refund_state = 'requested' AND refund_requested_at < :staleBefore))
               AND (:merchantUid IS NULL OR merchant_uid = :merchantUid)
             ORDER BY updated_at LIMIT :limit
            """)
    List<String> unsettledRefunds(String merchantUid, Instant staleBefore,
                                  int limit);

    /**
     * Virtual accounts that orders still wait on although their deadline has passed: PortOne keeps
     * them {@code ready}, so no listing of changes shows them.
     */
    @SqlQuery("""
            SELECT p.imp_uid FROM orders o JOIN payments p ON p.imp_uid = o.imp_uid
             WHERE o.status = 'awaiting_deposit' AND p.vbank_due IS NOT NULL AND p.vbank_due <= :now
             ORDER BY p.vbank_due LIMIT :limit
            """)
    List<String> expiredVbanks(Instant now, int limit);

    /** What we stored of each of these payments, to tell what PortOne lists anew from what we know. */
    @SqlQuery("SELECT imp_uid, status, amount, cancel_amount, currency FROM payments WHERE imp_uid IN (<impUids>)")
    @RegisterConstructorMapper(Known.class)
    List<Known> known(@BindList("impUids") List<String> impUids);

    /** PortOne's word as we last stored it. */
    record Known(String impUid, String status, BigDecimal amount, BigDecimal cancelAmount, String currency) {
        /** True when {@code p} says nothing new: same status and the same amounts. */
        public boolean same(Payment p) {
            return status.equals(p.rawStatus()) && amount.compareTo(p.amount()) == 0
                    && cancelAmount.compareTo(p.cancelAmount()) == 0 && currency.equals(p.currency());
        }
    }
}
