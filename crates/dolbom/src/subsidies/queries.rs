//! What the subsidy pages and reports read: programmes, applications with their group's name, reviewers' sheets,
//! disbursements, spending and receipts. Reads only, outside any transaction.

use chrono::NaiveDate;
use grants::review::Sheet;
use serde::Serialize;

use super::store::Programme;
use crate::db::Db;
use crate::db::time::Millis;
use crate::db_run;

pub async fn programmes(db: &Db, municipality: &str) -> Result<Vec<Programme>, sqlx::Error> {
    let sql = "SELECT id, name, description, eligibility, documents, budget_krw, max_grant_krw, opens_on, closes_on, \
               rubric FROM subsidy_programmes WHERE municipality_code = $1 ORDER BY opens_on DESC, name";
    db_run!(db, c => sqlx::query_as(sql).bind(municipality).fetch_all(c).await)
}

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Application {
    pub id: String,
    pub programme_id: String,
    pub programme_name: String,
    pub group_id: String,
    pub group_name: String,
    pub applicant_id: String,
    pub title: String,
    pub summary: String,
    pub requested_krw: i64,
    pub status: String,
    pub granted_krw: Option<i64>,
    pub decision_reason: String,
    pub agreed_at: Option<Millis>,
    pub created_at: Millis,
}

const APPLICATION: &str = "SELECT a.id, a.programme_id, p.name AS programme_name, a.group_id, o.name AS group_name, \
    a.applicant_id, a.title, a.summary, a.requested_krw, a.status, a.granted_krw, a.decision_reason, a.agreed_at, \
    a.created_at FROM subsidy_applications a JOIN subsidy_programmes p ON p.id = a.programme_id \
    JOIN organizations o ON o.id = a.group_id";

pub async fn application(db: &Db, municipality: &str, id: &str) -> Result<Option<Application>, sqlx::Error> {
    let sql = format!("{APPLICATION} WHERE a.id = $1 AND p.municipality_code = $2");
    db_run!(db, c => sqlx::query_as(&sql).bind(id).bind(municipality).fetch_optional(c).await)
}

pub async fn applications_to(db: &Db, programme_id: &str) -> Result<Vec<Application>, sqlx::Error> {
    let sql = format!("{APPLICATION} WHERE a.programme_id = $1 ORDER BY a.created_at");
    db_run!(db, c => sqlx::query_as(&sql).bind(programme_id).fetch_all(c).await)
}

pub async fn applications_of(db: &Db, group_id: &str) -> Result<Vec<Application>, sqlx::Error> {
    let sql = format!("{APPLICATION} WHERE a.group_id = $1 ORDER BY a.created_at DESC");
    db_run!(db, c => sqlx::query_as(&sql).bind(group_id).fetch_all(c).await)
}

/// A reviewer's sheet with the reviewer's name and comment.
#[derive(Clone, Debug)]
pub struct NamedSheet {
    pub sheet: Sheet,
    pub reviewer_name: String,
    pub comment: String,
}

pub async fn sheets(db: &Db, application_id: &str) -> Result<Vec<NamedSheet>, sqlx::Error> {
    let sql = "SELECT r.reviewer_id, r.points, r.comment, u.display_name FROM subsidy_reviews r \
               JOIN users u ON u.id = r.reviewer_id WHERE r.application_id = $1 ORDER BY r.reviewer_id";
    let rows: Vec<(String, String, String, String)> =
        db_run!(db, c => sqlx::query_as(sql).bind(application_id).fetch_all(c).await)?;
    Ok(rows
        .into_iter()
        .filter_map(|(reviewer, points, comment, reviewer_name)| {
            let sheet = Sheet { reviewer, points: serde_json::from_str(&points).ok()? };
            Some(NamedSheet { sheet, reviewer_name, comment })
        })
        .collect())
}

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct SpendingRow {
    pub id: String,
    pub line_code: String,
    pub amount_krw: i64,
    pub spent_on: NaiveDate,
    pub description: String,
    pub has_receipt: bool,
}

pub async fn spending(db: &Db, application_id: &str) -> Result<Vec<SpendingRow>, sqlx::Error> {
    let sql = "SELECT id, line_code, amount_krw, spent_on, description, receipt IS NOT NULL AS has_receipt \
               FROM subsidy_spending WHERE application_id = $1 ORDER BY spent_on, created_at, id";
    db_run!(db, c => sqlx::query_as(sql).bind(application_id).fetch_all(c).await)
}

pub async fn disbursements(db: &Db, application_id: &str) -> Result<Vec<(NaiveDate, i64)>, sqlx::Error> {
    let sql = "SELECT paid_on, amount_krw FROM subsidy_disbursements WHERE application_id = $1 \
               ORDER BY paid_on, created_at";
    db_run!(db, c => sqlx::query_as(sql).bind(application_id).fetch_all(c).await)
}

/// A receipt's type and bytes.
pub async fn receipt(db: &Db, application_id: &str, id: &str) -> Result<Option<(String, Vec<u8>)>, sqlx::Error> {
    let sql = "SELECT receipt_type, receipt FROM subsidy_spending WHERE id = $1 AND application_id = $2 \
               AND receipt IS NOT NULL";
    let row: Option<(Option<String>, Option<Vec<u8>>)> =
        db_run!(db, c => sqlx::query_as(sql).bind(id).bind(application_id).fetch_optional(c).await)?;
    Ok(row.and_then(|(t, b)| Some((t?, b?))))
}
