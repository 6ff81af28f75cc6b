package dev.portoneverify.order;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * Orders, and the only statements that move an order between states. Each transition is a
 * conditional UPDATE that names the states it may leave, so applying it twice changes nothing;
 * callers check the returned row count.
 */
@RegisterRowMapper(OrderMapper.class)
public interface OrderDao {

    @SqlUpdate("""
            INSERT INTO orders (merchant_uid, user_id, name, amount, currency, status, created_at, updated_at)
            VALUES (:merchantUid, :userId, :name, :amount, :currency, 'pending', :now, :now)
            """)
    void insert(String merchantUid, long userId, String name,
                BigDecimal amount, String currency, Instant now);

    @SqlQuery("SELECT * FROM orders WHERE merchant_uid = :merchantUid")
    Optional<Order> find(String merchantUid);

    /**
     * The order, locked until the transaction ends, for a caller that decides on it and then writes:
     * a concurrent report of the same order waits and then decides on what this one wrote. On
     * PostgreSQL {@code <forUpdate>} locks the row; SQLite's transaction already holds the write lock.
     */
    @SqlQuery("SELECT * FROM orders WHERE merchant_uid = :merchantUid <forUpdate>")
    Optional<Order> findForUpdate(String merchantUid);

    /**
     * Orders that may still be paid and for which a V2 paymentId was issued, oldest first: what
     * reconciliation asks PortOne V2 about (V2 has no listing of changes, so these are looked up one by one).
     */
    @SqlQuery("""
            SELECT * FROM orders o
             WHERE o.status IN ('pending', 'awaiting_deposit') AND o.created_at >= :since
               AND EXISTS (SELECT 1 FROM payment_attempts a WHERE a.merchant_uid = o.merchant_uid)
             ORDER BY o.created_at LIMIT :limit
            """)
    List<Order> openWithV2Attempts(Instant since, int limit);

    /** Which of these merchant_uids are orders of ours (PortOne lists every payment of the merchant). */
    @SqlQuery("SELECT merchant_uid FROM orders WHERE merchant_uid IN (<merchantUids>)")
    List<String> existing(@BindList("merchantUids") Collection<String> merchantUids);

    /** A V2 payment's id (in the imp_uid column) is one of our payment_attempts. */
    @SqlQuery("""
            SELECT CASE WHEN a.payment_id IS NULL THEN 'v1' ELSE 'v2' END AS portone_version,
                   CASE WHEN a.payment_id IS NULL THEN p.imp_uid END AS imp_uid, a.payment_id,
                   p.status, p.pay_method, p.amount, p.cancel_amount, p.currency, p.paid_at
              FROM payments p LEFT JOIN payment_attempts a ON a.payment_id = p.imp_uid
             WHERE p.imp_uid = :impUid
            """)
    @RegisterConstructorMapper(VerifiedPayment.class)
    Optional<VerifiedPayment> findPayment(String impUid);

    /** A paid payment settles a pending order or replaces a virtual account still awaiting deposit. */
    @SqlUpdate("""
            UPDATE orders SET status = 'paid', imp_uid = :impUid, updated_at = :now
             WHERE merchant_uid = :merchantUid AND status IN ('pending', 'awaiting_deposit')
            """)
    int markPaid(String merchantUid, String impUid, Instant now);

    @SqlUpdate("""
            UPDATE orders SET status = 'awaiting_deposit', imp_uid = :impUid, updated_at = :now
             WHERE merchant_uid = :merchantUid AND status IN ('pending', 'awaiting_deposit')
               AND (imp_uid IS NULL OR imp_uid <> :impUid)
            """)
    int markAwaitingDeposit(String merchantUid, String impUid,
                            Instant now);

    /**
     * Part of the payment was refunded: the order's own payment (paid, or a virtual account deposited
     * into), or a payment that binds an order still waiting for one and was partly refunded already.
     */
    @SqlUpdate("""
            UPDATE orders SET status = 'partially_refunded', imp_uid = :impUid, updated_at = :now
             WHERE merchant_uid = :merchantUid
               AND (status IN ('pending', 'awaiting_deposit') OR (status = 'paid' AND imp_uid = :impUid))
            """)
    int markPartiallyRefunded(String merchantUid, String impUid,
                              Instant now);

    @SqlUpdate("""
            UPDATE orders SET status = 'cancelled', updated_at = :now
             WHERE merchant_uid = :merchantUid AND imp_uid = :impUid
               AND status IN ('paid', 'partially_refunded', 'awaiting_deposit')
            """)
    int markCancelled(String merchantUid, String impUid,
                      Instant now);

    /** The bound virtual-account payment failed: the order can be paid again. */
    @SqlUpdate("""
            UPDATE orders SET status = 'pending', imp_uid = NULL, updated_at = :now
             WHERE merchant_uid = :merchantUid AND imp_uid = :impUid AND status = 'awaiting_deposit'
            """)
    int reopen(String merchantUid, String impUid, Instant now);
}
