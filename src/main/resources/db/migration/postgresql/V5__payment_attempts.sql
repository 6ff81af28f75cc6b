-- V5: PortOne V2 (issue 20): the paymentIds this server issued, one per attempt, and the order each
-- belongs to; this binding, not anything PortOne echoes back, decides which order a V2 payment pays.
-- IF NOT EXISTS: a database made by a development build between 0.1.0 and migrations may have it.
CREATE TABLE IF NOT EXISTS payment_attempts (
    payment_id   TEXT PRIMARY KEY,
    merchant_uid TEXT NOT NULL REFERENCES orders (merchant_uid),
    created_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX IF NOT EXISTS payment_attempts_by_order ON payment_attempts (merchant_uid, created_at);
