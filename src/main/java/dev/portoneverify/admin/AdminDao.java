package dev.portoneverify.admin;

import dev.portoneverify.order.Order;
import dev.portoneverify.order.OrderStatusColumnMapper;
import dev.portoneverify.payment.HistoryEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterColumnMapper;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.AllowUnusedBindings;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.Define;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** Read-only queries for the shop's admin: orders by status and date, payments, forgeries, failed refunds. */
@RegisterConstructorMapper(Order.class)
@RegisterConstructorMapper(PaymentRow.class)
@RegisterConstructorMapper(HistoryEntry.class)
@RegisterColumnMapper(OrderStatusColumnMapper.class)
public interface AdminDao {

    /** A null filter matches everything; {@code to} is exclusive. Newest first. */
    default List<Order> orders(String status, Instant from, Instant to, int limit, int offset) {
        return orders(where(status, from, to), status, from, to, limit, offset);
    }

    default int countOrders(String status, Instant from, Instant to) {
        return countOrders(where(status, from, to), status, from, to);
    }

    /**
     * Only the filters that are set: {@code :from IS NULL OR ...} would need PostgreSQL to guess the
     * type of a null parameter, which it cannot.
     */
    private static String where(String status, Instant from, Instant to) {
        List<String> conditions = new ArrayList<>();
        if (status != null) {
            conditions.add("status = :status");
        }
        if (from != null) {
            conditions.add("created_at >= :from");
        }
        if (to != null) {
            conditions.add("created_at < :to");
        }
        return conditions.isEmpty() ? "" : "WHERE " + String.join(" AND ", conditions);
    }

    @SqlQuery("SELECT * FROM orders <where> ORDER BY created_at DESC, merchant_uid LIMIT :limit OFFSET :offset")
    @AllowUnusedBindings
    List<Order> orders(@Define("where") String where, @Bind("status") String status, @Bind("from") Instant from,
                       @Bind("to") Instant to, @Bind("limit") int limit, @Bind("offset") int offset);

    @SqlQuery("SELECT count(*) FROM orders <where>")
    @AllowUnusedBindings
    int countOrders(@Define("where") String where, @Bind("status") String status, @Bind("from") Instant from,
                    @Bind("to") Instant to);

    @SqlQuery("SELECT * FROM payments WHERE merchant_uid = :merchantUid ORDER BY first_seen_at")
    List<PaymentRow> payments(@Bind("merchantUid") String merchantUid);

    /** One row per forged payment (its first report), however often it was reported. */
    @SqlQuery("""
            SELECT * FROM payment_history
             WHERE id IN (SELECT min(id) FROM payment_history WHERE outcome = 'forgery' GROUP BY imp_uid)
             ORDER BY id DESC LIMIT :limit
            """)
    List<HistoryEntry> forgeries(@Bind("limit") int limit);

    @SqlQuery("SELECT * FROM payments WHERE refund_state = 'failed' ORDER BY updated_at DESC")
    List<PaymentRow> failedRefunds();
}
