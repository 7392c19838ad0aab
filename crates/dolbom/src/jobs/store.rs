use serde::Serialize;

use crate::db::time::{Millis, now_millis};
use crate::db::{Db, inserted_unless_duplicate, new_id};
use crate::db_run;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum JobStatus {
    Queued,
    Running,
    Done,
    Dead,
}

impl JobStatus {
    fn parse(s: &str) -> Self {
        match s {
            "running" => JobStatus::Running,
            "done" => JobStatus::Done,
            "dead" => JobStatus::Dead,
            _ => JobStatus::Queued,
        }
    }
}

#[derive(Clone, Debug, sqlx::FromRow)]
struct JobRow {
    id: String,
    kind: String,
    payload: String,
    status: String,
    attempts: i32,
    max_attempts: i32,
    run_at: i64,
    last_error: Option<String>,
}

#[derive(Clone, Debug)]
pub struct Job {
    pub id: String,
    pub kind: String,
    pub payload: serde_json::Value,
    pub status: JobStatus,
    /// Attempts started so far, this one included once claimed.
    pub attempts: i32,
    pub max_attempts: i32,
    pub run_at: Millis,
    pub last_error: Option<String>,
}

impl From<JobRow> for Job {
    fn from(r: JobRow) -> Self {
        Job {
            id: r.id,
            kind: r.kind,
            payload: serde_json::from_str(&r.payload).unwrap_or(serde_json::Value::Null),
            status: JobStatus::parse(&r.status),
            attempts: r.attempts,
            max_attempts: r.max_attempts,
            run_at: r.run_at,
            last_error: r.last_error,
        }
    }
}

/// A job to enqueue. With a `dedupe_key`, enqueueing the same key again while the first exists does nothing.
#[derive(Clone, Debug)]
pub struct NewJob<'a> {
    pub kind: &'a str,
    pub payload: serde_json::Value,
    pub run_at: Millis,
    pub max_attempts: i32,
    pub dedupe_key: Option<String>,
}

impl<'a> NewJob<'a> {
    pub fn now(kind: &'a str, payload: serde_json::Value) -> Self {
        NewJob { kind, payload, run_at: now_millis(), max_attempts: 5, dedupe_key: None }
    }
}

/// Enqueues a job; returns its id, or `None` when a job with the same dedupe key already exists.
pub async fn enqueue(db: &Db, job: NewJob<'_>) -> Result<Option<String>, sqlx::Error> {
    let id = new_id();
    let now = now_millis();
    let sql = "INSERT INTO jobs (id, kind, payload, dedupe_key, status, attempts, max_attempts, run_at, \
               created_at, updated_at) VALUES ($1, $2, $3, $4, 'queued', 0, $5, $6, $7, $7)";
    let result = db_run!(db, p => sqlx::query(sql)
        .bind(&id)
        .bind(job.kind)
        .bind(job.payload.to_string())
        .bind(&job.dedupe_key)
        .bind(job.max_attempts)
        .bind(job.run_at)
        .bind(now)
        .execute(p)
        .await
        .map(|_| ()));
    inserted_unless_duplicate(result, id)
}

const RETURNING: &str = "RETURNING id, kind, payload, status, attempts, max_attempts, run_at, last_error";

/// Claims the next due job for `worker`, leasing it for `lease_millis`. A job whose lease ran out (its worker died)
/// is due again.
pub async fn claim(db: &Db, worker: &str, now: Millis, lease_millis: i64) -> Result<Option<Job>, sqlx::Error> {
    bury_abandoned(db, now).await?;
    let due = "(status = 'queued' AND run_at <= $3) \
               OR (status = 'running' AND locked_until < $3 AND attempts < max_attempts)";
    let row: Option<JobRow> = match db {
        Db::Postgres(p) => {
            let sql = format!(
                "UPDATE jobs SET status = 'running', attempts = attempts + 1, locked_by = $1, locked_until = $2, \
                 updated_at = $3 WHERE id = (SELECT id FROM jobs WHERE {due} ORDER BY run_at LIMIT 1 \
                 FOR UPDATE SKIP LOCKED) {RETURNING}"
            );
            sqlx::query_as(&sql).bind(worker).bind(now + lease_millis).bind(now).fetch_optional(p).await?
        }
        Db::Sqlite(p, _) => {
            let sql = format!(
                "UPDATE jobs SET status = 'running', attempts = attempts + 1, locked_by = $1, locked_until = $2, \
                 updated_at = $3 WHERE id = (SELECT id FROM jobs WHERE {due} ORDER BY run_at LIMIT 1) {RETURNING}"
            );
            sqlx::query_as(&sql).bind(worker).bind(now + lease_millis).bind(now).fetch_optional(p).await?
        }
    };
    Ok(row.map(Job::from))
}

/// Jobs whose worker vanished during their last attempt (the lease ran out) are dead, not retried forever.
async fn bury_abandoned(db: &Db, now: Millis) -> Result<(), sqlx::Error> {
    let sql = "UPDATE jobs SET status = 'dead', last_error = 'the worker stopped during the last attempt', \
               locked_by = NULL, locked_until = NULL, updated_at = $1 \
               WHERE status = 'running' AND locked_until < $1 AND attempts >= max_attempts";
    db_run!(db, p => sqlx::query(sql).bind(now).execute(p).await.map(|_| ()))
}

/// Extends the lease of a job this worker is still running.
pub async fn renew(db: &Db, id: &str, worker: &str, until: Millis) -> Result<bool, sqlx::Error> {
    let sql = "UPDATE jobs SET locked_until = $3 WHERE id = $1 AND locked_by = $2 AND status = 'running'";
    db_run!(db, p => sqlx::query(sql).bind(id).bind(worker).bind(until).execute(p).await.map(|r| r.rows_affected() == 1))
}

/// Marks a claimed job done. Only the worker holding the lease can.
pub async fn complete(db: &Db, id: &str, worker: &str) -> Result<bool, sqlx::Error> {
    let sql = "UPDATE jobs SET status = 'done', locked_by = NULL, locked_until = NULL, updated_at = $3 \
               WHERE id = $1 AND locked_by = $2 AND status = 'running'";
    db_run!(db, p => sqlx::query(sql).bind(id).bind(worker).bind(now_millis()).execute(p).await
        .map(|r| r.rows_affected() == 1))
}

/// Back-off before attempt `attempts + 1`: 30 s, 1 min, 2 min, … capped at one hour.
pub fn retry_delay_millis(attempts: i32) -> i64 {
    let exp = attempts.clamp(1, 8) - 1;
    (30_000_i64 << exp).min(3_600_000)
}

/// Records a failed attempt: the job is queued again after its back-off, or `dead` once out of attempts.
pub async fn fail(db: &Db, job: &Job, worker: &str, error: &str, now: Millis) -> Result<JobStatus, sqlx::Error> {
    let status = if job.attempts >= job.max_attempts { JobStatus::Dead } else { JobStatus::Queued };
    let status_str = if status == JobStatus::Dead { "dead" } else { "queued" };
    let run_at = now + retry_delay_millis(job.attempts);
    let sql = "UPDATE jobs SET status = $3, run_at = $4, last_error = $5, locked_by = NULL, locked_until = NULL, \
               updated_at = $6 WHERE id = $1 AND locked_by = $2";
    db_run!(db, p => sqlx::query(sql)
        .bind(&job.id)
        .bind(worker)
        .bind(status_str)
        .bind(run_at)
        .bind(error)
        .bind(now)
        .execute(p)
        .await
        .map(|_| status))
}

pub async fn get(db: &Db, id: &str) -> Result<Option<Job>, sqlx::Error> {
    let sql = "SELECT id, kind, payload, status, attempts, max_attempts, run_at, last_error FROM jobs WHERE id = $1";
    let row: Option<JobRow> = db_run!(db, p => sqlx::query_as(sql).bind(id).fetch_optional(p).await)?;
    Ok(row.map(Job::from))
}

#[cfg(test)]
mod tests {
    use super::retry_delay_millis;

    #[test]
    fn back_off_doubles_and_is_capped() {
        assert_eq!(retry_delay_millis(1), 30_000);
        assert_eq!(retry_delay_millis(2), 60_000);
        assert_eq!(retry_delay_millis(3), 120_000);
        assert_eq!(retry_delay_millis(50), 3_600_000);
    }
}
