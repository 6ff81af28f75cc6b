-- V3: facts about this database itself. 'sandbox': a server ran in sandbox mode on it, so its orders
-- were paid to the embedded simulator; a live server refuses to start on it while it holds orders.
-- IF NOT EXISTS: a database made by a development build between 0.1.0 and migrations may have it.
CREATE TABLE IF NOT EXISTS database_marks (
    name   TEXT PRIMARY KEY,
    set_at TIMESTAMPTZ NOT NULL
);
