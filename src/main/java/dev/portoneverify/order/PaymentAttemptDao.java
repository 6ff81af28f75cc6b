package dev.portoneverify.order;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * PortOne V2's paymentId-to-order binding: every paymentId this server issued, and its order. The only
 * way a V2 payment finds its order, so a paymentId nobody issued here pays nothing.
 */
public interface PaymentAttemptDao {

    @SqlUpdate("INSERT INTO payment_attempts (payment_id, merchant_uid, created_at) VALUES (:paymentId, :merchantUid, :now)")
    void insert(String paymentId, String merchantUid, Instant now);

    /** The order a paymentId was issued for; empty when this server never issued it. */
    @SqlQuery("SELECT merchant_uid FROM payment_attempts WHERE payment_id = :paymentId")
    Optional<String> merchantUid(String paymentId);

    @SqlQuery("SELECT count(*) FROM payment_attempts WHERE merchant_uid = :merchantUid")
    int countForOrder(String merchantUid);

    /** The order's newest attempts, newest first: what reconciliation asks PortOne about. */
    @SqlQuery("""
            SELECT payment_id FROM payment_attempts
             WHERE merchant_uid = :merchantUid
             ORDER BY created_at DESC, payment_id LIMIT :limit
            """)
    List<String> newestForOrder(String merchantUid, int limit);
}
