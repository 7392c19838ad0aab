//! SQL of outreach. A visit is recorded once, by the worker it is scheduled for (a conditional update); its
//! follow-up task is written in the same transaction.

use chrono::NaiveDate;
use serde::Serialize;

use super::model::VisitRecord;
use crate::db::time::{Millis, now_millis};
use crate::db::{Db, new_id};
use crate::{db_run, tx_run};

#[derive(Debug, thiserror::Error)]
pub enum VisitError {
    #[error("no such household")]
    UnknownHousehold,
    /// Already recorded, or scheduled for another worker: nothing was changed.
    #[error("the visit is not this worker's to record")]
    NotScheduledForYou,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Visit {
    pub id: String,
    pub household_id: String,
    pub adm_cd2: String,
    pub worker_id: String,
    pub worker_name: String,
    pub scheduled_on: NaiveDate,
    pub status: String,
    pub visited_at: Option<Millis>,
    pub notes: String,
    pub risk_level: i32,
    pub risk_flags: String,
}

impl Visit {
    pub fn flags(&self) -> Vec<&str> {
        self.risk_flags.split_whitespace().collect()
    }
}

const VISIT_SELECT: &str = "SELECT v.id, v.household_id, v.adm_cd2, v.worker_id, u.display_name AS worker_name, \
     v.scheduled_on, v.status, v.visited_at, v.notes, v.risk_level, v.risk_flags FROM outreach_visits v \
     JOIN users u ON u.id = v.worker_id";

/// Schedules a visit to the household for `worker` of `agency`; returns its id.
pub async fn schedule(
    db: &Db,
    municipality: &str,
    household_id: &str,
    worker: &str,
    agency: &str,
    on: NaiveDate,
) -> Result<String, VisitError> {
    let id = new_id();
    let sql = "INSERT INTO outreach_visits (id, municipality_code, household_id, adm_cd2, worker_id, agency_id, \
               scheduled_on, status, created_at) SELECT $1, $2, h.id, h.adm_cd2, $4, $5, $6, 'scheduled', $7 \
               FROM households h WHERE h.id = $3 AND h.municipality_code = $2";
    let n = db_run!(db, p => sqlx::query(sql).bind(&id).bind(municipality).bind(household_id).bind(worker)
        .bind(agency).bind(on).bind(now_millis()).execute(p).await.map(|r| r.rows_affected()))?;
    if n == 0 { Err(VisitError::UnknownHousehold) } else { Ok(id) }
}

pub async fn get(db: &Db, municipality: &str, id: &str) -> Result<Option<Visit>, sqlx::Error> {
    let sql = format!("{VISIT_SELECT} WHERE v.id = $1 AND v.municipality_code = $2");
    db_run!(db, p => sqlx::query_as(&sql).bind(id).bind(municipality).fetch_optional(p).await)
}

/// Records what the visit found, with its follow-up task, once and only by its worker.
pub async fn record(db: &Db, municipality: &str, id: &str, worker: &str, r: &VisitRecord) -> Result<(), VisitError> {
    let mut tx = db.begin().await?;
    let now = now_millis();
    let sql = "UPDATE outreach_visits SET status = $1, visited_at = $2, notes = $3, risk_level = $4, risk_flags = $5 \
               WHERE id = $6 AND worker_id = $7 AND status = 'scheduled'";
    let status = if r.made { "done" } else { "missed" };
    let n = tx_run!(&mut tx, c => sqlx::query(sql).bind(status).bind(now).bind(&r.notes).bind(r.risk_level)
        .bind(r.flags.join(" ")).bind(id).bind(worker).execute(c).await.map(|r| r.rows_affected()))?;
    if n == 0 {
        return Err(VisitError::NotScheduledForYou);
    }
    if let Some((task, due_on)) = &r.task {
        let sql = "INSERT INTO follow_up_tasks (id, municipality_code, household_id, visit_id, assignee_id, task, \
                   due_on, created_at) SELECT $1, $2, household_id, id, $3, $4, $5, $6 FROM outreach_visits WHERE id = $7";
        tx_run!(&mut tx, c => sqlx::query(sql).bind(new_id()).bind(municipality).bind(worker).bind(task).bind(due_on)
            .bind(now).bind(id).execute(c).await.map(|_| ()))?;
    }
    tx.commit().await?;
    Ok(())
}

/// A worker's visits still to make (the earliest first) and the latest 30 made or missed.
pub async fn of_worker(db: &Db, worker: &str) -> Result<Vec<Visit>, sqlx::Error> {
    let sql = format!(
        "{VISIT_SELECT} WHERE v.worker_id = $1 AND (v.status = 'scheduled' OR v.id IN (SELECT w.id FROM \
         outreach_visits w WHERE w.worker_id = $1 AND w.status <> 'scheduled' ORDER BY w.visited_at DESC LIMIT 30)) \
         ORDER BY CASE WHEN v.status = 'scheduled' THEN 0 ELSE 1 END, v.scheduled_on, v.id"
    );
    db_run!(db, p => sqlx::query_as(&sql).bind(worker).fetch_all(p).await)
}

pub async fn of_household(db: &Db, household_id: &str) -> Result<Vec<Visit>, sqlx::Error> {
    let sql = format!("{VISIT_SELECT} WHERE v.household_id = $1 ORDER BY v.scheduled_on DESC, v.id");
    db_run!(db, p => sqlx::query_as(&sql).bind(household_id).fetch_all(p).await)
}

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Task {
    pub id: String,
    pub household_id: String,
    pub task: String,
    pub due_on: NaiveDate,
}

/// A worker's open follow-up tasks, the most due first.
pub async fn open_tasks(db: &Db, worker: &str) -> Result<Vec<Task>, sqlx::Error> {
    let sql = "SELECT id, household_id, task, due_on FROM follow_up_tasks WHERE assignee_id = $1 AND done_at IS NULL \
               ORDER BY due_on, id";
    db_run!(db, p => sqlx::query_as(sql).bind(worker).fetch_all(p).await)
}

/// Marks the worker's task done; `false` when it is not theirs or already done.
pub async fn complete_task(db: &Db, worker: &str, id: &str) -> Result<bool, sqlx::Error> {
    let sql = "UPDATE follow_up_tasks SET done_at = $1 WHERE id = $2 AND assignee_id = $3 AND done_at IS NULL";
    let n = db_run!(db, p => sqlx::query(sql).bind(now_millis()).bind(id).bind(worker).execute(p).await
        .map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// A household at risk: its latest visit found a risk.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct AtRisk {
    pub household_id: String,
    pub adm_cd2: String,
    pub risk_level: i32,
    pub risk_flags: String,
    pub visited_at: Millis,
    pub open_tasks: i64,
    pub open_cases: i64,
}

/// The households of a 행정동 whose latest visit found a risk, the most urgent and longest unvisited first.
pub async fn at_risk(db: &Db, municipality: &str, adm_cd2: &str) -> Result<Vec<AtRisk>, sqlx::Error> {
    let sql = "SELECT v.household_id, v.adm_cd2, v.risk_level, v.risk_flags, v.visited_at, \
               (SELECT COUNT(*) FROM follow_up_tasks t WHERE t.household_id = v.household_id AND t.done_at IS NULL) AS open_tasks, \
               (SELECT COUNT(*) FROM cases k WHERE k.household_id = v.household_id AND k.status = 'open') AS open_cases \
               FROM outreach_visits v WHERE v.municipality_code = $1 AND v.adm_cd2 = $2 AND v.status = 'done' \
               AND v.risk_level > 0 AND v.visited_at = (SELECT MAX(w.visited_at) FROM outreach_visits w \
               WHERE w.household_id = v.household_id AND w.status = 'done') \
               ORDER BY v.risk_level DESC, v.visited_at, v.household_id LIMIT 500";
    db_run!(db, p => sqlx::query_as(sql).bind(municipality).bind(adm_cd2).fetch_all(p).await)
}
