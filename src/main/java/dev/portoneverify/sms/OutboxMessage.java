package dev.portoneverify.sms;

import java.time.Instant;

public record OutboxMessage(long id, String dedupeKey, long userId, String phone, String message,
                            Instant createdAt, int attempts, String lastError, Instant nextAttemptAt,
                            Instant sentAt, Instant gaveUpAt) {}
