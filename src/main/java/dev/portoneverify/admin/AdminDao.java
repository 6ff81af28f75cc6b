package dev.portoneverify.admin;

import dev.portoneverify.order.Order;
import dev.portoneverify.order.OrderMapper;
import dev.portoneverify.payment.HistoryEntry;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** Read-only queries for the shop's admin: orders by status and date, payments, forgeries, failed refunds. */
@RegisterRowMapper(OrderMapper.class)
@RegisterConstructorMapper(PaymentRow.class)
@RegisterConstructorMapper(HistoryEntry.class)
public interface AdminDao {

    /** A null filter matches everything; {@code to} is exclusive. Newest first. */
    @SqlQuery("""
            SELECT * FROM orders
             WHERE (:status IS NULL OR status = :status)
               AND (:from IS NULL OR created_at >= :from)
               AND (:to IS NULL OR created_at < :to)
             ORDER BY created_at DESC, merchant_uid
             LIMIT :limit OFFSET :offset
            """)
    List<Order> orders(String status, Instant from, Instant to,
                       int limit, int offset);

    @SqlQuery("""
            SELECT count(*) FROM orders
             WHERE (:status IS NULL OR status = :status)
               AND (:from IS NULL OR created_at >= :from)
               AND (:to IS NULL OR created_at < :to)
            """)
    int countOrders(String status, Instant from, Instant to);

    /** The order a payment PortOne reported belongs to; empty for a payment never reported for one of ours. */
    @SqlQuery("SELECT o.* FROM orders o JOIN payments p ON p.merchant_uid = o.merchant_uid WHERE p.imp_uid = :impUid")
    Optional<Order> orderOfPayment(String impUid);

    @SqlQuery("SELECT * FROM payments WHERE merchant_uid = :merchantUid ORDER BY first_seen_at")
    List<PaymentRow> payments(String merchantUid);

    /** One row per forged payment (its first report), however often it was reported. */
    @SqlQuery("""
            SELECT * FROM payment_history
             WHERE id IN (SELECT min(id) FROM payment_history WHERE outcome = 'forgery' GROUP BY imp_uid)
             ORDER BY id DESC LIMIT :limit
            """)
    List<HistoryEntry> forgeries(int limit);

    /**
     * Refunds in {@code states}, newest first, each with the latest history row's detail as its reason:
     * failed or still claimed ('requested': in flight, or cut short by a crash until the next pass
     * settles it), or waiting for the shop ('awaiting_account').
     */
    @SqlQuery("""
            SELECT p.imp_uid, p.merchant_uid, p.status, p.amount, p.cancel_amount, p.currency, p.pay_method,
                   p.refund_state, p.refund_requested_at, p.updated_at,
                   (SELECT h.detail FROM payment_history h WHERE h.imp_uid = p.imp_uid ORDER BY h.id DESC LIMIT 1) AS reason
              FROM payments p
             WHERE p.refund_state IN (<states>)
             ORDER BY p.updated_at DESC
             LIMIT 1000
            """)
    @RegisterConstructorMapper(RefundRow.class)
    List<RefundRow> refunds(@BindList("states") List<String> states);
}
