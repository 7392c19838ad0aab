-- Local resources and 권역 sharing (issue #8). A worker adds a resource found in the field (지역자원 발굴); after an
-- official's review it becomes a directory service and is linked like any other. A 권역 (a group of 행정동s)
-- keeps a pool of donated goods with quantities and runs donation campaigns; what the pool gives goes to a
-- household through the ledger, so the duplicate check sees it.
CREATE TABLE local_resources (
    id                TEXT PRIMARY KEY,
    municipality_code TEXT NOT NULL,
    adm_cd2           TEXT NOT NULL,
    visit_id          TEXT REFERENCES outreach_visits(id),
    name              TEXT NOT NULL,
    kind              TEXT NOT NULL CHECK (kind IN ('meal', 'goods', 'volunteer', 'space', 'service', 'other')),
    description       TEXT NOT NULL,
    contact           TEXT NOT NULL DEFAULT '',
    status            TEXT NOT NULL CHECK (status IN ('proposed', 'approved', 'rejected')),
    proposed_by       TEXT NOT NULL REFERENCES users(id),
    proposed_at       INTEGER NOT NULL,
    reviewed_by       TEXT REFERENCES users(id),
    reviewed_at       INTEGER,
    review_note       TEXT NOT NULL DEFAULT '',
    service_id        TEXT REFERENCES services(id)
);
CREATE INDEX local_resources_status ON local_resources(municipality_code, status, proposed_at);

CREATE TABLE regions (
    id                TEXT PRIMARY KEY,
    municipality_code TEXT NOT NULL,
    name              TEXT NOT NULL,
    -- The directory service the pool's gives are linked as (created with the region).
    service_id        TEXT NOT NULL REFERENCES services(id),
    created_at        INTEGER NOT NULL,
    UNIQUE (municipality_code, name)
);

CREATE TABLE region_areas (
    region_id TEXT NOT NULL REFERENCES regions(id),
    adm_cd2   TEXT NOT NULL,
    PRIMARY KEY (region_id, adm_cd2)
);

CREATE TABLE campaigns (
    id         TEXT PRIMARY KEY,
    region_id  TEXT NOT NULL REFERENCES regions(id),
    title      TEXT NOT NULL,
    goal       TEXT NOT NULL,
    starts_on  DATE NOT NULL,
    ends_on    DATE NOT NULL,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL,
    CHECK (ends_on >= starts_on)
);

CREATE TABLE pool_items (
    id          TEXT PRIMARY KEY,
    region_id   TEXT NOT NULL REFERENCES regions(id),
    name        TEXT NOT NULL,
    unit        TEXT NOT NULL,
    quantity    INTEGER NOT NULL CHECK (quantity >= 0),
    donor       TEXT NOT NULL,
    campaign_id TEXT REFERENCES campaigns(id),
    added_by    TEXT NOT NULL REFERENCES users(id),
    added_at    INTEGER NOT NULL
);
CREATE INDEX pool_items_region ON pool_items(region_id);

-- A pledge to a campaign; once received, its goods join the pool.
CREATE TABLE pledges (
    id           TEXT PRIMARY KEY,
    campaign_id  TEXT NOT NULL REFERENCES campaigns(id),
    donor        TEXT NOT NULL,
    donor_user   TEXT REFERENCES users(id),
    item         TEXT NOT NULL,
    unit         TEXT NOT NULL,
    quantity     INTEGER NOT NULL CHECK (quantity > 0),
    pledged_at   INTEGER NOT NULL,
    pool_item_id TEXT REFERENCES pool_items(id)
);
CREATE INDEX pledges_campaign ON pledges(campaign_id);

-- What the pool gave, to whom: each give is a ledger link.
CREATE TABLE pool_gives (
    id           TEXT PRIMARY KEY,
    pool_item_id TEXT NOT NULL REFERENCES pool_items(id),
    link_id      TEXT NOT NULL REFERENCES resource_links(id),
    quantity     INTEGER NOT NULL CHECK (quantity > 0),
    given_at     INTEGER NOT NULL
);
CREATE INDEX pool_gives_item ON pool_gives(pool_item_id);
