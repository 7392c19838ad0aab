-- Every time the ledger's duplicate check warned a worker (issue #8): the household, the agency and the category.
-- A warning the agency did not go ahead from (no link of that category for the household after it) is a
-- duplicate prevented; the dashboards count them.
CREATE TABLE duplicate_alerts (
    id                TEXT PRIMARY KEY,
    municipality_code TEXT NOT NULL,
    household_id      TEXT NOT NULL REFERENCES households(id),
    agency_id         TEXT NOT NULL REFERENCES organizations(id),
    category          TEXT NOT NULL,
    at                BIGINT NOT NULL
);
CREATE INDEX duplicate_alerts_household ON duplicate_alerts(household_id, agency_id, category);
