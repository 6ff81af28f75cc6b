-- V6 (issue 16, money that moves after the sale): see db/migration/sqlite/V6__money_after_the_sale.sql.
-- PostgreSQL changes the CHECKs in place (the names are the ones V1's inline CHECKs were given).
ALTER TABLE orders DROP CONSTRAINT orders_status_check;
ALTER TABLE orders ADD CONSTRAINT orders_status_check
    CHECK (status IN ('pending', 'awaiting_deposit', 'paid', 'partially_refunded', 'cancelled'));
ALTER TABLE payments DROP CONSTRAINT payments_refund_state_check;
ALTER TABLE payments ADD CONSTRAINT payments_refund_state_check
    CHECK (refund_state IN ('requested', 'refunded', 'failed', 'awaiting_account'));
ALTER TABLE payments ADD COLUMN vbank_due TIMESTAMPTZ;

CREATE TABLE reconcile_position (
    name         TEXT PRIMARY KEY,
    listed_until TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL
);
