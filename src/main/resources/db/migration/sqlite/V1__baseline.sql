-- V1: the schema of every release before migrations (0.1.0), exactly as it applied it at each start.
-- Never edit an applied migration: add V<n+1>__... instead (README "Upgrading").

-- Money is stored as TEXT holding a plain decimal string ('15000', '14.20'): SQLite has no
-- exact decimal type, and a NUMERIC/REAL column would silently turn 0.1 into a double.
-- Timestamps are fixed-width ISO-8601 UTC strings ('2026-11-24T09:30:00.000Z'), so they sort as text.

CREATE TABLE IF NOT EXISTS users (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    name         TEXT NOT NULL,
    phone        TEXT NOT NULL,
    -- the virtual account PortOne issued for this user's latest vbank payment
    vbank_num    TEXT,
    vbank_name   TEXT,
    vbank_holder TEXT,
    vbank_date   TEXT,
    created_at   TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS orders (
    merchant_uid TEXT PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id),
    name         TEXT NOT NULL,
    amount       TEXT NOT NULL,
    currency     TEXT NOT NULL,
    status       TEXT NOT NULL DEFAULT 'pending'
                 CHECK (status IN ('pending', 'awaiting_deposit', 'paid', 'cancelled')),
    -- the one payment this order is bound to (a ready virtual account or a paid payment);
    -- UNIQUE: one payment can never settle two orders
    imp_uid      TEXT UNIQUE,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);

-- Every PortOne payment seen for one of our orders, as PortOne last reported it.
-- The primary key makes an imp_uid belong to exactly one order.
CREATE TABLE IF NOT EXISTS payments (
    imp_uid       TEXT PRIMARY KEY,
    merchant_uid  TEXT NOT NULL REFERENCES orders (merchant_uid),
    status        TEXT NOT NULL,
    amount        TEXT NOT NULL,
    cancel_amount TEXT NOT NULL,
    currency      TEXT NOT NULL,
    pay_method    TEXT,
    sandbox       INTEGER NOT NULL,
    paid_at       TEXT,
    -- NULL: no refund wanted; 'requested': claimed by one sync, call in flight (a claim older
    -- than the PortOne timeout was cut short by a crash and may be taken again);
    -- 'refunded' / 'failed': outcome of our cancel call
    refund_state  TEXT CHECK (refund_state IN ('requested', 'refunded', 'failed')),
    refund_requested_at TEXT,
    first_seen_at TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS payments_by_order ON payments (merchant_uid);

-- One row per verification attempt and per refund attempt: who reported it, what PortOne
-- said, what was expected, and what was decided. Never updated, only appended.
CREATE TABLE IF NOT EXISTS payment_history (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    imp_uid           TEXT NOT NULL,
    merchant_uid      TEXT,
    source            TEXT NOT NULL,
    portone_status    TEXT,
    portone_amount    TEXT,
    portone_currency  TEXT,
    expected_amount   TEXT,
    expected_currency TEXT,
    outcome           TEXT NOT NULL,
    order_changed     INTEGER NOT NULL,
    detail            TEXT,
    created_at        TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS payment_history_by_order ON payment_history (merchant_uid);
CREATE INDEX IF NOT EXISTS payment_history_by_payment ON payment_history (imp_uid);

-- SMS to send, written in the same transaction as the state change that causes it.
-- dedupe_key makes a second copy of the same message impossible even if a bug tried.
CREATE TABLE IF NOT EXISTS sms_outbox (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    dedupe_key TEXT NOT NULL UNIQUE,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    phone      TEXT NOT NULL,
    message    TEXT NOT NULL,
    created_at TEXT NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    -- not before this time: after a failed attempt (exponential backoff), or while one sender,
    -- which moved it forward to claim the message, is sending it
    next_attempt_at TEXT,
    sent_at    TEXT
);
CREATE INDEX IF NOT EXISTS sms_outbox_unsent ON sms_outbox (next_attempt_at) WHERE sent_at IS NULL;

-- Who runs a background job right now (reconciliation), so that two processes on one database
-- (the server and `java -jar ... reconcile`, or two servers) never run it at the same time.
-- A lease that was not renewed, because its holder crashed, expires by itself.
CREATE TABLE IF NOT EXISTS job_leases (
    name       TEXT PRIMARY KEY,
    holder     TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
