package dev.portoneverify.reconcile;

import java.time.Instant;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

public interface LeaseDao {

    /** Takes the lease if it is free, expired, or already ours; returns 1 when we hold it. */
    @SqlUpdate("""
            INSERT INTO job_leases (name, holder, expires_at) VALUES (:name, :holder, :until)
            ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
             WHERE job_leases.expires_at < :now OR job_leases.holder = excluded.holder
            """)
    int acquire(String name, String holder, Instant now,
                Instant until);

    @SqlUpdate("DELETE FROM job_leases WHERE name = :name AND holder = :holder")
    void release(String name, String holder);
}
