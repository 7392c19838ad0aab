-- Cases and outreach (issue #8). Agencies are organizations; those in the municipality's consortium share cases
-- with each other within what a resident consented to. A case is one agency's work with a household: intake,
-- needs by domain, a plan, reviews and a closure; its timeline is read from these tables and the ledger's,
-- the referrals' and the visits', so nothing is written twice. Outreach visits belong to a welfare worker.
ALTER TABLE organizations ADD COLUMN in_consortium BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE cases (
    id                TEXT PRIMARY KEY,
    municipality_code TEXT NOT NULL,
    household_id      TEXT NOT NULL REFERENCES households(id),
    agency_id         TEXT NOT NULL REFERENCES organizations(id),
    worker_id         TEXT NOT NULL REFERENCES users(id),
    summary           TEXT NOT NULL,
    status            TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    opened_at         INTEGER NOT NULL,
    next_review_on    DATE NOT NULL,
    closed_at         INTEGER,
    closure_reason    TEXT NOT NULL DEFAULT '' CHECK (closure_reason IN ('', 'resolved', 'moved', 'refused', 'transferred', 'other')),
    closure_note      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX cases_household ON cases(household_id, status);
CREATE INDEX cases_agency ON cases(agency_id, status);

-- Each assessment of one domain; the latest per domain is the case's current need.
CREATE TABLE case_assessments (
    id          TEXT PRIMARY KEY,
    case_id     TEXT NOT NULL REFERENCES cases(id),
    domain      TEXT NOT NULL CHECK (domain IN ('income', 'housing', 'health', 'care', 'employment', 'education', 'safety', 'other')),
    level       INTEGER NOT NULL CHECK (level BETWEEN 0 AND 3),
    note        TEXT NOT NULL DEFAULT '',
    assessed_by TEXT NOT NULL REFERENCES users(id),
    assessed_at INTEGER NOT NULL
);
CREATE INDEX case_assessments_case ON case_assessments(case_id, domain, assessed_at);

CREATE TABLE case_plan_items (
    id         TEXT PRIMARY KEY,
    case_id    TEXT NOT NULL REFERENCES cases(id),
    domain     TEXT NOT NULL CHECK (domain IN ('income', 'housing', 'health', 'care', 'employment', 'education', 'safety', 'other')),
    goal       TEXT NOT NULL,
    due_on     DATE NOT NULL,
    done_at    INTEGER,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL
);
CREATE INDEX case_plan_items_case ON case_plan_items(case_id);

CREATE TABLE case_reviews (
    id             TEXT PRIMARY KEY,
    case_id        TEXT NOT NULL REFERENCES cases(id),
    note           TEXT NOT NULL,
    next_review_on DATE NOT NULL,
    reviewed_by    TEXT NOT NULL REFERENCES users(id),
    reviewed_at    INTEGER NOT NULL
);
CREATE INDEX case_reviews_case ON case_reviews(case_id);

-- 찾아가는 동주민센터: a visit scheduled for one worker; once made, its notes and the risks seen.
CREATE TABLE outreach_visits (
    id                TEXT PRIMARY KEY,
    municipality_code TEXT NOT NULL,
    household_id      TEXT NOT NULL REFERENCES households(id),
    adm_cd2           TEXT NOT NULL,
    worker_id         TEXT NOT NULL REFERENCES users(id),
    agency_id         TEXT NOT NULL REFERENCES organizations(id),
    scheduled_on      DATE NOT NULL,
    status            TEXT NOT NULL CHECK (status IN ('scheduled', 'done', 'missed')),
    visited_at        INTEGER,
    notes             TEXT NOT NULL DEFAULT '',
    -- 0 none, 1 watch, 2 at risk, 3 urgent.
    risk_level        INTEGER NOT NULL DEFAULT 0 CHECK (risk_level BETWEEN 0 AND 3),
    -- Space-separated flag codes (isolation, arrears, health, food, housing, neglect, crisis).
    risk_flags        TEXT NOT NULL DEFAULT '',
    created_at        INTEGER NOT NULL
);
CREATE INDEX outreach_visits_worker ON outreach_visits(worker_id, scheduled_on);
CREATE INDEX outreach_visits_area ON outreach_visits(municipality_code, adm_cd2, status);
CREATE INDEX outreach_visits_household ON outreach_visits(household_id, scheduled_on);

CREATE TABLE follow_up_tasks (
    id                TEXT PRIMARY KEY,
    municipality_code TEXT NOT NULL,
    household_id      TEXT NOT NULL REFERENCES households(id),
    visit_id          TEXT REFERENCES outreach_visits(id),
    assignee_id       TEXT NOT NULL REFERENCES users(id),
    task              TEXT NOT NULL,
    due_on            DATE NOT NULL,
    done_at           INTEGER,
    created_at        INTEGER NOT NULL
);
CREATE INDEX follow_up_tasks_assignee ON follow_up_tasks(assignee_id, done_at, due_on);
