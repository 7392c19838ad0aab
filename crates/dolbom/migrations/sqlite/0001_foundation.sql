-- Foundation: settings, organizations, accounts, sessions, areas, people, access log, change log, jobs.
-- Timestamps are UTC milliseconds since the epoch (INTEGER here, BIGINT on PostgreSQL): one type for both backends.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE organizations (
    id                TEXT PRIMARY KEY,
    municipality_code TEXT NOT NULL,
    name              TEXT NOT NULL,
    kind              TEXT NOT NULL,
    created_at        INTEGER NOT NULL,
    UNIQUE (municipality_code, name)
);

CREATE TABLE users (
    id                TEXT PRIMARY KEY,
    municipality_code TEXT NOT NULL,
    email             TEXT NOT NULL,
    display_name      TEXT NOT NULL,
    password_hash     TEXT NOT NULL,
    role              TEXT NOT NULL CHECK (role IN ('resident','provider_staff','caregiver','welfare_worker','group_leader','official','admin')),
    organization_id   TEXT REFERENCES organizations(id),
    locale            TEXT NOT NULL DEFAULT 'ko',
    active            BOOLEAN NOT NULL DEFAULT TRUE,
    failed_logins     INTEGER NOT NULL DEFAULT 0,
    locked_until      INTEGER,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL,
    UNIQUE (municipality_code, email)
);

CREATE TABLE user_areas (
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    adm_cd2 TEXT NOT NULL,
    PRIMARY KEY (user_id, adm_cd2)
);

CREATE TABLE sessions (
    id         TEXT PRIMARY KEY,            -- SHA-256 of the cookie value; the cookie itself is never stored
    user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    ip         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions(user_id);
CREATE INDEX sessions_expiry ON sessions(expires_at);

CREATE TABLE households (
    id                TEXT PRIMARY KEY,
    municipality_code TEXT NOT NULL,
    adm_cd2           TEXT NOT NULL,
    address           TEXT NOT NULL,
    lat               DOUBLE PRECISION NOT NULL,
    lon               DOUBLE PRECISION NOT NULL,
    created_at        INTEGER NOT NULL
);
CREATE INDEX households_area ON households(municipality_code, adm_cd2);

CREATE TABLE residents (
    id                TEXT PRIMARY KEY,
    municipality_code TEXT NOT NULL,
    household_id      TEXT NOT NULL REFERENCES households(id),
    name              TEXT NOT NULL,
    birth_date        DATE NOT NULL,
    sex               TEXT NOT NULL CHECK (sex IN ('F','M')),
    relation          TEXT NOT NULL,
    phone             TEXT,
    rrn_hmac          TEXT,                 -- HMAC-SHA256 of the 주민등록번호 keyed by the server secret
    rrn_sealed        TEXT,                 -- AES-256-GCM sealed copy, for display where the law needs it
    created_at        INTEGER NOT NULL
);
CREATE INDEX residents_household ON residents(household_id);
CREATE UNIQUE INDEX residents_person ON residents(municipality_code, rrn_hmac);

CREATE TABLE access_log (
    id                TEXT PRIMARY KEY,
    municipality_code TEXT NOT NULL,
    at                INTEGER NOT NULL,
    actor_id          TEXT NOT NULL,
    actor_role        TEXT NOT NULL,
    record_kind       TEXT NOT NULL,
    record_id         TEXT NOT NULL,
    purpose           TEXT NOT NULL,
    ip                TEXT NOT NULL
);
CREATE INDEX access_log_at ON access_log(municipality_code, at);
CREATE INDEX access_log_record ON access_log(record_kind, record_id);
CREATE INDEX access_log_actor ON access_log(actor_id, at);
CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log
BEGIN SELECT RAISE(ABORT, 'access_log is append-only'); END;
CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log
BEGIN SELECT RAISE(ABORT, 'access_log is append-only'); END;

CREATE TABLE change_log (
    seq               INTEGER PRIMARY KEY AUTOINCREMENT,
    municipality_code TEXT NOT NULL,
    entity            TEXT NOT NULL,
    entity_id         TEXT NOT NULL,
    op                TEXT NOT NULL CHECK (op IN ('upsert','delete')),
    at                INTEGER NOT NULL
);

CREATE TABLE jobs (
    id           TEXT PRIMARY KEY,
    kind         TEXT NOT NULL,
    payload      TEXT NOT NULL,
    dedupe_key   TEXT UNIQUE,
    status       TEXT NOT NULL CHECK (status IN ('queued','running','done','dead')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL,
    run_at       INTEGER NOT NULL,
    locked_by    TEXT,
    locked_until INTEGER,
    last_error   TEXT,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);
CREATE INDEX jobs_due ON jobs(status, run_at);
