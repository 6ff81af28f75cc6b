package dev.portoneverify.admin;

import dev.portoneverify.sms.OutboxMessage;
import dev.portoneverify.sms.Phones;
import java.time.Instant;

/**
 * An SMS that will not go out by itself, as the admin API shows it: {@code reason} is {@code rejected}
 * (the provider refused it for good) or {@code out_of_attempts}. The phone number is masked, as in the
 * logs; the buyer is found by {@code user_id}.
 */
public record UndeliverableSms(long id, long userId, String phone, String message, String reason, int attempts,
                               String lastError, Instant createdAt, Instant gaveUpAt) {
    static UndeliverableSms of(OutboxMessage m) {
        return new UndeliverableSms(m.id(), m.userId(), Phones.mask(m.phone()), m.message(),
                m.gaveUpAt() != null ? "rejected" : "out_of_attempts", m.attempts(), m.lastError(), m.createdAt(), m.gaveUpAt());
    }
}
