//! Deletion requests (개인정보 보호법 제36조): a resident asks from 내 돌봄; an administrator processes the request.
//! Processing deletes what may go at once and keeps what a record of public service needs, for the period the
//! retention rules below give, tied to an account that no longer names anyone. It waits while the resident has
//! something in progress (care not yet finished, a booking to come, a place on a waiting list): those are cancelled
//! by the resident first, so nobody's care is dropped by an erasure.

use serde::{Deserialize, Serialize};

use crate::db::time::{Millis, now_millis};
use crate::db::{Db, Tx, new_id};
use crate::{db_run, tx_run};

/// What happens to each kind of data when a request is processed: the catalog key of its name, and of the rule.
/// `kept` kinds stay for the period named; the rest are deleted at once.
pub const RETENTION: [(&str, &str, bool); 7] = [
    ("deletion-kind-account", "deletion-rule-account", false),
    ("deletion-kind-messages", "deletion-rule-now", false),
    ("deletion-kind-child-details", "deletion-rule-now", false),
    ("deletion-kind-care", "deletion-rule-care", true),
    ("deletion-kind-waitlist", "deletion-rule-waitlist", true),
    ("deletion-kind-bookings", "deletion-rule-bookings", true),
    ("deletion-kind-access-log", "deletion-rule-access-log", true),
];

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Request {
    pub id: String,
    pub user_id: String,
    pub display_name: String,
    pub email: String,
    pub reason: String,
    pub status: String,
    pub requested_at: Millis,
    pub processed_at: Option<Millis>,
    pub outcome: String,
}

/// What the resident still has in progress.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct InProgress {
    pub care: i64,
    pub bookings: i64,
    pub waiting: i64,
}

impl InProgress {
    pub fn any(&self) -> bool {
        self.care + self.bookings + self.waiting > 0
    }
}

/// What processing did, per kind: rows deleted, and rows kept under a retention rule.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    pub notifications_deleted: u64,
    pub memberships_deleted: u64,
    pub posts_deleted: u64,
    pub comments_deleted: u64,
    pub children_deleted: u64,
    pub children_kept_for_records: u64,
    pub care_records_kept: i64,
    pub waitlist_records_kept: i64,
    pub bookings_kept: i64,
}

#[derive(Debug, thiserror::Error)]
pub enum DeletionError {
    #[error("no such request")]
    NotFound,
    #[error("already processed")]
    AlreadyDone,
    #[error("the resident still has something in progress")]
    InProgress(InProgress),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

const COLUMNS: &str = "d.id, d.user_id, u.display_name, u.email, d.reason, d.status, d.requested_at, \
    d.processed_at, d.outcome";

/// Asks for deletion; asking again while a request is open changes nothing.
pub async fn ask(db: &Db, municipality: &str, user_id: &str, reason: &str) -> Result<(), sqlx::Error> {
    let sql = "INSERT INTO deletion_requests (id, municipality_code, user_id, reason, status, requested_at) \
               VALUES ($1, $2, $3, $4, 'requested', $5) ON CONFLICT DO NOTHING";
    db_run!(db, p => sqlx::query(sql).bind(new_id()).bind(municipality).bind(user_id).bind(reason)
        .bind(now_millis()).execute(p).await.map(|_| ()))
}

/// The resident's latest request.
pub async fn latest_of(db: &Db, user_id: &str) -> Result<Option<Request>, sqlx::Error> {
    let sql = format!(
        "SELECT {COLUMNS} FROM deletion_requests d JOIN users u ON u.id = d.user_id WHERE d.user_id = $1 \
         ORDER BY d.requested_at DESC, d.id DESC LIMIT 1"
    );
    db_run!(db, p => sqlx::query_as(&sql).bind(user_id).fetch_optional(p).await)
}

/// Open requests first, oldest first; then the latest processed ones.
pub async fn queue(db: &Db, municipality: &str) -> Result<Vec<Request>, sqlx::Error> {
    let sql = format!(
        "SELECT {COLUMNS} FROM deletion_requests d JOIN users u ON u.id = d.user_id \
         WHERE d.municipality_code = $1 ORDER BY CASE WHEN d.status = 'requested' THEN 0 ELSE 1 END, \
         CASE WHEN d.status = 'requested' THEN d.requested_at ELSE -d.requested_at END, d.id LIMIT 200"
    );
    db_run!(db, p => sqlx::query_as(&sql).bind(municipality).fetch_all(p).await)
}

pub async fn in_progress(db: &Db, user_id: &str, now: Millis) -> Result<InProgress, sqlx::Error> {
    let sql = "SELECT \
        (SELECT COUNT(*) FROM care_applications WHERE guardian_id = $1 \
            AND status IN ('submitted', 'matched', 'confirmed', 'checked_in')), \
        (SELECT COUNT(*) FROM bookings WHERE user_id = $1 AND status IN ('held', 'pending', 'confirmed') \
            AND ends_at > $2), \
        (SELECT COUNT(*) FROM waitlist_applications WHERE guardian_id = $1 AND status = 'waiting')";
    let (care, bookings, waiting): (i64, i64, i64) =
        db_run!(db, p => sqlx::query_as(sql).bind(user_id).bind(now).fetch_one(p).await)?;
    Ok(InProgress { care, bookings, waiting })
}

/// Processes an open request in one transaction: deletes messages, memberships, posts and comments, the children's
/// details (and the children no record needs), and the account's name, e-mail, password and sessions.
pub async fn process(db: &Db, municipality: &str, id: &str, admin: &str) -> Result<Outcome, DeletionError> {
    let sql = "SELECT user_id, status FROM deletion_requests WHERE id = $1 AND municipality_code = $2";
    let found: Option<(String, String)> =
        db_run!(db, p => sqlx::query_as(sql).bind(id).bind(municipality).fetch_optional(p).await)?;
    let (user, status) = found.ok_or(DeletionError::NotFound)?;
    if status != "requested" {
        return Err(DeletionError::AlreadyDone);
    }
    let now = now_millis();
    let open = in_progress(db, &user, now).await?;
    if open.any() {
        return Err(DeletionError::InProgress(open));
    }
    let mut tx = db.begin().await?;
    let outcome = erase(&mut tx, &user).await?;
    let json = serde_json::to_string(&outcome).unwrap_or_default();
    let sql = "UPDATE deletion_requests SET status = 'done', processed_by = $1, processed_at = $2, outcome = $3 \
               WHERE id = $4 AND status = 'requested'";
    let done = tx_run!(&mut tx, c => sqlx::query(sql).bind(admin).bind(now).bind(&json).bind(id).execute(c).await
        .map(|r| r.rows_affected()))?;
    if done != 1 {
        return Err(DeletionError::AlreadyDone);
    }
    tx.commit().await?;
    Ok(outcome)
}

async fn delete(tx: &mut Tx, sql: &str, user: &str) -> Result<u64, sqlx::Error> {
    tx_run!(tx, c => sqlx::query(sql).bind(user).execute(c).await.map(|r| r.rows_affected()))
}

async fn count(tx: &mut Tx, sql: &str, user: &str) -> Result<i64, sqlx::Error> {
    tx_run!(tx, c => sqlx::query_scalar(sql).bind(user).fetch_one(c).await)
}

/// A child some record still needs: care, the hours care held, or a waiting list.
pub(super) const CHILD_IN_RECORDS: &str = "(EXISTS (SELECT 1 FROM care_applications a WHERE a.child_id = children.id) \
    OR EXISTS (SELECT 1 FROM care_child_hours h WHERE h.child_id = children.id) \
    OR EXISTS (SELECT 1 FROM waitlist_applications w WHERE w.child_id = children.id))";

async fn erase(tx: &mut Tx, user: &str) -> Result<Outcome, sqlx::Error> {
    let mut out = Outcome {
        notifications_deleted: delete(tx, "DELETE FROM notifications WHERE user_id = $1", user).await?
            + delete(tx, "DELETE FROM outbox WHERE user_id = $1", user).await?,
        memberships_deleted: delete(tx, "DELETE FROM group_join_requests WHERE user_id = $1", user).await?,
        comments_deleted: delete(tx, "DELETE FROM group_post_comments WHERE author_id = $1", user).await?,
        posts_deleted: delete(tx, "DELETE FROM group_posts WHERE author_id = $1", user).await?,
        ..Outcome::default()
    };
    let details = "DELETE FROM child_contacts WHERE child_id IN (SELECT id FROM children WHERE guardian_id = $1)";
    delete(tx, details, user).await?;
    let consents = "DELETE FROM child_consents WHERE child_id IN (SELECT id FROM children WHERE guardian_id = $1)";
    delete(tx, consents, user).await?;
    let unneeded = format!("DELETE FROM children WHERE guardian_id = $1 AND NOT {CHILD_IN_RECORDS}");
    out.children_deleted = delete(tx, &unneeded, user).await?;
    // Kept for the records: the name and birth date only.
    let strip = "UPDATE children SET school = NULL, special_needs = '', allergies = '', rrn_hmac = NULL, \
                 rrn_sealed = NULL WHERE guardian_id = $1";
    out.children_kept_for_records = delete(tx, strip, user).await?;
    out.care_records_kept = count(tx, "SELECT COUNT(*) FROM care_applications WHERE guardian_id = $1", user).await?;
    let waiting = "SELECT COUNT(*) FROM waitlist_applications WHERE guardian_id = $1";
    out.waitlist_records_kept = count(tx, waiting, user).await?;
    out.bookings_kept = count(tx, "SELECT COUNT(*) FROM bookings WHERE user_id = $1", user).await?;
    delete(tx, "DELETE FROM sessions WHERE user_id = $1", user).await?;
    delete(tx, "DELETE FROM notification_prefs WHERE user_id = $1", user).await?;
    delete(tx, "DELETE FROM saved_checks WHERE user_id = $1", user).await?;
    let anonymous = "UPDATE users SET email = 'deleted-' || id || '@invalid', display_name = '', \
                     password_hash = '!', active = FALSE WHERE id = $1";
    delete(tx, anonymous, user).await?;
    Ok(out)
}
