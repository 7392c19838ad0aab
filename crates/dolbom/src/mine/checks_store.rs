//! SQL of saved eligibility checks: a resident's answers and the results as they stood on the day.

use serde::Serialize;

use crate::db::time::{Millis, now_millis};
use crate::db::{Db, new_id};
use crate::{db_run, tx_run};

/// A resident keeps at most this many; saving another lets the oldest go.
pub const KEEP: i64 = 20;

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct SavedCheck {
    pub id: String,
    /// The form as answered (JSON of `directory::check::CheckForm`).
    pub answers: String,
    /// What the check found (JSON of `mine::checks::Found`).
    pub results: String,
    pub created_at: Millis,
}

/// Saves a check and lets the oldest beyond [`KEEP`] go, in one transaction; returns its id.
pub async fn save(db: &Db, user_id: &str, answers: &str, results: &str) -> Result<String, sqlx::Error> {
    let id = new_id();
    let mut tx = db.begin().await?;
    let sql = "INSERT INTO saved_checks (id, user_id, answers, results, created_at) VALUES ($1, $2, $3, $4, $5)";
    tx_run!(&mut tx, c => sqlx::query(sql).bind(&id).bind(user_id).bind(answers).bind(results).bind(now_millis())
        .execute(c).await.map(|_| ()))?;
    let trim = "DELETE FROM saved_checks WHERE user_id = $1 AND id NOT IN \
                (SELECT id FROM saved_checks WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2)";
    tx_run!(&mut tx, c => sqlx::query(trim).bind(user_id).bind(KEEP).execute(c).await.map(|_| ()))?;
    tx.commit().await?;
    Ok(id)
}

/// A resident's saved checks, newest first.
pub async fn of_user(db: &Db, user_id: &str) -> Result<Vec<SavedCheck>, sqlx::Error> {
    let sql = "SELECT id, answers, results, created_at FROM saved_checks WHERE user_id = $1 \
               ORDER BY created_at DESC, id DESC";
    db_run!(db, p => sqlx::query_as(sql).bind(user_id).fetch_all(p).await)
}

/// One of the resident's own saved checks (none for anyone else's).
pub async fn find(db: &Db, user_id: &str, id: &str) -> Result<Option<SavedCheck>, sqlx::Error> {
    let sql = "SELECT id, answers, results, created_at FROM saved_checks WHERE id = $1 AND user_id = $2";
    db_run!(db, p => sqlx::query_as(sql).bind(id).bind(user_id).fetch_optional(p).await)
}

/// Deletes one of the resident's own saved checks; false when there was none.
pub async fn delete(db: &Db, user_id: &str, id: &str) -> Result<bool, sqlx::Error> {
    let sql = "DELETE FROM saved_checks WHERE id = $1 AND user_id = $2";
    db_run!(db, p => sqlx::query(sql).bind(id).bind(user_id).execute(p).await.map(|r| r.rows_affected() == 1))
}
