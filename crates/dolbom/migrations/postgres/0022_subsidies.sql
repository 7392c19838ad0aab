-- Subsidy programmes (보조금 사업, issue #10): a programme, groups' applications with their budget plans, reviewers'
-- scores, the decision, plan changes (every version kept), disbursements and spending per budget line. The rules
-- (a plan's checks, nothing spent past a line) are the grants crate's; the database keeps one application per group
-- and programme, one sheet per reviewer, one plan version number per application.
CREATE TABLE subsidy_programmes (
    id                TEXT PRIMARY KEY,
    municipality_code TEXT NOT NULL,
    name              TEXT NOT NULL,
    description       TEXT NOT NULL DEFAULT '',
    eligibility       TEXT NOT NULL DEFAULT '',
    documents         TEXT NOT NULL DEFAULT '',
    budget_krw        BIGINT NOT NULL CHECK (budget_krw > 0),
    max_grant_krw     BIGINT NOT NULL CHECK (max_grant_krw > 0),
    opens_on          DATE NOT NULL,
    closes_on         DATE NOT NULL,
    -- The rubric as JSON: [{code, name, max_points}].
    rubric            TEXT NOT NULL,
    created_by        TEXT NOT NULL REFERENCES users(id),
    created_at        BIGINT NOT NULL,
    CHECK (closes_on >= opens_on)
);

CREATE TABLE subsidy_applications (
    id              TEXT PRIMARY KEY,
    programme_id    TEXT NOT NULL REFERENCES subsidy_programmes(id),
    -- The group (its organization) and the leader who applied.
    group_id        TEXT NOT NULL REFERENCES organizations(id),
    applicant_id    TEXT NOT NULL REFERENCES users(id),
    title           TEXT NOT NULL,
    summary         TEXT NOT NULL,
    requested_krw   BIGINT NOT NULL CHECK (requested_krw > 0),
    status          TEXT NOT NULL CHECK (status IN ('submitted', 'approved', 'rejected', 'withdrawn')),
    granted_krw     BIGINT,
    decided_by      TEXT REFERENCES users(id),
    decided_at      BIGINT,
    decision_reason TEXT NOT NULL DEFAULT '',
    created_at      BIGINT NOT NULL,
    UNIQUE (programme_id, group_id)
);

-- Version 1 is the plan applied with; a plan change adds the next. One is in force: the highest approved.
CREATE TABLE subsidy_plan_versions (
    application_id  TEXT NOT NULL REFERENCES subsidy_applications(id),
    version         INTEGER NOT NULL CHECK (version > 0),
    -- The budget lines as JSON: [{code, name, amount}].
    lines           TEXT NOT NULL,
    reason          TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL CHECK (status IN ('proposed', 'approved', 'rejected')),
    proposed_by     TEXT NOT NULL REFERENCES users(id),
    proposed_at     BIGINT NOT NULL,
    decided_by      TEXT REFERENCES users(id),
    decided_at      BIGINT,
    decision_reason TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (application_id, version)
);

CREATE TABLE subsidy_reviews (
    application_id TEXT NOT NULL REFERENCES subsidy_applications(id),
    reviewer_id    TEXT NOT NULL REFERENCES users(id),
    -- Points per criterion of the programme's rubric, as JSON: [25, 30, 20].
    points         TEXT NOT NULL,
    comment        TEXT NOT NULL DEFAULT '',
    submitted_at   BIGINT NOT NULL,
    PRIMARY KEY (application_id, reviewer_id)
);

CREATE TABLE subsidy_disbursements (
    id             TEXT PRIMARY KEY,
    application_id TEXT NOT NULL REFERENCES subsidy_applications(id),
    amount_krw     BIGINT NOT NULL CHECK (amount_krw > 0),
    paid_on        DATE NOT NULL,
    recorded_by    TEXT NOT NULL REFERENCES users(id),
    created_at     BIGINT NOT NULL
);
CREATE INDEX subsidy_disbursements_application ON subsidy_disbursements(application_id);

CREATE TABLE subsidy_spending (
    id             TEXT PRIMARY KEY,
    application_id TEXT NOT NULL REFERENCES subsidy_applications(id),
    line_code      TEXT NOT NULL,
    amount_krw     BIGINT NOT NULL CHECK (amount_krw > 0),
    spent_on       DATE NOT NULL,
    description    TEXT NOT NULL,
    -- The receipt (JPEG, PNG, WebP or PDF, known by its first bytes).
    receipt_type   TEXT,
    receipt        BYTEA,
    recorded_by    TEXT NOT NULL REFERENCES users(id),
    created_at     BIGINT NOT NULL
);
CREATE INDEX subsidy_spending_application ON subsidy_spending(application_id, line_code);
