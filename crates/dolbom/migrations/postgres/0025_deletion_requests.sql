-- A resident's request to delete their data (개인정보 보호법 제36조), and what processing it did.
CREATE TABLE deletion_requests (
    id                TEXT PRIMARY KEY,
    municipality_code TEXT NOT NULL,
    user_id           TEXT NOT NULL REFERENCES users(id),
    reason            TEXT NOT NULL DEFAULT '',
    status            TEXT NOT NULL CHECK (status IN ('requested', 'done')),
    requested_at      BIGINT NOT NULL,
    processed_by      TEXT REFERENCES users(id),
    processed_at      BIGINT,
    -- What was deleted and what is kept, as counts per kind of data (JSON), for the resident and for audit.
    outcome           TEXT NOT NULL DEFAULT '{}'
);
-- One open request per resident: asking twice is the same request.
CREATE UNIQUE INDEX deletion_requests_open ON deletion_requests(user_id) WHERE status = 'requested';
CREATE INDEX deletion_requests_queue ON deletion_requests(municipality_code, status, requested_at);
