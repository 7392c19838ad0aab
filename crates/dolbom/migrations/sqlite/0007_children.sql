-- Children their guardians register once, for every care application after. A 주민등록번호, when given, is kept
-- only as a keyed hash (to find the same child again) and a sealed copy, never in plaintext.
CREATE TABLE children (
    id                TEXT PRIMARY KEY,
    municipality_code TEXT NOT NULL,
    guardian_id       TEXT NOT NULL REFERENCES users(id),
    name              TEXT NOT NULL,
    birth_date        DATE NOT NULL,
    sex               TEXT NOT NULL CHECK (sex IN ('F', 'M')),
    school            TEXT,
    special_needs     TEXT NOT NULL DEFAULT '',
    allergies         TEXT NOT NULL DEFAULT '',
    rrn_hmac          TEXT,
    rrn_sealed        TEXT,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL
);
CREATE INDEX children_guardian ON children(guardian_id);
CREATE UNIQUE INDEX children_person ON children(municipality_code, rrn_hmac);

CREATE TABLE child_contacts (
    child_id TEXT NOT NULL REFERENCES children(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    name     TEXT NOT NULL,
    relation TEXT NOT NULL,
    phone    TEXT NOT NULL,
    PRIMARY KEY (child_id, position)
);

CREATE TABLE child_consents (
    child_id TEXT NOT NULL REFERENCES children(id) ON DELETE CASCADE,
    kind     TEXT NOT NULL CHECK (kind IN ('data', 'emergency_care', 'photos', 'share_with_provider')),
    at       INTEGER NOT NULL,
    PRIMARY KEY (child_id, kind)
);
