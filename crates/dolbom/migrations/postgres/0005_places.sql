-- Places: care facilities (with opening hours per weekday and on public holidays) and community groups with join
-- requests. Ages in months (만 나이 × 12 and up), hours in minutes after midnight (Asia/Seoul), 1440 = midnight.

CREATE TABLE facilities (
    id                TEXT PRIMARY KEY,
    municipality_code TEXT NOT NULL,
    source_id         TEXT,
    kind              TEXT NOT NULL,
    name              TEXT NOT NULL,
    operator          TEXT,
    organization_id   TEXT REFERENCES organizations(id),
    address           TEXT NOT NULL,
    latitude          DOUBLE PRECISION NOT NULL,
    longitude         DOUBLE PRECISION NOT NULL,
    adm_cd2           TEXT NOT NULL,
    min_age_months    INTEGER NOT NULL CHECK (min_age_months >= 0),
    max_age_months    INTEGER NOT NULL CHECK (max_age_months >= min_age_months),
    capacity          INTEGER CHECK (capacity >= 0),                       -- NULL: not known yet
    enrolled          INTEGER CHECK (enrolled >= 0 AND enrolled <= capacity),
    services          TEXT NOT NULL DEFAULT '',
    programmes        TEXT NOT NULL DEFAULT '',
    languages         TEXT NOT NULL DEFAULT 'ko',
    phone             TEXT,
    website           TEXT,
    photos            TEXT NOT NULL DEFAULT '',
    hours_confirmed   BOOLEAN NOT NULL DEFAULT FALSE,
    updated_at        BIGINT NOT NULL,
    UNIQUE (municipality_code, source_id)
);
CREATE INDEX facilities_area ON facilities(municipality_code, adm_cd2);

CREATE TABLE facility_hours (
    facility_id TEXT NOT NULL REFERENCES facilities(id) ON DELETE CASCADE,
    day         INTEGER NOT NULL CHECK (day BETWEEN 0 AND 7),   -- 0 Monday … 6 Sunday, 7 public holidays
    opens       INTEGER NOT NULL CHECK (opens >= 0),
    closes      INTEGER NOT NULL CHECK (closes > opens AND closes <= 1440),
    PRIMARY KEY (facility_id, day)
);

CREATE TABLE community_groups (
    id                TEXT PRIMARY KEY,
    municipality_code TEXT NOT NULL,
    source_id         TEXT,
    kind              TEXT NOT NULL,
    name              TEXT NOT NULL,
    organization_id   TEXT REFERENCES organizations(id),
    adm_cd2           TEXT NOT NULL,
    activities        TEXT NOT NULL,
    meeting_place     TEXT NOT NULL,
    latitude          DOUBLE PRECISION NOT NULL,
    longitude         DOUBLE PRECISION NOT NULL,
    meeting_time      TEXT NOT NULL,
    contact           TEXT,
    member_count      INTEGER NOT NULL CHECK (member_count >= 0),
    updated_at        BIGINT NOT NULL,
    UNIQUE (municipality_code, source_id)
);

CREATE TABLE group_join_requests (
    id          TEXT PRIMARY KEY,
    group_id    TEXT NOT NULL REFERENCES community_groups(id) ON DELETE CASCADE,
    user_id     TEXT NOT NULL REFERENCES users(id),
    message     TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL CHECK (status IN ('pending', 'accepted', 'declined')),
    created_at  BIGINT NOT NULL,
    answered_at BIGINT,
    UNIQUE (group_id, user_id)
);
