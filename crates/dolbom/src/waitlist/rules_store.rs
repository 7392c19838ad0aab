//! SQL of a municipality's priority rules: stored as the JSON an official saved (checked first), read on each use so
//! every process applies the same rules at once.

use super::priority::PriorityRules;
use crate::db::Db;
use crate::db::time::{Millis, now_millis};
use crate::db_run;

/// The rules in force: the municipality's own, or the shipped default. Rules stored and no longer readable (a
/// later version changed the format) fall back to the default rather than stop the waitlist; saving checks them.
pub async fn rules(db: &Db, municipality: &str) -> Result<PriorityRules, sqlx::Error> {
    Ok(stored(db, municipality)
        .await?
        .and_then(|(text, _)| PriorityRules::parse(&text).ok())
        .unwrap_or_else(PriorityRules::default_rules))
}

/// The municipality's own rules as saved, and when; `None` when it uses the default.
pub async fn stored(db: &Db, municipality: &str) -> Result<Option<(String, Millis)>, sqlx::Error> {
    let sql = "SELECT rules, updated_at FROM waitlist_rules WHERE municipality_code = $1";
    db_run!(db, p => sqlx::query_as(sql).bind(municipality).fetch_optional(p).await)
}

/// Saves rules already checked by `PriorityRules::parse`.
pub async fn save(db: &Db, municipality: &str, text: &str, by: &str) -> Result<(), sqlx::Error> {
    let sql = "INSERT INTO waitlist_rules (municipality_code, rules, updated_by, updated_at) VALUES ($1, $2, $3, $4) \
               ON CONFLICT (municipality_code) DO UPDATE SET rules = excluded.rules, updated_by = excluded.updated_by, \
               updated_at = excluded.updated_at";
    db_run!(db, p => sqlx::query(sql).bind(municipality).bind(text).bind(by).bind(now_millis()).execute(p).await
        .map(|_| ()))
}
