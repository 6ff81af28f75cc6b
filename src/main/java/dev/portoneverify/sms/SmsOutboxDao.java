package dev.portoneverify.sms;

import java.time.Instant;
import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterConstructorMapper(OutboxMessage.class)
public interface SmsOutboxDao {

    /** Queues a message; a second message with the same key is ignored. Returns rows added (0 or 1). */
    @SqlUpdate("""
            INSERT INTO sms_outbox (dedupe_key, user_id, phone, message, created_at)
            VALUES (:dedupeKey, :userId, :phone, :message, :now)
            ON CONFLICT (dedupe_key) DO NOTHING
            """)
    int enqueue(String dedupeKey, long userId, String phone,
                String message, Instant now);

    /** Unsent messages whose backoff has passed and that have attempts left. */
    @SqlQuery("""
            SELECT * FROM sms_outbox
             WHERE sent_at IS NULL AND gave_up_at IS NULL AND attempts < :maxAttempts
               AND (next_attempt_at IS NULL OR next_attempt_at <= :now)
             ORDER BY id LIMIT :limit
            """)
    List<OutboxMessage> due(Instant now, int maxAttempts, int limit);

    /**
     * Claims a due message for one sender until {@code until}, by moving its next attempt there: of
     * several instances that found it due, exactly one gets 1 and sends it. A sender that crashed
     * mid-send leaves the message to be tried again once the claim runs out.
     */
    @SqlUpdate("""
            UPDATE sms_outbox SET next_attempt_at = :until
             WHERE id = :id AND sent_at IS NULL AND gave_up_at IS NULL AND (next_attempt_at IS NULL OR next_attempt_at <= :now)
            """)
    int claim(long id, Instant now, Instant until);

    /** Messages still to be sent: not sent, not given up on. */
    @SqlQuery("SELECT count(*) FROM sms_outbox WHERE sent_at IS NULL AND gave_up_at IS NULL")
    int unsentCount();

    /**
     * Messages that will not go out by themselves, newest first: refused for good by the provider, or
     * out of attempts.
     */
    @SqlQuery("""
            SELECT * FROM sms_outbox
             WHERE sent_at IS NULL AND (gave_up_at IS NOT NULL OR attempts >= :maxAttempts)
             ORDER BY id DESC LIMIT :limit
            """)
    List<OutboxMessage> undeliverable(int maxAttempts, int limit);

    @SqlQuery("SELECT * FROM sms_outbox ORDER BY id")
    List<OutboxMessage> all();

    @SqlUpdate("UPDATE sms_outbox SET sent_at = :now, attempts = attempts + 1, last_error = NULL WHERE id = :id")
    void markSent(long id, Instant now);

    @SqlUpdate("""
            UPDATE sms_outbox SET attempts = attempts + 1, last_error = :error, next_attempt_at = :retryAt
             WHERE id = :id
            """)
    void markFailed(long id, String error, Instant retryAt);

    /** The provider refused it for good: never tried again. */
    @SqlUpdate("UPDATE sms_outbox SET attempts = attempts + 1, last_error = :error, gave_up_at = :now WHERE id = :id")
    void markGaveUp(long id, String error, Instant now);
}
