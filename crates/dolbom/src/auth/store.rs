//! SQL for accounts, sessions and organizations.

use sha2::{Digest, Sha256};

use super::model::{CurrentUser, Role};
use crate::db::time::{Millis, now_millis};
use crate::db::{Db, inserted_unless_duplicate, new_id};
use crate::db_run;
use crate::i18n::Locale;

/// Consecutive failed log-ins that lock an account, and for how long.
pub const LOCKOUT_AFTER: i32 = 5;
pub const LOCKOUT_MILLIS: i64 = 15 * 60_000;
/// A session ends 12 hours after log-in however busy (ASVS 3.3.2), and after 30 minutes without a request
/// (개인정보의 안전성 확보조치 기준: 일정 시간 이상 업무처리를 하지 않는 경우 접속 차단). `expires_at` holds the idle
/// deadline; each request moves it on, at most once a minute so a busy page is not a write per request.
pub const SESSION_MILLIS: i64 = 12 * 3_600_000;
pub const IDLE_MILLIS: i64 = 30 * 60_000;
const TOUCH_EVERY_MILLIS: i64 = 60_000;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Account {
    pub id: String,
    pub email: String,
    pub display_name: String,
    pub password_hash: String,
    pub role: String,
    pub organization_id: Option<String>,
    pub locale: String,
    pub active: bool,
    pub failed_logins: i32,
    pub locked_until: Option<i64>,
    pub created_at: i64,
}

impl Account {
    pub fn role(&self) -> Role {
        self.role.parse().unwrap_or(Role::Resident)
    }

    pub fn is_locked(&self, now: Millis) -> bool {
        self.locked_until.is_some_and(|until| until > now)
    }
}

#[derive(Clone, Debug)]
pub struct NewAccount<'a> {
    pub municipality_code: &'a str,
    pub email: &'a str,
    pub display_name: &'a str,
    pub password_hash: &'a str,
    pub role: Role,
    pub organization_id: Option<&'a str>,
    pub locale: &'a str,
}

#[derive(Debug, thiserror::Error)]
pub enum CreateError {
    #[error("e-mail already registered")]
    EmailTaken,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// E-mails are compared in lower case; what the person typed is kept otherwise.
pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

pub(super) const ACCOUNT_COLUMNS: &str = "id, email, display_name, password_hash, role, organization_id, locale, active, \
                               failed_logins, locked_until, created_at";

pub async fn create_account(db: &Db, new: &NewAccount<'_>) -> Result<String, CreateError> {
    let id = new_id();
    let now = now_millis();
    let sql = "INSERT INTO users (id, municipality_code, email, display_name, password_hash, role, organization_id, \
               locale, active, failed_logins, created_at, updated_at) \
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, TRUE, 0, $9, $9)";
    let result = db_run!(db, p => sqlx::query(sql)
        .bind(&id)
        .bind(new.municipality_code)
        .bind(normalize_email(new.email))
        .bind(new.display_name.trim())
        .bind(new.password_hash)
        .bind(new.role.as_str())
        .bind(new.organization_id)
        .bind(new.locale)
        .bind(now)
        .execute(p)
        .await
        .map(|_| ()));
    inserted_unless_duplicate(result, id)?.ok_or(CreateError::EmailTaken)
}

pub async fn find_by_email(db: &Db, municipality: &str, email: &str) -> Result<Option<Account>, sqlx::Error> {
    let sql = format!("SELECT {ACCOUNT_COLUMNS} FROM users WHERE municipality_code = $1 AND email = $2");
    db_run!(db, p => sqlx::query_as(&sql).bind(municipality).bind(normalize_email(email)).fetch_optional(p).await)
}

pub async fn find_by_id(db: &Db, id: &str) -> Result<Option<Account>, sqlx::Error> {
    let sql = format!("SELECT {ACCOUNT_COLUMNS} FROM users WHERE id = $1");
    db_run!(db, p => sqlx::query_as(&sql).bind(id).fetch_optional(p).await)
}

/// Claims one log-in attempt before the password is checked, in one statement, so guesses sent in parallel cannot
/// slip past the lock. Returns the attempt's number since the last success (counting starts again after a lock
/// ran out), or `None` while the account is locked. The attempt that reaches [`LOCKOUT_AFTER`] sets the lock at
/// once; if its password is right, [`clear_failed_logins`] lifts it again.
pub async fn claim_login_attempt(db: &Db, id: &str, now: Millis) -> Result<Option<i32>, sqlx::Error> {
    let count = "CASE WHEN locked_until IS NOT NULL AND locked_until <= $2 THEN 1 ELSE failed_logins + 1 END";
    let sql = format!(
        "UPDATE users SET failed_logins = {count}, \
         locked_until = CASE WHEN {count} >= $3 THEN $4 ELSE NULL END, updated_at = $2 \
         WHERE id = $1 AND (locked_until IS NULL OR locked_until <= $2) RETURNING failed_logins"
    );
    let row: Option<(i32,)> = db_run!(db, p => sqlx::query_as(&sql)
        .bind(id)
        .bind(now)
        .bind(LOCKOUT_AFTER)
        .bind(now + LOCKOUT_MILLIS)
        .fetch_optional(p)
        .await)?;
    Ok(row.map(|(n,)| n))
}

pub async fn clear_failed_logins(db: &Db, id: &str) -> Result<(), sqlx::Error> {
    let sql = "UPDATE users SET failed_logins = 0, locked_until = NULL, updated_at = $2 WHERE id = $1";
    db_run!(db, p => sqlx::query(sql).bind(id).bind(now_millis()).execute(p).await.map(|_| ()))
}

pub async fn set_locale(db: &Db, id: &str, locale: Locale) -> Result<(), sqlx::Error> {
    let sql = "UPDATE users SET locale = $2, updated_at = $3 WHERE id = $1";
    db_run!(db, p => sqlx::query(sql).bind(id).bind(locale.code()).bind(now_millis()).execute(p).await.map(|_| ()))
}

pub async fn set_password(db: &Db, id: &str, password_hash: &str) -> Result<(), sqlx::Error> {
    let sql = "UPDATE users SET password_hash = $2, updated_at = $3 WHERE id = $1";
    db_run!(db, p => sqlx::query(sql).bind(id).bind(password_hash).bind(now_millis()).execute(p).await.map(|_| ()))
}

fn session_key(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Stores a new session for `user_id`; the caller hands `token` to the browser, the database keeps only its hash.
pub async fn create_session(db: &Db, user_id: &str, token: &str, ip: &str) -> Result<(), sqlx::Error> {
    let now = now_millis();
    let sql = "INSERT INTO sessions (id, user_id, created_at, expires_at, ip) VALUES ($1, $2, $3, $4, $5)";
    db_run!(db, p => sqlx::query(sql)
        .bind(session_key(token))
        .bind(user_id)
        .bind(now)
        .bind(now + IDLE_MILLIS)
        .bind(ip)
        .execute(p)
        .await
        .map(|_| ()))
}

#[derive(sqlx::FromRow)]
struct SessionUserRow {
    session_id: String,
    expires_at: Millis,
    id: String,
    email: String,
    display_name: String,
    role: String,
    organization_id: Option<String>,
}

/// The active account behind a session cookie, with its 행정동 scope.
pub async fn user_for_session(db: &Db, token: &str) -> Result<Option<CurrentUser>, sqlx::Error> {
    let sql = "SELECT s.id AS session_id, s.expires_at, u.id, u.email, u.display_name, u.role, u.organization_id \
               FROM sessions s JOIN users u ON u.id = s.user_id \
               WHERE s.id = $1 AND s.expires_at > $2 AND s.created_at > $3 AND u.active = TRUE";
    let now = now_millis();
    let row: Option<SessionUserRow> = db_run!(db, p => sqlx::query_as(sql).bind(session_key(token)).bind(now)
        .bind(now - SESSION_MILLIS).fetch_optional(p).await)?;
    let Some(row) = row else { return Ok(None) };
    if row.expires_at < now + IDLE_MILLIS - TOUCH_EVERY_MILLIS {
        let sql = "UPDATE sessions SET expires_at = $1 WHERE id = $2";
        db_run!(db, p => sqlx::query(sql).bind(now + IDLE_MILLIS).bind(&row.session_id).execute(p).await
            .map(|_| ()))?;
    }
    let role: Role = row.role.parse().unwrap_or(Role::Resident);
    let areas = if role.is_staff() { areas_of(db, &row.id).await? } else { Vec::new() };
    Ok(Some(CurrentUser {
        id: row.id,
        email: row.email,
        display_name: row.display_name,
        role,
        organization_id: row.organization_id,
        areas,
        session_id: row.session_id,
    }))
}

pub async fn delete_session(db: &Db, token: &str) -> Result<(), sqlx::Error> {
    let sql = "DELETE FROM sessions WHERE id = $1";
    db_run!(db, p => sqlx::query(sql).bind(session_key(token)).execute(p).await.map(|_| ()))
}

/// Ends every session of `user_id` except `keep_session_id` (after a password change, other devices sign out).
pub async fn delete_other_sessions(db: &Db, user_id: &str, keep_session_id: &str) -> Result<u64, sqlx::Error> {
    let sql = "DELETE FROM sessions WHERE user_id = $1 AND id <> $2";
    db_run!(db, p => sqlx::query(sql).bind(user_id).bind(keep_session_id).execute(p).await.map(|r| r.rows_affected()))
}

pub async fn delete_expired_sessions(db: &Db, now: Millis) -> Result<u64, sqlx::Error> {
    let sql = "DELETE FROM sessions WHERE expires_at <= $1 OR created_at <= $2";
    db_run!(db, p => sqlx::query(sql).bind(now).bind(now - SESSION_MILLIS).execute(p).await.map(|r| r.rows_affected()))
}

pub async fn areas_of(db: &Db, user_id: &str) -> Result<Vec<String>, sqlx::Error> {
    let sql = "SELECT adm_cd2 FROM user_areas WHERE user_id = $1 ORDER BY adm_cd2";
    let rows: Vec<(String,)> = db_run!(db, p => sqlx::query_as(sql).bind(user_id).fetch_all(p).await)?;
    Ok(rows.into_iter().map(|(a,)| a).collect())
}
