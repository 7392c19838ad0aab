//! A resident's consents: the purpose, the agency it covers (or the whole consortium), the period, a withdrawal.
//! Agencies share a case only while a consent for it is in force; what is in force is asked of the database for a
//! given day, so an expired or withdrawn consent stops counting without anyone cleaning up.

use chrono::NaiveDate;

use crate::db::time::now_millis;
use crate::db::{Db, new_id};
use crate::db_run;

pub const PURPOSES: [&str; 4] = ["case_management", "information_sharing", "service_linkage", "outreach"];

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConsentError {
    #[error("unknown purpose")]
    UnknownPurpose,
    #[error("the consent ends before it begins")]
    Reversed,
    #[error("no such resident")]
    UnknownResident,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewConsent<'a> {
    pub resident_id: &'a str,
    pub purpose: &'a str,
    /// `None`: every agency of the consortium.
    pub agency_id: Option<&'a str>,
    pub given_on: NaiveDate,
    pub expires_on: NaiveDate,
}

/// Records a consent after checking it; returns its id.
pub async fn record(db: &Db, municipality: &str, c: &NewConsent<'_>, by: &str) -> Result<String, RecordError> {
    if !PURPOSES.contains(&c.purpose) {
        return Err(ConsentError::UnknownPurpose.into());
    }
    if c.expires_on < c.given_on {
        return Err(ConsentError::Reversed.into());
    }
    let known = "SELECT COUNT(*) FROM residents WHERE id = $1 AND municipality_code = $2";
    let n: i64 = db_run!(db, p => sqlx::query_scalar(known).bind(c.resident_id).bind(municipality).fetch_one(p).await)?;
    if n == 0 {
        return Err(ConsentError::UnknownResident.into());
    }
    let id = new_id();
    let sql = "INSERT INTO resident_consents (id, municipality_code, resident_id, purpose, agency_id, given_on, \
               expires_on, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
    db_run!(db, p => sqlx::query(sql).bind(&id).bind(municipality).bind(c.resident_id).bind(c.purpose)
        .bind(c.agency_id).bind(c.given_on).bind(c.expires_on).bind(by).bind(now_millis())
        .execute(p).await.map(|_| ()))?;
    Ok(id)
}

#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    #[error(transparent)]
    Invalid(#[from] ConsentError),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// Withdraws a consent from now on; `false` when it was not in force to withdraw.
pub async fn withdraw(db: &Db, consent_id: &str) -> Result<bool, sqlx::Error> {
    let sql = "UPDATE resident_consents SET withdrawn_at = $1 WHERE id = $2 AND withdrawn_at IS NULL";
    let done = db_run!(db, p => sqlx::query(sql).bind(now_millis()).bind(consent_id).execute(p).await
        .map(|r| r.rows_affected()))?;
    Ok(done == 1)
}

/// Whether the resident's consent for `purpose` covers `agency` on `day`: one naming the agency, or one for the
/// whole consortium, given by then and not expired. A withdrawn consent counts for no day: sharing stops at once.
pub async fn in_force(
    db: &Db,
    resident_id: &str,
    purpose: &str,
    agency: &str,
    day: NaiveDate,
) -> Result<bool, sqlx::Error> {
    let sql = "SELECT COUNT(*) FROM resident_consents WHERE resident_id = $1 AND purpose = $2 \
               AND (agency_id IS NULL OR agency_id = $3) AND given_on <= $4 AND expires_on >= $4 \
               AND withdrawn_at IS NULL";
    let n: i64 = db_run!(db, p => sqlx::query_scalar(sql).bind(resident_id).bind(purpose).bind(agency).bind(day)
        .fetch_one(p).await)?;
    Ok(n > 0)
}
