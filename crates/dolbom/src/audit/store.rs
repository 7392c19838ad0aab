use chrono::NaiveDate;

use super::Reader;
use crate::db::time::{now_millis, seoul_day_start};
use crate::db::{Db, like_contains, new_id};
use crate::db_run;

#[derive(Clone, Debug, sqlx::FromRow, serde::Serialize, utoipa::ToSchema)]
pub struct Entry {
    pub id: String,
    /// UTC milliseconds.
    pub at: i64,
    pub actor_id: String,
    pub actor_email: Option<String>,
    pub actor_role: String,
    pub record_kind: String,
    pub record_id: String,
    pub purpose: String,
    pub ip: String,
}

pub(super) async fn append(
    db: &Db,
    reader: &Reader<'_>,
    kind: &str,
    record_id: &str,
    purpose: &str,
) -> Result<(), sqlx::Error> {
    let sql = "INSERT INTO access_log (id, municipality_code, at, actor_id, actor_role, record_kind, record_id, purpose, ip) \
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
    db_run!(db, p => sqlx::query(sql)
        .bind(new_id())
        .bind(reader.municipality)
        .bind(now_millis())
        .bind(&reader.user.id)
        .bind(reader.user.role.as_str())
        .bind(kind)
        .bind(record_id)
        .bind(purpose)
        .bind(reader.ip)
        .execute(p)
        .await
        .map(|_| ()))
}

/// Filters of the officials' access-log page and export; empty fields match everything.
#[derive(Clone, Debug, Default, serde::Deserialize, utoipa::IntoParams)]
pub struct Filter {
    /// Part of the actor's e-mail.
    #[serde(default)]
    pub actor: String,
    /// Exact record id.
    #[serde(default)]
    pub record: String,
    /// `resident`, `household`, …
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub purpose: String,
    /// First day, `YYYY-MM-DD` in Asia/Seoul.
    #[serde(default)]
    pub from: String,
    /// Last day, `YYYY-MM-DD` in Asia/Seoul.
    #[serde(default)]
    pub to: String,
}

impl Filter {
    fn start_millis(&self) -> i64 {
        NaiveDate::parse_from_str(&self.from, "%Y-%m-%d").map(seoul_day_start).unwrap_or(i64::MIN)
    }

    fn end_millis(&self) -> i64 {
        NaiveDate::parse_from_str(&self.to, "%Y-%m-%d")
            .ok()
            .and_then(|d| d.succ_opt())
            .map(seoul_day_start)
            .unwrap_or(i64::MAX)
    }

    /// Dates that are present but not `YYYY-MM-DD`.
    pub fn bad_dates(&self) -> Vec<&'static str> {
        let bad = |s: &str| !s.is_empty() && NaiveDate::parse_from_str(s, "%Y-%m-%d").is_err();
        let mut out = Vec::new();
        if bad(&self.from) {
            out.push("from");
        }
        if bad(&self.to) {
            out.push("to");
        }
        out
    }
}

/// Entries matching `filter`, newest first, at most `limit`.
pub async fn list(db: &Db, municipality: &str, filter: &Filter, limit: i64) -> Result<Vec<Entry>, sqlx::Error> {
    let sql = "SELECT a.id, a.at, a.actor_id, u.email AS actor_email, a.actor_role, a.record_kind, a.record_id, \
               a.purpose, a.ip FROM access_log a LEFT JOIN users u ON u.id = a.actor_id \
               WHERE a.municipality_code = $1 AND a.at >= $2 AND a.at < $3 \
               AND ($4 = '' OR lower(u.email) LIKE $5 ESCAPE '\\') AND ($6 = '' OR a.record_id = $6) \
               AND ($7 = '' OR a.record_kind = $7) AND ($8 = '' OR a.purpose = $8) \
               ORDER BY a.at DESC, a.id DESC LIMIT $9";
    let actor = filter.actor.trim().to_lowercase();
    db_run!(db, p => sqlx::query_as(sql)
        .bind(municipality)
        .bind(filter.start_millis())
        .bind(filter.end_millis())
        .bind(&actor)
        .bind(like_contains(&actor))
        .bind(filter.record.trim())
        .bind(filter.kind.trim())
        .bind(filter.purpose.trim())
        .bind(limit)
        .fetch_all(p)
        .await)
}

/// How long the access log is kept at the least: two years (with a leap day), as 「개인정보의 안전성 확보조치 기준」
/// 제8조 asks of a system holding 고유식별정보. The database itself refuses to delete a younger entry.
pub const MIN_RETENTION_DAYS: u32 = 731;

/// Deletes the entries older than `retention_days` (never fewer than [`MIN_RETENTION_DAYS`]) as of `now`; how many.
pub async fn purge_older_than(db: &Db, retention_days: u32, now: i64) -> Result<u64, sqlx::Error> {
    let keep_millis = i64::from(retention_days.max(MIN_RETENTION_DAYS)) * 86_400_000;
    let sql = "DELETE FROM access_log WHERE at < $1";
    db_run!(db, p => sqlx::query(sql).bind(now - keep_millis).execute(p).await.map(|r| r.rows_affected()))
}
