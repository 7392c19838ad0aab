-- Waitlist places are offers first (issue #7): a round, or a place freed between rounds, offers a numbered seat of a
-- centre to a child; the guardian accepts before the offer expires or the seat goes to the next child in that
-- centre's order; the centre records the accepted child as enrolled. The seat numbers let the database refuse one
-- seat held by two children, and one child holding two places.

CREATE TABLE waitlist_offers (
    id             TEXT PRIMARY KEY,
    application_id TEXT NOT NULL REFERENCES waitlist_applications(id),
    facility_id    TEXT NOT NULL REFERENCES facilities(id),
    seat           INTEGER NOT NULL CHECK (seat >= 1),
    -- NULL: offered between rounds, from the centre's order.
    round_id       TEXT REFERENCES allocation_rounds(id),
    status         TEXT NOT NULL CHECK (status IN ('open', 'accepted', 'declined', 'expired', 'enrolled', 'void')),
    offered_at     INTEGER NOT NULL,
    expires_at     INTEGER NOT NULL,
    answered_at    INTEGER
);
CREATE UNIQUE INDEX waitlist_offer_one_open ON waitlist_offers(application_id) WHERE status = 'open';
CREATE UNIQUE INDEX waitlist_offer_one_place ON waitlist_offers(application_id) WHERE status IN ('accepted', 'enrolled');
CREATE UNIQUE INDEX waitlist_seat_held ON waitlist_offers(facility_id, seat) WHERE status IN ('open', 'accepted');
CREATE INDEX waitlist_offers_due ON waitlist_offers(expires_at) WHERE status = 'open';
-- A choice declined or left to expire is not offered again: looked up per application and centre.
CREATE INDEX waitlist_offers_application ON waitlist_offers(application_id, facility_id);
CREATE INDEX waitlist_offers_facility ON waitlist_offers(facility_id, status);

-- The offers replace the places table of 0009, which held places given at once.
DROP TABLE waitlist_places;

-- Where the child lives (행정동 code) for the figures per 행정동 and the siting of the next centre, and when the
-- application left the list, for the figures over time.
ALTER TABLE waitlist_applications ADD COLUMN home_area TEXT;
ALTER TABLE waitlist_applications ADD COLUMN left_at INTEGER;

-- The allocation's input as the round ran, published with its results: anyone re-runs `dolbom allocate` on it.
ALTER TABLE allocation_rounds ADD COLUMN input TEXT;

-- A municipality's own priority rules (JSON, checked as `PriorityRules` before it is saved); none: the default.
CREATE TABLE waitlist_rules (
    municipality_code TEXT PRIMARY KEY,
    rules             TEXT NOT NULL,
    updated_by        TEXT REFERENCES users(id),
    updated_at        INTEGER NOT NULL
);

-- Documents a guardian uploads to prove a claimed fact, sealed (AES-256-GCM under the server secret): staff open
-- them to verify the fact, and each opening is in the access log.
CREATE TABLE waitlist_documents (
    id             TEXT PRIMARY KEY,
    application_id TEXT NOT NULL REFERENCES waitlist_applications(id) ON DELETE CASCADE,
    fact           TEXT NOT NULL,
    content_type   TEXT NOT NULL,
    size           INTEGER NOT NULL CHECK (size > 0),
    sealed         BLOB NOT NULL,
    uploaded_at    INTEGER NOT NULL,
    FOREIGN KEY (application_id, fact) REFERENCES waitlist_facts(application_id, fact) ON DELETE CASCADE
);
CREATE INDEX waitlist_documents_application ON waitlist_documents(application_id, fact);
