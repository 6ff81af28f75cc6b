-- portone-verify schema (SQLite): the schema the code expects, to read. It is not applied as it is:
-- the server brings a database to it at start with the migrations in
-- src/main/resources/db/migration/sqlite/ (README "Upgrading"), and MigrationsTest checks that applying
-- every migration to an empty database gives exactly this. A schema change is a new migration
-- V<n>__what.sql for each database plus the same change here, in schema.postgresql.sql (its
-- PostgreSQL twin) and in tools/migrate/Tables.java (which lists every column for `migrate-db`).
--
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

-- Each buyer's token (issue 15): only its SHA-256, so that a copy of the database opens no buyer.
-- Reading a buyer, or ordering for them, needs the token POST /users returned (or ADMIN_TOKEN).
CREATE TABLE IF NOT EXISTS buyer_tokens (
    user_id    INTEGER PRIMARY KEY REFERENCES users (id),
    token_hash TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS orders (
    merchant_uid TEXT PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id),
    name         TEXT NOT NULL,
    amount       TEXT NOT NULL,
    currency     TEXT NOT NULL,
    status       TEXT NOT NULL DEFAULT 'pending'
                 CHECK (status IN ('pending', 'awaiting_deposit', 'paid', 'partially_refunded', 'cancelled')),
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
    -- 'refunded' / 'failed': outcome of our cancel call, or what PortOne's record later showed;
    -- 'awaiting_account': a deposited virtual account, refunded only to a bank account the buyer
    -- names, so it waits for the shop (POST /admin/payments/{imp_uid}/refund) and is never retried
    refund_state  TEXT CHECK (refund_state IN ('requested', 'refunded', 'failed', 'awaiting_account')),
    refund_requested_at TEXT,
    first_seen_at TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    -- a virtual account's deposit deadline, as PortOne last reported it: reconciliation looks up
    -- an order still awaiting a deposit past it (an expiry is no change PortOne would list)
    vbank_due     TEXT
);
CREATE INDEX IF NOT EXISTS payments_by_order ON payments (merchant_uid);

-- PortOne V2: the paymentIds this server issued (POST /orders/{merchant_uid}/checkout), one per attempt,
-- and the order each belongs to. V2 lets the browser name the payment, so this binding, not anything
-- PortOne echoes back (customData), decides which order a V2 payment pays. A V2 payment's row in
-- payments (and payment_history) carries its paymentId in the imp_uid column; a row here marks it as V2.
CREATE TABLE IF NOT EXISTS payment_attempts (
    payment_id   TEXT PRIMARY KEY,
    merchant_uid TEXT NOT NULL REFERENCES orders (merchant_uid),
    created_at   TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS payment_attempts_by_order ON payment_attempts (merchant_uid, created_at);

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
    sent_at    TEXT,
    -- the provider refused it for good (bad number, unregistered sender, rejected credentials):
    -- never retried; GET /admin/sms/failed lists it (V2)
    gave_up_at TEXT
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

-- Facts about this database itself. 'sandbox': a server ran in sandbox mode on it, so its orders were
-- paid to the embedded simulator; a live server refuses to start on it while it holds orders
-- (ALLOW_LIVE_ON_SANDBOX_DATABASE=true overrides), so that test orders never meet the real PortOne.
CREATE TABLE IF NOT EXISTS database_marks (
    name   TEXT PRIMARY KEY,
    set_at TEXT NOT NULL
);

-- How far reconciliation has listed PortOne's payment changes (GET /payments/status/all with from/to):
-- the next pass lists from here (less a margin for clock skew) to now, so a missed pass or a server
-- that was down for a day is covered in full. One row, shared by every instance on the database.
CREATE TABLE IF NOT EXISTS reconcile_position (
    name         TEXT PRIMARY KEY,
    listed_until TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
