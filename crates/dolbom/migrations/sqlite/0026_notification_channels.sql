-- How each person wants to be told, besides the in-app inbox (always): by e-mail to their account's address or
-- not. No row means the defaults (e-mail on). The language is the account's (users.locale).
CREATE TABLE notification_prefs (
    user_id    TEXT PRIMARY KEY REFERENCES users(id),
    email      BOOLEAN NOT NULL DEFAULT TRUE,
    updated_at INTEGER NOT NULL
);

-- The outbox keeps the link the message is about, and when a failed message is tried again (later each time).
ALTER TABLE outbox ADD COLUMN link TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN next_attempt_at INTEGER NOT NULL DEFAULT 0;
DROP INDEX outbox_unsent;
CREATE INDEX outbox_due ON outbox(next_attempt_at, created_at) WHERE sent_at IS NULL;

-- No SMS gateway is connected: SMS waiting in the outbox would never go, so they are dropped (the inbox has them).
DELETE FROM outbox WHERE channel = 'sms' AND sent_at IS NULL;
