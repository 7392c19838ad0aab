-- Record linkage in the app (issue #8): an agency uploads recipient lists, dolbom links them, and the pairs neither
-- clearly one person nor clearly two wait in a review queue; a person's decision then draws the clusters again.
CREATE TABLE linkage_runs (
    id                TEXT PRIMARY KEY,
    municipality_code TEXT NOT NULL,
    agency_id         TEXT REFERENCES organizations(id),
    file_name         TEXT NOT NULL,
    records           INTEGER NOT NULL,
    uploaded_by       TEXT NOT NULL REFERENCES users(id),
    uploaded_at       INTEGER NOT NULL
);
CREATE INDEX linkage_runs_agency ON linkage_runs(municipality_code, agency_id, uploaded_at);

CREATE TABLE linkage_records (
    run_id     TEXT NOT NULL REFERENCES linkage_runs(id),
    idx        INTEGER NOT NULL,
    record_id  TEXT NOT NULL,
    source     TEXT NOT NULL,
    name       TEXT NOT NULL,
    birth_date TEXT NOT NULL,
    phone      TEXT NOT NULL,
    address    TEXT NOT NULL,
    PRIMARY KEY (run_id, idx)
);

-- Pairs joined by the model (probability at least 0.8) and pairs to review (0.1 to 0.9); a decision overrides.
CREATE TABLE linkage_pairs (
    run_id      TEXT NOT NULL REFERENCES linkage_runs(id),
    a           INTEGER NOT NULL,
    b           INTEGER NOT NULL,
    probability DOUBLE PRECISION NOT NULL,
    to_review   BOOLEAN NOT NULL,
    decision    TEXT CHECK (decision IN ('same', 'different')),
    decided_by  TEXT REFERENCES users(id),
    decided_at  INTEGER,
    PRIMARY KEY (run_id, a, b)
);
