-- A resident's consents (issue #8): for which purpose, shared with which agencies (one agency, or every agency of
-- the municipality's consortium when none is named), from when until when, and withdrawn when. A consent is in
-- force from given_on to expires_on inclusive, unless withdrawn before.
CREATE TABLE resident_consents (
    id                TEXT PRIMARY KEY,
    municipality_code TEXT NOT NULL,
    resident_id       TEXT NOT NULL REFERENCES residents(id),
    purpose           TEXT NOT NULL CHECK (purpose IN ('case_management', 'information_sharing', 'service_linkage', 'outreach')),
    agency_id         TEXT REFERENCES organizations(id),
    given_on          DATE NOT NULL,
    expires_on        DATE NOT NULL,
    withdrawn_at      BIGINT,
    recorded_by       TEXT NOT NULL REFERENCES users(id),
    recorded_at       BIGINT NOT NULL,
    CHECK (expires_on >= given_on)
);
CREATE INDEX resident_consents_resident ON resident_consents(resident_id, purpose);
