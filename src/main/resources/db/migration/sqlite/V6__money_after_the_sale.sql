-- V6 (issue 16, money that moves after the sale):
--  * orders may be 'partially_refunded': part of the bound payment went back;
--  * a refund may wait for the shop ('awaiting_account'): a deposited virtual account is refunded
--    only to a bank account the buyer names;
--  * payments keep a virtual account's deadline (vbank_due), so reconciliation looks up only the
--    accounts whose deadline passed;
--  * reconcile_position: how far reconciliation has listed PortOne's changes.
-- SQLite cannot change a CHECK constraint in place, so orders and payments are rebuilt (SQLite's
-- "generalized ALTER TABLE procedure"), every row copied. Foreign keys stay on, deferred to the commit
-- (Flyway runs this in one transaction): dropping orders counts the rows of payments and
-- payment_attempts left without their order, putting each order back under its merchant_uid uncounts
-- them, so the commit fails, and nothing changes, unless every reference is whole again.
PRAGMA defer_foreign_keys = ON;

CREATE TABLE orders_v6_copy AS SELECT * FROM orders;
DROP TABLE orders;
CREATE TABLE orders (
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
INSERT INTO orders (merchant_uid, user_id, name, amount, currency, status, imp_uid, created_at, updated_at)
SELECT merchant_uid, user_id, name, amount, currency, status, imp_uid, created_at, updated_at FROM orders_v6_copy;
DROP TABLE orders_v6_copy;

-- nothing references payments, so the new table can simply take its name
CREATE TABLE payments_v6 (
    imp_uid       TEXT PRIMARY KEY,
    merchant_uid  TEXT NOT NULL REFERENCES orders (merchant_uid),
    status        TEXT NOT NULL,
    amount        TEXT NOT NULL,
    cancel_amount TEXT NOT NULL,
    currency      TEXT NOT NULL,
    pay_method    TEXT,
    sandbox       INTEGER NOT NULL,
    paid_at       TEXT,
    -- see schema.sql
    refund_state  TEXT CHECK (refund_state IN ('requested', 'refunded', 'failed', 'awaiting_account')),
    refund_requested_at TEXT,
    first_seen_at TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    vbank_due     TEXT
);
INSERT INTO payments_v6 (imp_uid, merchant_uid, status, amount, cancel_amount, currency, pay_method, sandbox, paid_at,
                         refund_state, refund_requested_at, first_seen_at, updated_at)
SELECT imp_uid, merchant_uid, status, amount, cancel_amount, currency, pay_method, sandbox, paid_at,
       refund_state, refund_requested_at, first_seen_at, updated_at FROM payments;
DROP TABLE payments;
ALTER TABLE payments_v6 RENAME TO payments;
CREATE INDEX payments_by_order ON payments (merchant_uid);

CREATE TABLE reconcile_position (
    name         TEXT PRIMARY KEY,
    listed_until TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);

-- SQLite's procedure ends with a foreign-key check: every payment and attempt must still name an order.
-- The deferred count above only balances what the rebuild itself did, so a reference already broken
-- before it would pass unseen; this fails the migration (and rolls it back) instead.
CREATE TEMP TABLE v6_foreign_keys (rows_naming_a_missing_row INTEGER NOT NULL CHECK (rows_naming_a_missing_row = 0));
INSERT INTO v6_foreign_keys SELECT count(*) FROM pragma_foreign_key_check;
DROP TABLE v6_foreign_keys;
