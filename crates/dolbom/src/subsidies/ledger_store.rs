//! SQL of a grant's plan versions, disbursements and spending. Spending is checked inside the transaction that
//! writes it, against the plan in force and everything recorded: on PostgreSQL the application's row is locked
//! first so two spends racing for the same line take turns; SQLite's transactions already do.

use chrono::NaiveDate;
use grants::Krw;
use grants::ledger::{self, Balance};
use grants::plan::{self, LineChange, Plan, PlanError};

use super::store::SubsidyError;
use crate::db::time::{Millis, now_millis};
use crate::db::{Db, Tx, new_id};
use crate::{db_run, tx_run};

pub(crate) async fn insert_version(
    tx: &mut Tx,
    application_id: &str,
    version: i32,
    plan: &Plan,
    reason: &str,
    by: &str,
    now: Millis,
) -> Result<(), sqlx::Error> {
    let lines = serde_json::to_string(&plan.lines).unwrap_or_else(|_| "[]".into());
    let sql = "INSERT INTO subsidy_plan_versions (application_id, version, lines, reason, status, proposed_by, \
               proposed_at) VALUES ($1, $2, $3, $4, 'proposed', $5, $6)";
    tx_run!(tx, c => sqlx::query(sql).bind(application_id).bind(version).bind(&lines).bind(reason.trim()).bind(by)
        .bind(now).execute(c).await.map(|_| ()))
}

const GRANT_SQL: &str = "SELECT granted_krw, agreed_at FROM subsidy_applications WHERE id = $1 AND status = 'approved'";
const IN_FORCE_SQL: &str = "SELECT version, lines FROM subsidy_plan_versions \
    WHERE application_id = $1 AND status = 'approved' ORDER BY version DESC LIMIT 1";
const SPENT_SQL: &str =
    "SELECT line_code, amount_krw FROM subsidy_spending WHERE application_id = $1 ORDER BY created_at, id";
const DISBURSED_SQL: &str = "SELECT amount_krw FROM subsidy_disbursements WHERE application_id = $1";

pub(super) fn parse(lines: &str) -> Plan {
    Plan { lines: serde_json::from_str(lines).unwrap_or_default() }
}

/// What a grant stands on: the amount granted, the plan in force (the latest approved version) and its number.
struct Standing {
    granted: Krw,
    plan: Plan,
    /// The group signed the agreement (약정); nothing is paid or spent before.
    agreed: bool,
}

async fn standing(tx: &mut Tx, application_id: &str) -> Result<Standing, SubsidyError> {
    if let Tx::Postgres(t) = tx {
        sqlx::query("SELECT id FROM subsidy_applications WHERE id = $1 FOR UPDATE")
            .bind(application_id)
            .execute(&mut **t)
            .await?;
    }
    let row: Option<(Option<i64>, Option<i64>)> =
        tx_run!(tx, c => sqlx::query_as(GRANT_SQL).bind(application_id).fetch_optional(c).await)?;
    let (granted, agreed_at) = row.ok_or(SubsidyError::OutOfOrder)?;
    let granted = granted.ok_or(SubsidyError::OutOfOrder)?;
    let (_, lines): (i32, String) =
        tx_run!(tx, c => sqlx::query_as(IN_FORCE_SQL).bind(application_id).fetch_optional(c).await)?
            .ok_or(SubsidyError::OutOfOrder)?;
    Ok(Standing { granted, plan: parse(&lines), agreed: agreed_at.is_some() })
}

async fn spent_per_line(tx: &mut Tx, application_id: &str) -> Result<Vec<(String, Krw)>, sqlx::Error> {
    tx_run!(tx, c => sqlx::query_as(SPENT_SQL).bind(application_id).fetch_all(c).await)
}

async fn disbursed(tx: &mut Tx, application_id: &str) -> Result<Vec<Krw>, sqlx::Error> {
    tx_run!(tx, c => sqlx::query_scalar(DISBURSED_SQL).bind(application_id).fetch_all(c).await)
}

/// Proposes a plan change (사업계획변경): checked against the plan in force, the grant and what each line has spent;
/// one proposal waits at a time. Returns its version and the diff.
pub async fn propose_change(
    db: &Db,
    application_id: &str,
    proposed: &Plan,
    reason: &str,
    by: &str,
) -> Result<(i32, Vec<LineChange>), SubsidyError> {
    let mut tx = db.begin().await?;
    let s = standing(&mut tx, application_id).await?;
    let spending = spent_per_line(&mut tx, application_id).await?;
    let spent = |code: &str| ledger::spent_on(&spending, code);
    let problems = plan::check_change(&s.plan, proposed, s.granted, spent);
    if !problems.is_empty() {
        return Err(SubsidyError::Plan(problems));
    }
    let sql = "SELECT COUNT(*) FROM subsidy_plan_versions WHERE application_id = $1 AND status = 'proposed'";
    let waiting: i64 = tx_run!(&mut tx, c => sqlx::query_scalar(sql).bind(application_id).fetch_one(c).await)?;
    if waiting > 0 {
        return Err(SubsidyError::OutOfOrder);
    }
    let sql = "SELECT MAX(version) FROM subsidy_plan_versions WHERE application_id = $1";
    let last: Option<i32> = tx_run!(&mut tx, c => sqlx::query_scalar(sql).bind(application_id).fetch_one(c).await)?;
    let version = last.unwrap_or(0) + 1;
    insert_version(&mut tx, application_id, version, proposed, reason, by, now_millis()).await?;
    tx.commit().await?;
    Ok((version, plan::diff(&s.plan, proposed)))
}

/// An official approves or rejects a proposed change, with a reason. Approval is checked again against the
/// spending recorded since the proposal.
pub async fn decide_change(
    db: &Db,
    application_id: &str,
    version: i32,
    by: &str,
    approve: bool,
    reason: &str,
) -> Result<(), SubsidyError> {
    let mut tx = db.begin().await?;
    let s = standing(&mut tx, application_id).await?;
    let sql =
        "SELECT lines FROM subsidy_plan_versions WHERE application_id = $1 AND version = $2 AND status = 'proposed'";
    let lines: String = tx_run!(&mut tx, c => sqlx::query_scalar(sql).bind(application_id).bind(version)
        .fetch_optional(c).await)?
    .ok_or(SubsidyError::OutOfOrder)?;
    if approve {
        let spending = spent_per_line(&mut tx, application_id).await?;
        let spent = |code: &str| ledger::spent_on(&spending, code);
        let problems = plan::check_change(&s.plan, &parse(&lines), s.granted, spent);
        if !problems.is_empty() {
            return Err(SubsidyError::Plan(problems));
        }
    }
    let sql = "UPDATE subsidy_plan_versions SET status = $1, decided_by = $2, decided_at = $3, decision_reason = $4 \
               WHERE application_id = $5 AND version = $6 AND status = 'proposed'";
    let status = if approve { "approved" } else { "rejected" };
    tx_run!(&mut tx, c => sqlx::query(sql).bind(status).bind(by).bind(now_millis()).bind(reason.trim())
        .bind(application_id).bind(version).execute(c).await.map(|_| ()))?;
    tx.commit().await?;
    Ok(())
}

/// Records money paid to the group.
pub async fn disburse(
    db: &Db,
    application_id: &str,
    amount: Krw,
    paid_on: NaiveDate,
    by: &str,
) -> Result<(), SubsidyError> {
    let mut tx = db.begin().await?;
    let s = standing(&mut tx, application_id).await?;
    if !s.agreed {
        return Err(SubsidyError::NotAgreed);
    }
    let paid: Krw = disbursed(&mut tx, application_id).await?.iter().sum();
    if amount <= 0 || paid + amount > s.granted {
        return Err(SubsidyError::OverMax { max: s.granted - paid });
    }
    let sql = "INSERT INTO subsidy_disbursements (id, application_id, amount_krw, paid_on, recorded_by, created_at) \
               VALUES ($1, $2, $3, $4, $5, $6)";
    tx_run!(&mut tx, c => sqlx::query(sql).bind(new_id()).bind(application_id).bind(amount).bind(paid_on).bind(by)
        .bind(now_millis()).execute(c).await.map(|_| ()))?;
    tx.commit().await?;
    Ok(())
}

#[derive(Clone, Debug)]
pub struct Spending<'a> {
    pub line_code: &'a str,
    pub amount: Krw,
    pub spent_on: NaiveDate,
    pub description: &'a str,
    /// The receipt's type and bytes, already checked.
    pub receipt: Option<(&'a str, &'a [u8])>,
}

/// Records spending from a budget line, checked in the same transaction: not past the line's amount in the plan in
/// force, not past the cash disbursed, and only while that plan fits the grant.
pub async fn spend(db: &Db, application_id: &str, s: &Spending<'_>, by: &str) -> Result<(), SubsidyError> {
    let mut tx = db.begin().await?;
    let standing = standing(&mut tx, application_id).await?;
    if !standing.agreed {
        return Err(SubsidyError::NotAgreed);
    }
    let total = standing.plan.total();
    if total > standing.granted {
        return Err(SubsidyError::Plan(vec![PlanError::OverGrant { total, granted: standing.granted }]));
    }
    let spending = spent_per_line(&mut tx, application_id).await?;
    let paid = disbursed(&mut tx, application_id).await?;
    let balance = ledger::balance(standing.granted, &standing.plan, &paid, &spending);
    ledger::check_spend(&balance, s.line_code, s.amount)?;
    let sql = "INSERT INTO subsidy_spending (id, application_id, line_code, amount_krw, spent_on, description, \
               receipt_type, receipt, recorded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
    let (kind, bytes) = s.receipt.map_or((None, None), |(k, b)| (Some(k), Some(b)));
    tx_run!(&mut tx, c => sqlx::query(sql).bind(new_id()).bind(application_id).bind(s.line_code).bind(s.amount)
        .bind(s.spent_on).bind(s.description.trim()).bind(kind).bind(bytes).bind(by).bind(now_millis())
        .execute(c).await.map(|_| ()))?;
    tx.commit().await?;
    Ok(())
}

/// The grant's balance now, with the number of the plan in force; `None` before it is approved. Read outside any
/// transaction, so pages never wait for the writer.
pub async fn balance(db: &Db, application_id: &str) -> Result<Option<(Balance, i32)>, sqlx::Error> {
    let grant: Option<(Option<i64>, Option<i64>)> =
        db_run!(db, c => sqlx::query_as(GRANT_SQL).bind(application_id).fetch_optional(c).await)?;
    let Some((Some(granted), _)) = grant else { return Ok(None) };
    let in_force: Option<(i32, String)> =
        db_run!(db, c => sqlx::query_as(IN_FORCE_SQL).bind(application_id).fetch_optional(c).await)?;
    let Some((version, lines)) = in_force else { return Ok(None) };
    let spending: Vec<(String, Krw)> =
        db_run!(db, c => sqlx::query_as(SPENT_SQL).bind(application_id).fetch_all(c).await)?;
    let paid: Vec<Krw> = db_run!(db, c => sqlx::query_scalar(DISBURSED_SQL).bind(application_id).fetch_all(c).await)?;
    Ok(Some((ledger::balance(granted, &parse(&lines), &paid, &spending), version)))
}

/// Every version of the application's plan, the first first: (version, status, plan, reason, decision reason).
pub async fn versions(db: &Db, application_id: &str) -> Result<Vec<(i32, String, Plan, String, String)>, sqlx::Error> {
    let sql = "SELECT version, status, lines, reason, decision_reason FROM subsidy_plan_versions \
               WHERE application_id = $1 ORDER BY version";
    let rows: Vec<(i32, String, String, String, String)> =
        db_run!(db, c => sqlx::query_as(sql).bind(application_id).fetch_all(c).await)?;
    Ok(rows.into_iter().map(|(v, s, l, r, d)| (v, s, parse(&l), r, d)).collect())
}
