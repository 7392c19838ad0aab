//! SQL of cases. Every change names the agency making it and changes nothing unless that agency holds the case and
//! the case is open (one conditional statement), so a closed case or another agency's case is left as it was.

use chrono::NaiveDate;
use serde::Serialize;

use super::model::{Assessment, PlanItem, REVIEW_EVERY_DAYS};
use crate::db::time::{Millis, now_millis, seoul_today};
use crate::db::{Db, new_id};
use crate::db_run;
use crate::people::consent::COVERS;

#[derive(Debug, thiserror::Error)]
pub enum CaseError {
    #[error("no such household")]
    UnknownHousehold,
    /// The case is closed, held by another agency, or unknown: nothing was changed.
    #[error("the case cannot be changed by this agency")]
    NotOpenHere,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Case {
    pub id: String,
    pub household_id: String,
    pub adm_cd2: String,
    pub agency_id: String,
    pub agency_name: String,
    pub worker_name: String,
    pub summary: String,
    pub status: String,
    pub opened_at: Millis,
    pub next_review_on: NaiveDate,
    pub closed_at: Option<Millis>,
    pub closure_reason: String,
    pub closure_note: String,
}

const CASE_SELECT: &str = "SELECT k.id, k.household_id, h.adm_cd2, k.agency_id, o.name AS agency_name, \
     u.display_name AS worker_name, k.summary, k.status, k.opened_at, k.next_review_on, k.closed_at, \
     k.closure_reason, k.closure_note FROM cases k JOIN households h ON h.id = k.household_id \
     JOIN organizations o ON o.id = k.agency_id JOIN users u ON u.id = k.worker_id";

/// Opens a case for `agency`, its next review [`REVIEW_EVERY_DAYS`] from today; returns its id.
pub async fn open(
    db: &Db,
    municipality: &str,
    household_id: &str,
    agency: &str,
    worker: &str,
    summary: &str,
) -> Result<String, CaseError> {
    let known = "SELECT COUNT(*) FROM households WHERE id = $1 AND municipality_code = $2";
    let n: i64 = db_run!(db, p => sqlx::query_scalar(known).bind(household_id).bind(municipality).fetch_one(p).await)?;
    if n == 0 {
        return Err(CaseError::UnknownHousehold);
    }
    let id = new_id();
    let review = seoul_today() + chrono::Days::new(REVIEW_EVERY_DAYS);
    let sql = "INSERT INTO cases (id, municipality_code, household_id, agency_id, worker_id, summary, status, \
               opened_at, next_review_on) VALUES ($1, $2, $3, $4, $5, $6, 'open', $7, $8)";
    db_run!(db, p => sqlx::query(sql).bind(&id).bind(municipality).bind(household_id).bind(agency).bind(worker)
        .bind(summary).bind(now_millis()).bind(review).execute(p).await.map(|_| ()))?;
    Ok(id)
}

pub async fn get(db: &Db, municipality: &str, id: &str) -> Result<Option<Case>, sqlx::Error> {
    let sql = format!("{CASE_SELECT} WHERE k.id = $1 AND k.municipality_code = $2");
    db_run!(db, p => sqlx::query_as(&sql).bind(id).bind(municipality).fetch_optional(p).await)
}

pub async fn of_household(db: &Db, household_id: &str) -> Result<Vec<Case>, sqlx::Error> {
    let sql = format!("{CASE_SELECT} WHERE k.household_id = $1 ORDER BY k.opened_at DESC, k.id");
    db_run!(db, p => sqlx::query_as(&sql).bind(household_id).fetch_all(p).await)
}

/// An agency's open cases, the review most due first.
pub async fn open_of_agency(db: &Db, agency: &str) -> Result<Vec<Case>, sqlx::Error> {
    let sql = format!("{CASE_SELECT} WHERE k.agency_id = $1 AND k.status = 'open' ORDER BY k.next_review_on, k.id");
    db_run!(db, p => sqlx::query_as(&sql).bind(agency).fetch_all(p).await)
}

/// Every open case of the municipality (officials), the review most due first.
pub async fn open_in(db: &Db, municipality: &str) -> Result<Vec<Case>, sqlx::Error> {
    let sql = format!(
        "{CASE_SELECT} WHERE k.municipality_code = $1 AND k.status = 'open' ORDER BY k.next_review_on, k.id LIMIT 500"
    );
    db_run!(db, p => sqlx::query_as(&sql).bind(municipality).fetch_all(p).await)
}

/// Other agencies' open cases whose household shares with `agency` today (a member's information-sharing
/// consent covers it).
pub async fn shared_with(db: &Db, municipality: &str, agency: &str) -> Result<Vec<Case>, sqlx::Error> {
    let sql = format!(
        "{CASE_SELECT} WHERE k.municipality_code = $1 AND k.status = 'open' AND k.agency_id <> $3 AND EXISTS (SELECT 1 FROM residents r \
         JOIN resident_consents c ON c.resident_id = r.id WHERE r.household_id = k.household_id AND {COVERS}) \
         ORDER BY k.next_review_on, k.id LIMIT 500"
    );
    db_run!(db, p => sqlx::query_as(&sql).bind(municipality).bind("information_sharing").bind(agency)
        .bind(seoul_today()).fetch_all(p).await)
}

/// A change to an open case of the agency; `NotOpenHere` when it touched nothing.
fn changed(touched: u64) -> Result<(), CaseError> {
    if touched == 0 { Err(CaseError::NotOpenHere) } else { Ok(()) }
}

const OPEN_HERE: &str = "EXISTS (SELECT 1 FROM cases k WHERE k.id = $1 AND k.agency_id = $2 AND k.status = 'open')";

pub async fn assess(db: &Db, case_id: &str, agency: &str, by: &str, a: &Assessment) -> Result<(), CaseError> {
    let sql = format!(
        "INSERT INTO case_assessments (id, case_id, domain, level, note, assessed_by, assessed_at) \
         SELECT $3, $1, $4, $5, $6, $7, $8 WHERE {OPEN_HERE}"
    );
    let n = db_run!(db, p => sqlx::query(&sql).bind(case_id).bind(agency).bind(new_id()).bind(&a.domain)
        .bind(a.level).bind(&a.note).bind(by).bind(now_millis()).execute(p).await.map(|r| r.rows_affected()))?;
    changed(n)
}

pub async fn add_plan_item(db: &Db, case_id: &str, agency: &str, by: &str, item: &PlanItem) -> Result<(), CaseError> {
    let sql = format!(
        "INSERT INTO case_plan_items (id, case_id, domain, goal, due_on, created_by, created_at) \
         SELECT $3, $1, $4, $5, $6, $7, $8 WHERE {OPEN_HERE}"
    );
    let n = db_run!(db, p => sqlx::query(&sql).bind(case_id).bind(agency).bind(new_id()).bind(&item.domain)
        .bind(&item.goal).bind(item.due_on).bind(by).bind(now_millis()).execute(p).await.map(|r| r.rows_affected()))?;
    changed(n)
}

pub async fn complete_plan_item(db: &Db, case_id: &str, agency: &str, item_id: &str) -> Result<(), CaseError> {
    let sql = format!(
        "UPDATE case_plan_items SET done_at = $3 WHERE id = $4 AND case_id = $1 AND done_at IS NULL AND {OPEN_HERE}"
    );
    let n = db_run!(db, p => sqlx::query(&sql).bind(case_id).bind(agency).bind(now_millis()).bind(item_id)
        .execute(p).await.map(|r| r.rows_affected()))?;
    changed(n)
}

/// Records a review and sets the next one, in one transaction.
pub async fn review(
    db: &Db,
    case_id: &str,
    agency: &str,
    by: &str,
    note: &str,
    next: NaiveDate,
) -> Result<(), CaseError> {
    let mut tx = db.begin().await?;
    let sql = "UPDATE cases SET next_review_on = $3 WHERE id = $1 AND agency_id = $2 AND status = 'open'";
    let n = crate::tx_run!(&mut tx, c => sqlx::query(sql).bind(case_id).bind(agency).bind(next).execute(c).await
        .map(|r| r.rows_affected()))?;
    changed(n)?;
    let sql = "INSERT INTO case_reviews (id, case_id, note, next_review_on, reviewed_by, reviewed_at) \
               VALUES ($1, $2, $3, $4, $5, $6)";
    crate::tx_run!(&mut tx, c => sqlx::query(sql).bind(new_id()).bind(case_id).bind(note).bind(next).bind(by)
        .bind(now_millis()).execute(c).await.map(|_| ()))?;
    tx.commit().await?;
    Ok(())
}

pub async fn close(db: &Db, case_id: &str, agency: &str, reason: &str, note: &str) -> Result<(), CaseError> {
    let sql = "UPDATE cases SET status = 'closed', closed_at = $3, closure_reason = $4, closure_note = $5 \
               WHERE id = $1 AND agency_id = $2 AND status = 'open'";
    let n = db_run!(db, p => sqlx::query(sql).bind(case_id).bind(agency).bind(now_millis()).bind(reason).bind(note)
        .execute(p).await.map(|r| r.rows_affected()))?;
    changed(n)
}

/// The current need per domain: the latest assessment of each.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Need {
    pub domain: String,
    pub level: i32,
    pub note: String,
}

pub async fn needs(db: &Db, case_id: &str) -> Result<Vec<Need>, sqlx::Error> {
    let sql = "SELECT a.domain, a.level, a.note FROM case_assessments a WHERE a.case_id = $1 AND a.assessed_at = \
               (SELECT MAX(b.assessed_at) FROM case_assessments b WHERE b.case_id = a.case_id AND b.domain = a.domain) \
               ORDER BY a.level DESC, a.domain";
    let mut rows: Vec<Need> = db_run!(db, p => sqlx::query_as(sql).bind(case_id).fetch_all(p).await)?;
    rows.dedup_by(|a, b| a.domain == b.domain);
    Ok(rows)
}

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Plan {
    pub id: String,
    pub domain: String,
    pub goal: String,
    pub due_on: NaiveDate,
    pub done_at: Option<Millis>,
}

pub async fn plan(db: &Db, case_id: &str) -> Result<Vec<Plan>, sqlx::Error> {
    let sql = "SELECT id, domain, goal, due_on, done_at FROM case_plan_items WHERE case_id = $1 ORDER BY due_on, id";
    db_run!(db, p => sqlx::query_as(sql).bind(case_id).fetch_all(p).await)
}
