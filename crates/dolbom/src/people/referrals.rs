//! Referrals between agencies, closed-loop: the sending agency refers a household for a need; the receiving agency
//! accepts or declines, records the service given, and closes with an outcome. Each step is one conditional
//! update (`WHERE status = the step before`), so a step taken twice, or out of order, changes nothing and says so.

use super::consent::COVERS;
use crate::db::time::{Millis, now_millis, seoul_today};
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
    /// No member of the household consented to share their information with the receiving agency.
    #[error("no consent to share with the receiving agency")]
    NoConsent,
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

/// Sends a referral, when a member of the household consented to share with the receiving agency; returns its id.
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
    let consent = format!(
        "SELECT COUNT(*) FROM residents r JOIN resident_consents c ON c.resident_id = r.id \
         WHERE r.household_id = $1 AND {COVERS}"
    );
    let consents: i64 = db_run!(db, p => sqlx::query_scalar(&consent).bind(r.household_id).bind("information_sharing")
        .bind(r.to_agency).bind(seoul_today()).fetch_one(p).await)?;
    if consents == 0 {
        return Err(ReferralError::NoConsent);
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

/// A referral as the pages list it.
#[derive(Clone, Debug, sqlx::FromRow, serde::Serialize)]
pub struct Referral {
    pub id: String,
    pub household_id: String,
    pub adm_cd2: String,
    pub from_agency: String,
    pub from_name: String,
    pub to_agency: String,
    pub to_name: String,
    pub domain: String,
    pub need: String,
    pub status: String,
    pub sent_at: Millis,
    pub outcome: String,
    pub reminded_at: Option<Millis>,
}

const REFERRAL_SELECT: &str = "SELECT f.id, f.household_id, h.adm_cd2, f.from_agency, a.name AS from_name, \
     f.to_agency, b.name AS to_name, f.domain, f.need, f.status, f.sent_at, f.outcome, f.reminded_at FROM referrals f \
     JOIN households h ON h.id = f.household_id JOIN organizations a ON a.id = f.from_agency \
     JOIN organizations b ON b.id = f.to_agency";

pub async fn of_household(db: &Db, household_id: &str) -> Result<Vec<Referral>, sqlx::Error> {
    let sql = format!("{REFERRAL_SELECT} WHERE f.household_id = $1 ORDER BY f.sent_at DESC, f.id");
    db_run!(db, p => sqlx::query_as(&sql).bind(household_id).fetch_all(p).await)
}

/// An agency's referrals, received and sent: the open ones first, then the latest 100 finished.
pub async fn of_agency(db: &Db, agency: &str) -> Result<Vec<Referral>, sqlx::Error> {
    let sql = format!(
        "{REFERRAL_SELECT} WHERE (f.to_agency = $1 OR f.from_agency = $1) \
         ORDER BY CASE WHEN f.status IN ('declined', 'closed') THEN 1 ELSE 0 END, f.sent_at DESC, f.id LIMIT 200"
    );
    db_run!(db, p => sqlx::query_as(&sql).bind(agency).fetch_all(p).await)
}

/// The agencies a household can be referred to: the municipality's 동주민센터s, welfare centres and private
/// agencies, other than the sender.
pub async fn agencies(db: &Db, municipality: &str, except: &str) -> Result<Vec<(String, String)>, sqlx::Error> {
    let sql = "SELECT id, name FROM organizations WHERE municipality_code = $1 AND id <> $2 \
               AND kind IN ('community_center', 'welfare_center', 'private_agency') ORDER BY name";
    db_run!(db, p => sqlx::query_as(sql).bind(municipality).bind(except).fetch_all(p).await)
}

/// Reminds each stalled referral once per stall: the receiving agency's and the sender's staff are told. Safe on
/// several processes (`mark_reminded` is claimed once). Returns how many were reminded.
pub async fn remind_stalled(db: &Db, municipality: &str) -> Result<usize, sqlx::Error> {
    let now = now_millis();
    let mut reminded = 0;
    for (id, from_agency, status) in stalled(db, municipality, now).await? {
        if !mark_reminded(db, &id, now).await? {
            continue;
        }
        let sql = "SELECT u.id FROM users u JOIN referrals f ON f.id = $1 \
                   WHERE u.active = TRUE AND (u.organization_id = f.to_agency OR u.organization_id = $2)";
        let users: Vec<String> =
            db_run!(db, p => sqlx::query_scalar(sql).bind(&id).bind(&from_agency).fetch_all(p).await)?;
        // Not answered, or accepted and not served: each its own message.
        let message = if status == "sent" { "notify-referral-unanswered" } else { "notify-referral-unserved" };
        crate::notify::store::send(db, &users, message, &serde_json::json!({}), "/staff/referrals").await?;
        reminded += 1;
    }
    Ok(reminded)
}
