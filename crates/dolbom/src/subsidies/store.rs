//! SQL of programmes, applications, reviewers' sheets and decisions.

use chrono::NaiveDate;
use grants::plan::{self, Plan, PlanError};
use grants::review::{self, Criterion, Outcome, Sheet, SheetError};
use serde::Serialize;

use crate::db::time::now_millis;
use crate::db::{Db, is_unique_violation, new_id};
use crate::{db_run, tx_run};

#[derive(Debug, thiserror::Error)]
pub enum SubsidyError {
    #[error("the plan breaks its rules")]
    Plan(Vec<PlanError>),
    #[error(transparent)]
    Sheet(#[from] SheetError),
    #[error(transparent)]
    Spend(#[from] grants::ledger::SpendError),
    /// More than the programme gives one group.
    #[error("more than the programme's most per group")]
    OverMax { max: i64 },
    #[error("the programme is not taking applications that day")]
    Closed,
    /// The group applied to this programme already.
    #[error("applied already")]
    AppliedAlready,
    /// Money moves only after the group signs the agreement (약정).
    #[error("the agreement is not signed yet")]
    NotAgreed,
    /// Not in the state the step starts from (decided already, not approved, …).
    #[error("not possible now")]
    OutOfOrder,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

#[derive(Clone, Debug)]
pub struct NewProgramme<'a> {
    pub name: &'a str,
    pub description: &'a str,
    pub eligibility: &'a str,
    pub documents: &'a str,
    pub budget_krw: i64,
    pub max_grant_krw: i64,
    pub opens_on: NaiveDate,
    pub closes_on: NaiveDate,
    pub rubric: &'a [Criterion],
}

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Programme {
    pub id: String,
    pub name: String,
    pub description: String,
    pub eligibility: String,
    pub documents: String,
    pub budget_krw: i64,
    pub max_grant_krw: i64,
    pub opens_on: NaiveDate,
    pub closes_on: NaiveDate,
    pub rubric: String,
}

impl Programme {
    pub fn criteria(&self) -> Vec<Criterion> {
        serde_json::from_str(&self.rubric).unwrap_or_default()
    }
}

pub async fn create_programme(
    db: &Db,
    municipality: &str,
    by: &str,
    p: &NewProgramme<'_>,
) -> Result<String, sqlx::Error> {
    let id = new_id();
    let rubric = serde_json::to_string(p.rubric).unwrap_or_else(|_| "[]".into());
    let sql = "INSERT INTO subsidy_programmes (id, municipality_code, name, description, eligibility, documents, \
               budget_krw, max_grant_krw, opens_on, closes_on, rubric, created_by, created_at) \
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)";
    db_run!(db, c => sqlx::query(sql).bind(&id).bind(municipality).bind(p.name).bind(p.description)
        .bind(p.eligibility).bind(p.documents).bind(p.budget_krw).bind(p.max_grant_krw).bind(p.opens_on)
        .bind(p.closes_on).bind(&rubric).bind(by).bind(now_millis()).execute(c).await.map(|_| ()))?;
    Ok(id)
}

pub async fn programme(db: &Db, municipality: &str, id: &str) -> Result<Option<Programme>, sqlx::Error> {
    let sql = "SELECT id, name, description, eligibility, documents, budget_krw, max_grant_krw, opens_on, closes_on, \
               rubric FROM subsidy_programmes WHERE id = $1 AND municipality_code = $2";
    db_run!(db, c => sqlx::query_as(sql).bind(id).bind(municipality).fetch_optional(c).await)
}

#[derive(Clone, Debug)]
pub struct NewApplication<'a> {
    pub group_id: &'a str,
    pub applicant_id: &'a str,
    pub title: &'a str,
    pub summary: &'a str,
    pub plan: &'a Plan,
}

/// A group's application with its plan as version 1, on `today` (within the programme's dates). The plan's total
/// is what is requested, within the programme's most per group.
pub async fn apply(
    db: &Db,
    programme: &Programme,
    a: &NewApplication<'_>,
    today: NaiveDate,
) -> Result<String, SubsidyError> {
    if today < programme.opens_on || today > programme.closes_on {
        return Err(SubsidyError::Closed);
    }
    let requested = a.plan.total();
    let problems = plan::check(a.plan, programme.max_grant_krw);
    if problems.iter().any(|p| matches!(p, PlanError::OverGrant { .. })) && problems.len() == 1 {
        return Err(SubsidyError::OverMax { max: programme.max_grant_krw });
    }
    if !problems.is_empty() {
        return Err(SubsidyError::Plan(problems));
    }
    let id = new_id();
    let now = now_millis();
    let mut tx = db.begin().await?;
    let sql = "INSERT INTO subsidy_applications (id, programme_id, group_id, applicant_id, title, summary, \
               requested_krw, status, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'submitted', $8)";
    let inserted = tx_run!(&mut tx, c => sqlx::query(sql).bind(&id).bind(&programme.id).bind(a.group_id)
        .bind(a.applicant_id).bind(a.title.trim()).bind(a.summary.trim()).bind(requested).bind(now)
        .execute(c).await.map(|_| ()));
    match inserted {
        Err(e) if is_unique_violation(&e) => return Err(SubsidyError::AppliedAlready),
        other => other?,
    }
    crate::subsidies::ledger_store::insert_version(&mut tx, &id, 1, a.plan, "", a.applicant_id, now).await?;
    tx.commit().await?;
    Ok(id)
}

/// A reviewer's sheet, checked against the programme's rubric; a second sheet by the same reviewer replaces the
/// first while the application waits for its decision.
pub async fn review(
    db: &Db,
    programme: &Programme,
    application_id: &str,
    reviewer: &str,
    points: &[u32],
    comment: &str,
) -> Result<(), SubsidyError> {
    review::check_sheet(&programme.criteria(), points)?;
    let points = serde_json::to_string(points).unwrap_or_else(|_| "[]".into());
    let sql = "INSERT INTO subsidy_reviews (application_id, reviewer_id, points, comment, submitted_at) \
               SELECT $1, $2, $3, $4, $5 WHERE EXISTS (SELECT 1 FROM subsidy_applications \
               WHERE id = $1 AND status = 'submitted') \
               ON CONFLICT (application_id, reviewer_id) DO UPDATE SET points = excluded.points, \
               comment = excluded.comment, submitted_at = excluded.submitted_at";
    let n = db_run!(db, c => sqlx::query(sql).bind(application_id).bind(reviewer).bind(&points).bind(comment.trim())
        .bind(now_millis()).execute(c).await.map(|r| r.rows_affected()))?;
    if n == 0 { Err(SubsidyError::OutOfOrder) } else { Ok(()) }
}

/// The application's result so far from its sheets.
pub async fn outcome(db: &Db, application_id: &str) -> Result<Option<Outcome>, sqlx::Error> {
    let sql = "SELECT reviewer_id, points FROM subsidy_reviews WHERE application_id = $1 ORDER BY reviewer_id";
    let rows: Vec<(String, String)> = db_run!(db, c => sqlx::query_as(sql).bind(application_id).fetch_all(c).await)?;
    let sheets: Vec<Sheet> = rows
        .into_iter()
        .filter_map(|(reviewer, p)| Some(Sheet { reviewer, points: serde_json::from_str(&p).ok()? }))
        .collect();
    Ok(review::result(&sheets))
}

/// An official's decision: approved with the amount granted (at most what was asked; the plan applied with comes
/// into force), or rejected with a reason. Once only.
pub async fn decide(
    db: &Db,
    application_id: &str,
    by: &str,
    granted: Option<i64>,
    reason: &str,
) -> Result<(), SubsidyError> {
    let now = now_millis();
    let mut tx = db.begin().await?;
    let (status, amount) = match granted {
        Some(a) => ("approved", Some(a)),
        None => ("rejected", None),
    };
    let sql = "UPDATE subsidy_applications SET status = $1, granted_krw = $2, decided_by = $3, decided_at = $4, \
               decision_reason = $5 WHERE id = $6 AND status = 'submitted' AND ($2 IS NULL OR $2 <= requested_krw)";
    let n = tx_run!(&mut tx, c => sqlx::query(sql).bind(status).bind(amount).bind(by).bind(now).bind(reason.trim())
        .bind(application_id).execute(c).await.map(|r| r.rows_affected()))?;
    if n == 0 {
        return Err(SubsidyError::OutOfOrder);
    }
    let sql = "UPDATE subsidy_plan_versions SET status = $1, decided_by = $2, decided_at = $3 \
               WHERE application_id = $4 AND version = 1";
    tx_run!(&mut tx, c => sqlx::query(sql).bind(status).bind(by).bind(now).bind(application_id)
        .execute(c).await.map(|_| ()))?;
    tx.commit().await?;
    Ok(())
}

/// The group's leader signs the agreement (약정) of an approved grant: its terms are the decision and the plan in
/// force. Once only.
pub async fn agree(db: &Db, application_id: &str, group_id: &str, by: &str) -> Result<(), SubsidyError> {
    let sql = "UPDATE subsidy_applications SET agreed_at = $1, agreed_by = $2 \
               WHERE id = $3 AND group_id = $4 AND status = 'approved' AND agreed_at IS NULL";
    let n = db_run!(db, c => sqlx::query(sql).bind(now_millis()).bind(by).bind(application_id).bind(group_id)
        .execute(c).await.map(|r| r.rows_affected()))?;
    if n == 0 { Err(SubsidyError::OutOfOrder) } else { Ok(()) }
}
