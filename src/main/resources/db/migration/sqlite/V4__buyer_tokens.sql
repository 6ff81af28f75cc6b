-- V4: each buyer's token (issue 15): only its SHA-256, so that a copy of the database opens no buyer.
-- Buyers from before V4 have none: their orders are read with ADMIN_TOKEN (README "Upgrading").
-- IF NOT EXISTS: a database made by a development build between 0.1.0 and migrations may have it.
CREATE TABLE IF NOT EXISTS buyer_tokens (
    user_id    INTEGER PRIMARY KEY REFERENCES users (id),
    token_hash TEXT NOT NULL
);
