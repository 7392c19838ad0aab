//! SQL of the documents that prove claimed facts: sealed bytes in the database, added by the guardian of a waiting
//! application for a fact it claimed, read by staff of the municipality.

use crate::db::time::{Millis, now_millis};
use crate::db::{Db, new_id};
use crate::db_run;

/// A document to store, already sealed.
pub struct NewDocument<'a> {
    pub application_id: &'a str,
    pub fact: &'a str,
    pub content_type: &'a str,
    /// Bytes before sealing.
    pub size: usize,
    pub sealed: &'a [u8],
}

/// Stores a sealed document; `false` when the application is not this guardian's waiting one or the fact was not
/// claimed on it.
pub async fn add(db: &Db, municipality: &str, guardian_id: &str, d: &NewDocument<'_>) -> Result<bool, sqlx::Error> {
    let sql = "INSERT INTO waitlist_documents (id, application_id, fact, content_type, size, sealed, uploaded_at) \
               SELECT $1, f.application_id, f.fact, $2, $3, $4, $5 FROM waitlist_facts f JOIN waitlist_applications a \
               ON a.id = f.application_id WHERE f.application_id = $6 AND f.fact = $7 AND a.guardian_id = $8 \
               AND a.municipality_code = $9 AND a.status = 'waiting'";
    let done = db_run!(db, p => sqlx::query(sql).bind(new_id()).bind(d.content_type).bind(d.size as i64)
        .bind(d.sealed).bind(now_millis()).bind(d.application_id).bind(d.fact).bind(guardian_id).bind(municipality)
        .execute(p).await.map(|r| r.rows_affected()))?;
    Ok(done > 0)
}

/// A document listed beside its fact: (id, application, fact, uploaded at).
pub type Listed = (String, String, String, Millis);

/// The documents of the municipality's waiting applications, oldest first.
pub async fn of_waiting(db: &Db, municipality: &str) -> Result<Vec<Listed>, sqlx::Error> {
    let sql = "SELECT d.id, d.application_id, d.fact, d.uploaded_at FROM waitlist_documents d \
               JOIN waitlist_applications a ON a.id = d.application_id WHERE a.municipality_code = $1 \
               AND a.status = 'waiting' ORDER BY d.uploaded_at, d.id";
    db_run!(db, p => sqlx::query_as(sql).bind(municipality).fetch_all(p).await)
}

/// A guardian's own documents.
pub async fn of_guardian(db: &Db, municipality: &str, guardian_id: &str) -> Result<Vec<Listed>, sqlx::Error> {
    let sql = "SELECT d.id, d.application_id, d.fact, d.uploaded_at FROM waitlist_documents d \
               JOIN waitlist_applications a ON a.id = d.application_id WHERE a.municipality_code = $1 \
               AND a.guardian_id = $2 ORDER BY d.uploaded_at, d.id";
    db_run!(db, p => sqlx::query_as(sql).bind(municipality).bind(guardian_id).fetch_all(p).await)
}

/// One document of the municipality: (application, content type, sealed bytes).
pub async fn get(db: &Db, municipality: &str, id: &str) -> Result<Option<(String, String, Vec<u8>)>, sqlx::Error> {
    let sql = "SELECT d.application_id, d.content_type, d.sealed FROM waitlist_documents d \
               JOIN waitlist_applications a ON a.id = d.application_id WHERE d.id = $1 AND a.municipality_code = $2";
    db_run!(db, p => sqlx::query_as(sql).bind(id).bind(municipality).fetch_optional(p).await)
}
