package dev.portoneverify.reconcile;

import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** How far reconciliation has listed PortOne's changes, shared by every process on the database. */
public interface PositionDao {

    @SqlQuery("SELECT listed_until FROM reconcile_position WHERE name = :name")
    Optional<Instant> listedUntil(String name);

    /** Moves the position forward only: a slow pass that finishes late never takes it back. */
    @SqlUpdate("""
            INSERT INTO reconcile_position (name, listed_until, updated_at) VALUES (:name, :until, :now)
            ON CONFLICT (name) DO UPDATE SET listed_until = excluded.listed_until, updated_at = excluded.updated_at
             WHERE reconcile_position.listed_until < excluded.listed_until
            """)
    void advance(String name, Instant until, Instant now);
}
