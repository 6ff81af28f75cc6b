package dev.portoneverify.sandbox;

import java.time.Instant;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The shop database's {@code sandbox} mark (schema.sql, {@code database_marks}): sandbox and live never share orders. */
public interface SandboxMarkDao {
    /** Sandbox mode starts on this database: whatever orders it makes were paid to a simulator. */
    @SqlUpdate("INSERT INTO database_marks (name, set_at) VALUES ('sandbox', :at) ON CONFLICT (name) DO NOTHING")
    void markSandbox(Instant at);

    /** True when sandbox mode ran here and the database holds orders, which may be sandbox ones. */
    @SqlQuery("""
            SELECT EXISTS (SELECT 1 FROM database_marks WHERE name = 'sandbox')
               AND EXISTS (SELECT 1 FROM orders)
            """)
    boolean holdsSandboxOrders();
}
