//! SQL of notifications, the outbox and each person's channels.

use serde::Serialize;

use crate::db::time::{Millis, now_millis};
use crate::db::{Db, Tx, new_id};
use crate::{db_run, tx_run};

/// Tells each user: one inbox row, and one e-mail in the outbox for those who want e-mail, in one transaction.
pub async fn send(
    db: &Db,
    users: &[String],
    message: &str,
    args: &serde_json::Value,
    link: &str,
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    send_in(&mut tx, users, message, args, link).await?;
    tx.commit().await
}

/// [`send`] inside a transaction of the caller's: told exactly when what it tells of is written.
pub async fn send_in(
    tx: &mut Tx,
    users: &[String],
    message: &str,
    args: &serde_json::Value,
    link: &str,
) -> Result<(), sqlx::Error> {
    let now = now_millis();
    let args = args.to_string();
    for user in users {
        let sql =
            "INSERT INTO notifications (id, user_id, message, args, link, created_at) VALUES ($1, $2, $3, $4, $5, $6)";
        tx_run!(tx, c => sqlx::query(sql).bind(new_id()).bind(user).bind(message).bind(&args).bind(link)
            .bind(now).execute(c).await.map(|_| ()))?;
        // E-mail too, unless the person turned it off (no row of preferences means the default: on).
        let sql = "INSERT INTO outbox (id, channel, user_id, message, args, link, created_at) \
                   SELECT $1, 'email', $2, $3, $4, $5, $6 \
                   WHERE COALESCE((SELECT email FROM notification_prefs WHERE user_id = $2), TRUE)";
        tx_run!(tx, c => sqlx::query(sql).bind(new_id()).bind(user).bind(message).bind(&args).bind(link)
            .bind(now).execute(c).await.map(|_| ()))?;
    }
    Ok(())
}

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Notification {
    pub id: String,
    pub message: String,
    pub args: String,
    pub link: String,
    pub created_at: Millis,
    pub read_at: Option<Millis>,
}

/// A user's latest notifications, newest first.
pub async fn latest(db: &Db, user_id: &str, limit: i64) -> Result<Vec<Notification>, sqlx::Error> {
    let sql = "SELECT id, message, args, link, created_at, read_at FROM notifications WHERE user_id = $1 \
               ORDER BY created_at DESC, id DESC LIMIT $2";
    db_run!(db, p => sqlx::query_as(sql).bind(user_id).bind(limit).fetch_all(p).await)
}

pub async fn mark_all_read(db: &Db, user_id: &str) -> Result<(), sqlx::Error> {
    let sql = "UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL";
    db_run!(db, p => sqlx::query(sql).bind(now_millis()).bind(user_id).execute(p).await.map(|_| ()))
}

/// How a person wants to be told, besides the inbox.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Prefs {
    pub email: bool,
}

impl Default for Prefs {
    fn default() -> Self {
        Prefs { email: true }
    }
}

pub async fn prefs(db: &Db, user_id: &str) -> Result<Prefs, sqlx::Error> {
    let sql = "SELECT email FROM notification_prefs WHERE user_id = $1";
    let email: Option<bool> = db_run!(db, p => sqlx::query_scalar(sql).bind(user_id).fetch_optional(p).await)?;
    Ok(email.map_or_else(Prefs::default, |email| Prefs { email }))
}

pub async fn save_prefs(db: &Db, user_id: &str, prefs: Prefs) -> Result<(), sqlx::Error> {
    let sql = "INSERT INTO notification_prefs (user_id, email, updated_at) VALUES ($1, $2, $3) \
               ON CONFLICT (user_id) DO UPDATE SET email = excluded.email, updated_at = excluded.updated_at";
    db_run!(db, p => sqlx::query(sql).bind(user_id).bind(prefs.email).bind(now_millis()).execute(p).await.map(|_| ()))
}

/// An unsent e-mail with what writing it needs: the recipient's address, language and whether the account is open.
#[derive(sqlx::FromRow)]
pub struct DueEmail {
    pub id: String,
    pub message: String,
    pub args: String,
    pub link: String,
    pub attempts: i32,
    pub email: String,
    pub locale: String,
    pub active: bool,
}

/// Up to `batch` e-mails due at `now` with fewer than `max_attempts` tries, oldest first.
pub async fn due_emails(db: &Db, max_attempts: i32, now: Millis, batch: i64) -> Result<Vec<DueEmail>, sqlx::Error> {
    let sql = "SELECT o.id, o.message, o.args, o.link, o.attempts, u.email, u.locale, u.active FROM outbox o \
               JOIN users u ON u.id = o.user_id WHERE o.sent_at IS NULL AND o.channel = 'email' \
               AND o.attempts < $1 AND o.next_attempt_at <= $2 ORDER BY o.created_at, o.id LIMIT $3";
    db_run!(db, p => sqlx::query_as(sql).bind(max_attempts).bind(now).bind(batch).fetch_all(p).await)
}

pub async fn mark_sent(db: &Db, id: &str, at: Millis) -> Result<(), sqlx::Error> {
    let sql = "UPDATE outbox SET sent_at = $1, attempts = attempts + 1 WHERE id = $2";
    db_run!(db, p => sqlx::query(sql).bind(at).bind(id).execute(p).await.map(|_| ()))
}

/// Counts a failed attempt, keeps its error, and sets when to try again.
pub async fn mark_failed(db: &Db, id: &str, error: &str, retry_at: Millis) -> Result<(), sqlx::Error> {
    let sql = "UPDATE outbox SET attempts = attempts + 1, last_error = $1, next_attempt_at = $2 WHERE id = $3";
    db_run!(db, p => sqlx::query(sql).bind(error).bind(retry_at).bind(id).execute(p).await.map(|_| ()))
}

/// Drops a message that can no longer go (its account is closed).
pub async fn drop_outgoing(db: &Db, id: &str) -> Result<(), sqlx::Error> {
    db_run!(db, p => sqlx::query("DELETE FROM outbox WHERE id = $1").bind(id).execute(p).await.map(|_| ()))
}
