//! SQL of notifications and the outbox.

use serde::Serialize;

use crate::db::time::{Millis, now_millis};
use crate::db::{Db, Tx, new_id};
use crate::{db_run, tx_run};

/// The channels every notification also goes out on, for the adapters.
const CHANNELS: [&str; 2] = ["sms", "email"];

/// Tells each user: one inbox row and one outbox row per channel, in one transaction.
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
        let rows = (0..CHANNELS.len()).map(|i| format!("($1, $2, $3, $4, ${}, ${})", 5 + 2 * i, 6 + 2 * i));
        let sql = format!(
            "INSERT INTO outbox (user_id, message, args, created_at, id, channel) VALUES {}",
            rows.collect::<Vec<_>>().join(", ")
        );
        tx_run!(tx, c => {
            let mut q = sqlx::query(&sql).bind(user).bind(message).bind(&args).bind(now);
            for channel in CHANNELS {
                q = q.bind(new_id()).bind(channel);
            }
            q.execute(c).await.map(|_| ())
        })?;
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

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Outgoing {
    pub id: String,
    pub channel: String,
    pub user_id: String,
    pub message: String,
    pub args: String,
}

/// Hands unsent messages to `deliver` (an SMS or e-mail adapter; the demo logs them) and marks each sent, or
/// counts the failed attempt; returns how many were sent.
pub async fn deliver_outbox<F>(db: &Db, batch: i64, mut deliver: F) -> Result<usize, sqlx::Error>
where
    F: FnMut(&Outgoing) -> Result<(), String>,
{
    let sql = "SELECT id, channel, user_id, message, args FROM outbox WHERE sent_at IS NULL AND attempts < 5 \
               ORDER BY created_at, id LIMIT $1";
    let due: Vec<Outgoing> = db_run!(db, p => sqlx::query_as(sql).bind(batch).fetch_all(p).await)?;
    let mut sent = 0;
    for message in &due {
        let (sql, note) = match deliver(message) {
            Ok(()) => {
                sent += 1;
                ("UPDATE outbox SET sent_at = $1, attempts = attempts + 1 WHERE id = $2", String::new())
            }
            Err(e) => ("UPDATE outbox SET attempts = attempts + 1, last_error = $3 WHERE id = $2 AND $1 > 0", e),
        };
        let sent_at = now_millis();
        if note.is_empty() {
            db_run!(db, p => sqlx::query(sql).bind(sent_at).bind(&message.id).execute(p).await.map(|_| ()))?;
        } else {
            db_run!(db, p => sqlx::query(sql).bind(sent_at).bind(&message.id).bind(&note).execute(p).await.map(|_| ()))?;
        }
    }
    Ok(sent)
}

pub async fn mark_all_read(db: &Db, user_id: &str) -> Result<(), sqlx::Error> {
    let sql = "UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL";
    db_run!(db, p => sqlx::query(sql).bind(now_millis()).bind(user_id).execute(p).await.map(|_| ()))
}
