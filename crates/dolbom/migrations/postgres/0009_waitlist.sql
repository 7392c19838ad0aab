-- Waitlists (issue #7): a child waits for up to five centres in order; facts that give priority are claimed by
-- the guardian and count once staff verified them; rounds publish their lottery seed before they run and run once;
-- a child is placed at most once.

CREATE TABLE waitlist_applications (
    id                TEXT PRIMARY KEY,
    municipality_code TEXT NOT NULL,
    child_id          TEXT NOT NULL REFERENCES children(id),
    guardian_id       TEXT NOT NULL REFERENCES users(id),
    status            TEXT NOT NULL CHECK (status IN ('waiting', 'placed', 'withdrawn')),
    created_at        BIGINT  NOT NULL,
    updated_at        BIGINT  NOT NULL
);
-- One waiting application per child: a second is refused by the database.
CREATE UNIQUE INDEX waitlist_one_per_child ON waitlist_applications(child_id) WHERE status = 'waiting';
CREATE INDEX waitlist_guardian ON waitlist_applications(guardian_id);

CREATE TABLE waitlist_choices (
    application_id TEXT NOT NULL REFERENCES waitlist_applications(id) ON DELETE CASCADE,
    rank           INTEGER NOT NULL CHECK (rank BETWEEN 1 AND 5),
    facility_id    TEXT NOT NULL REFERENCES facilities(id),
    PRIMARY KEY (application_id, rank),
    UNIQUE (application_id, facility_id)
);

CREATE TABLE waitlist_facts (
    application_id TEXT NOT NULL REFERENCES waitlist_applications(id) ON DELETE CASCADE,
    fact           TEXT NOT NULL,
    claimed_at     BIGINT  NOT NULL,
    verified_by    TEXT REFERENCES users(id),
    verified_at    BIGINT,
    PRIMARY KEY (application_id, fact)
);

CREATE TABLE allocation_rounds (
    id                TEXT PRIMARY KEY,
    municipality_code TEXT NOT NULL,
    -- Decimal text: the full unsigned 64-bit seed, as published.
    lottery_seed      TEXT NOT NULL,
    published_at      BIGINT  NOT NULL,
    published_by      TEXT REFERENCES users(id),
    ran_at            BIGINT,
    ran_by            TEXT REFERENCES users(id)
);

CREATE TABLE allocation_results (
    round_id       TEXT NOT NULL REFERENCES allocation_rounds(id),
    application_id TEXT NOT NULL REFERENCES waitlist_applications(id),
    facility_id    TEXT REFERENCES facilities(id),
    priority_class INTEGER,
    points         INTEGER NOT NULL,
    explanation    TEXT NOT NULL,
    PRIMARY KEY (round_id, application_id)
);

-- Places given: an application is placed once, ever.
CREATE TABLE waitlist_places (
    application_id TEXT PRIMARY KEY REFERENCES waitlist_applications(id),
    facility_id    TEXT NOT NULL REFERENCES facilities(id),
    round_id       TEXT NOT NULL REFERENCES allocation_rounds(id),
    placed_at      BIGINT  NOT NULL
);
CREATE INDEX waitlist_places_facility ON waitlist_places(facility_id);
-- One published round waiting to run at a time: no one can publish several seeds and run the one they like.
CREATE UNIQUE INDEX allocation_rounds_one_open ON allocation_rounds(municipality_code) WHERE ran_at IS NULL;
