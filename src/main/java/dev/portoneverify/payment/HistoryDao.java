package dev.portoneverify.payment;

import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterConstructorMapper(HistoryEntry.class)
public interface HistoryDao {

    @SqlUpdate("""
            INSERT INTO payment_history (imp_uid, merchant_uid, source, portone_status, portone_amount,
                                         portone_currency, expected_amount, expected_currency, outcome,
                                         order_changed, detail, created_at)
            VALUES (:impUid, :merchantUid, :source, :portoneStatus, :portoneAmount,
                    :portoneCurrency, :expectedAmount, :expectedCurrency, :outcome,
                    :orderChanged, :detail, :createdAt)
            """)
    void insert(@BindMethods HistoryEntry entry);

    @SqlQuery("SELECT * FROM payment_history WHERE merchant_uid = :merchantUid ORDER BY id")
    List<HistoryEntry> forOrder(String merchantUid);

    @SqlQuery("SELECT * FROM payment_history WHERE imp_uid = :impUid ORDER BY id")
    List<HistoryEntry> forPayment(String impUid);

    /** Whether this payment already has a row with this outcome for this merchant_uid. */
    @SqlQuery("""
            SELECT EXISTS (SELECT 1 FROM payment_history
                            WHERE imp_uid = :impUid AND outcome = :outcome
                              AND merchant_uid = :merchantUid)
            """)
    boolean exists(String impUid, String merchantUid, String outcome);
}
