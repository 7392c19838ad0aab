//! Referrals between agencies, closed-loop: the sending agency refers a household for a need; the receiving agency
//! accepts or declines, records the service given, and closes with an outcome. Each step is one conditional
//! update (`WHERE status = the step before`), so a step taken twice, or out of order, changes nothing and says so.

use crate::db::time::{Millis, now_millis};
use crate::db::{Db, new_id};
use crate::db_run;

pub const DOMAINS: [&str; 8] = ["income", "housing", "health", "care", "employment", "education", "safety", "other"];
const DAY: Millis = 86_400_000;
/// A referral not answered in this long, or accepted and not served in this long, has stalled.
pub const ANSWER_WITHIN: Millis = 3 * DAY;
pub const SERVE_WITHIN: Millis = 14 * DAY;

#[derive(Debug, thiserror::Error)]
pub enum ReferralError {
    #[error("unknown domain")]
    UnknownDomain,
    #[error("the need is empty")]
    EmptyNeed,
    #[error("an agency cannot refer to itself")]
    ToItself,
    #[error("no such household or agency")]
    Unknown,
    /// The step does not follow from where the referral is (or the agency is not the one to take it).
    #[error("not possible from the referral's status")]
    OutOfOrder,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewReferral<'a> {
    pub household_id: &'a str,
    pub from_agency: &'a str,
    pub to_agency: &'a str,
    pub domain: &'a str,
    pub need: &'a str,
}

/// Sends a referral; returns its id.
pub async fn send(db: &Db, municipality: &str, r: &NewReferral<'_>, by: &str) -> Result<String, ReferralError> {
    if !DOMAINS.contains(&r.domain) {
        return Err(ReferralError::UnknownDomain);
    }
    if r.need.trim().is_empty() {
        return Err(ReferralError::EmptyNeed);
    }
    if r.from_agency == r.to_agency {
        return Err(ReferralError::ToItself);
    }
    let known = "SELECT (SELECT COUNT(*) FROM households WHERE id = $1 AND municipality_code = $3) \
                 + (SELECT COUNT(*) FROM organizations WHERE id = $2 AND municipality_code = $3)";
    let n: i64 = db_run!(db, p => sqlx::query_scalar(known).bind(r.household_id).bind(r.to_agency).bind(municipality)
        .fetch_one(p).await)?;
    if n != 2 {
        return Err(ReferralError::Unknown);
    }
    let id = new_id();
    let sql = "INSERT INTO referrals (id, municipality_code, household_id, from_agency, to_agency, domain, need, \
               status, sent_by, sent_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'sent', $8, $9)";
    db_run!(db, p => sqlx::query(sql).bind(&id).bind(municipality).bind(r.household_id).bind(r.from_agency)
        .bind(r.to_agency).bind(r.domain).bind(r.need.trim()).bind(by).bind(now_millis()).execute(p).await.map(|_| ()))?;
    Ok(id)
}

/// The receiving agency's steps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Accept,
    Decline,
    Serve,
    /// Closes a served referral with its outcome.
    Close,
}

/// Takes a step for the receiving agency `agency`; `OutOfOrder` when the referral is not where the step starts. A
/// step starts the stall clock afresh, so a referral reminded once can be reminded again at its next stall.
pub async fn step(db: &Db, id: &str, agency: &str, step: Step, outcome: &str) -> Result<(), ReferralError> {
    let (from, to, column) = match step {
        Step::Accept => ("sent", "accepted", "answered_at"),
        Step::Decline => ("sent", "declined", "answered_at"),
        Step::Serve => ("accepted", "served", "served_at"),
        Step::Close => ("served", "closed", "closed_at"),
    };
    let sql = format!(
        "UPDATE referrals SET status = $1, {column} = $2, reminded_at = NULL, \
         outcome = CASE WHEN $3 = '' THEN outcome ELSE $3 END WHERE id = $4 AND to_agency = $5 AND status = $6"
    );
    let done = db_run!(db, p => sqlx::query(&sql).bind(to).bind(now_millis()).bind(outcome.trim()).bind(id)
        .bind(agency).bind(from).execute(p).await.map(|r| r.rows_affected()))?;
    if done == 0 { Err(ReferralError::OutOfOrder) } else { Ok(()) }
}

/// Referrals stalled at `now`, not reminded since they stalled: (id, sending agency, status).
pub async fn stalled(db: &Db, municipality: &str, now: Millis) -> Result<Vec<(String, String, String)>, sqlx::Error> {
    let sql = "SELECT id, from_agency, status FROM referrals WHERE municipality_code = $1 AND reminded_at IS NULL \
               AND ((status = 'sent' AND sent_at <= $2) OR (status = 'accepted' AND answered_at <= $3)) \
               ORDER BY sent_at, id";
    db_run!(db, p => sqlx::query_as(sql).bind(municipality).bind(now - ANSWER_WITHIN).bind(now - SERVE_WITHIN)
        .fetch_all(p).await)
}

/// Marks a stalled referral reminded, once; `false` when another process did it first.
pub async fn mark_reminded(db: &Db, id: &str, now: Millis) -> Result<bool, sqlx::Error> {
    let sql = "UPDATE referrals SET reminded_at = $1 WHERE id = $2 AND reminded_at IS NULL";
    let done = db_run!(db, p => sqlx::query(sql).bind(now).bind(id).execute(p).await.map(|r| r.rows_affected()))?;
    Ok(done == 1)
}
