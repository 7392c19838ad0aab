-- Referrals between agencies (issue #8), closed-loop: sent → accepted (or declined) → served → closed with an
-- outcome. Each step's time is kept; a referral that stalls (not accepted, or accepted and not served, in time) is
-- found by the times, and its senders are reminded.
CREATE TABLE referrals (
    id                TEXT PRIMARY KEY,
    municipality_code TEXT NOT NULL,
    household_id      TEXT NOT NULL REFERENCES households(id),
    from_agency       TEXT NOT NULL REFERENCES organizations(id),
    to_agency         TEXT NOT NULL REFERENCES organizations(id),
    domain            TEXT NOT NULL CHECK (domain IN ('income', 'housing', 'health', 'care', 'employment', 'education', 'safety', 'other')),
    need              TEXT NOT NULL,
    status            TEXT NOT NULL CHECK (status IN ('sent', 'accepted', 'declined', 'served', 'closed')),
    sent_by           TEXT NOT NULL REFERENCES users(id),
    sent_at           BIGINT NOT NULL,
    answered_at       BIGINT,
    served_at         BIGINT,
    closed_at         BIGINT,
    outcome           TEXT NOT NULL DEFAULT '',
    reminded_at       BIGINT,
    CHECK (from_agency <> to_agency)
);
CREATE INDEX referrals_to ON referrals(to_agency, status);
CREATE INDEX referrals_from ON referrals(from_agency, status);
CREATE INDEX referrals_household ON referrals(household_id);
