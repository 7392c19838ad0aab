-- "나에게 맞는 복지 찾기" results a resident chose to keep: the answers, and what the check found that day
-- (service ids and names, so a later change of rules does not rewrite what they were told).
CREATE TABLE saved_checks (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users(id),
    answers    TEXT NOT NULL,
    results    TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX saved_checks_user ON saved_checks(user_id, created_at);
