-- V2: an SMS the provider refused for good (a bad number, an unregistered sender, rejected
-- credentials) is marked, so the dispatcher stops retrying it and the admin API lists it.
ALTER TABLE sms_outbox ADD COLUMN gave_up_at TIMESTAMPTZ;
