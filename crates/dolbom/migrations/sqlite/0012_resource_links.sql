-- The resource linkage ledger (issue #8): which service, to which household, by which agency, for which period,
-- how much. Before a link is saved the ledger looks for the same household receiving a service of the same
-- category in an overlapping period from any agency; going ahead needs a reason, and every such warning is kept.
CREATE TABLE resource_links (
    id                TEXT PRIMARY KEY,
    municipality_code TEXT NOT NULL,
    household_id      TEXT NOT NULL REFERENCES households(id),
    service_id        TEXT NOT NULL REFERENCES services(id),
    -- The service's 관심주제 when the link was made: what "the same support" means.
    category          TEXT NOT NULL,
    agency_id         TEXT NOT NULL REFERENCES organizations(id),
    starts_on         DATE NOT NULL,
    ends_on           DATE NOT NULL,
    amount_krw        BIGINT CHECK (amount_krw >= 0),
    in_kind           TEXT NOT NULL DEFAULT '',
    -- Why it went ahead although the same support overlapped; empty when nothing overlapped.
    reason            TEXT NOT NULL DEFAULT '',
    created_by        TEXT NOT NULL REFERENCES users(id),
    created_at        INTEGER NOT NULL,
    CHECK (ends_on >= starts_on)
);
CREATE INDEX resource_links_household ON resource_links(household_id, category, starts_on);
CREATE INDEX resource_links_agency ON resource_links(agency_id, created_at);

-- Each warning: the link saved despite it, and the earlier link it overlapped.
CREATE TABLE duplicate_warnings (
    link_id      TEXT NOT NULL REFERENCES resource_links(id),
    duplicate_of TEXT NOT NULL REFERENCES resource_links(id),
    at           INTEGER NOT NULL,
    PRIMARY KEY (link_id, duplicate_of)
);
