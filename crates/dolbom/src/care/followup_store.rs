//! SQL of follow-up: the guardian's satisfaction survey and incident reports, each also on the timeline.

use serde::Serialize;

use super::store::{CareError, add_event};
use crate::db::time::{Millis, now_millis};
use crate::db::{Db, is_unique_violation, new_id};
use crate::{db_run, tx_run};

/// Records the guardian's survey (once per application): `WrongStatus` when it was answered already.
pub async fn add_survey(db: &Db, id: &str, actor: &str, satisfaction: i32, comment: &str) -> Result<(), CareError> {
    let now = now_millis();
    let mut tx = db.begin().await?;
    let sql = "INSERT INTO care_surveys (application_id, satisfaction, comment, at) VALUES ($1, $2, $3, $4)";
    let inserted = tx_run!(&mut tx, c => sqlx::query(sql).bind(id).bind(satisfaction).bind(comment).bind(now)
        .execute(c).await.map(|_| ()));
    match inserted {
        Err(e) if is_unique_violation(&e) => return Err(CareError::WrongStatus),
        other => other?,
    }
    touch(&mut tx, id, now).await?;
    add_event(&mut tx, id, "survey", Some(actor), "", now).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn add_incident(db: &Db, id: &str, actor: &str, severity: &str, description: &str) -> Result<(), CareError> {
    let now = now_millis();
    let mut tx = db.begin().await?;
    let sql = "INSERT INTO care_incidents (id, application_id, reported_by, severity, description, at) \
               VALUES ($1, $2, $3, $4, $5, $6)";
    tx_run!(&mut tx, c => sqlx::query(sql).bind(new_id()).bind(id).bind(actor).bind(severity).bind(description)
        .bind(now).execute(c).await.map(|_| ()))?;
    touch(&mut tx, id, now).await?;
    add_event(&mut tx, id, "incident", Some(actor), severity, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Locks the application's row for the rest of the transaction, so timeline entries written at the same moment
/// (an incident during a check-out) take their numbers one after the other.
async fn touch(tx: &mut crate::db::Tx, id: &str, now: Millis) -> Result<(), sqlx::Error> {
    let sql = "UPDATE care_applications SET updated_at = $1 WHERE id = $2";
    tx_run!(tx, c => sqlx::query(sql).bind(now).bind(id).execute(c).await.map(|_| ()))
}

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Survey {
    pub satisfaction: i32,
    pub comment: String,
    pub at: Millis,
}

pub async fn survey(db: &Db, id: &str) -> Result<Option<Survey>, sqlx::Error> {
    let sql = "SELECT satisfaction, comment, at FROM care_surveys WHERE application_id = $1";
    db_run!(db, p => sqlx::query_as(sql).bind(id).fetch_optional(p).await)
}

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Incident {
    pub severity: String,
    pub description: String,
    pub at: Millis,
}

pub async fn incidents(db: &Db, id: &str) -> Result<Vec<Incident>, sqlx::Error> {
    let sql = "SELECT severity, description, at FROM care_incidents WHERE application_id = $1 ORDER BY at";
    db_run!(db, p => sqlx::query_as(sql).bind(id).fetch_all(p).await)
}
