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

/// The condition on a consent `c` for purpose `$2` covering agency `$3` on day `$4`: one naming the agency, or
/// one for the whole consortium while the agency is a member; given by then, not expired, not withdrawn.
pub(crate) const COVERS: &str = "c.purpose = $2 AND c.given_on <= $4 AND c.expires_on >= $4 \
     AND c.withdrawn_at IS NULL AND (c.agency_id = $3 OR (c.agency_id IS NULL AND EXISTS \
     (SELECT 1 FROM organizations o WHERE o.id = $3 AND o.in_consortium = TRUE)))";

/// Whether the resident's consent for `purpose` covers `agency` on `day`: one naming the agency, or one for the
/// whole consortium (the agency a member), given by then and not expired. A withdrawn consent counts for no day: sharing stops at once.
pub async fn in_force(
    db: &Db,
    resident_id: &str,
    purpose: &str,
    agency: &str,
    day: NaiveDate,
) -> Result<bool, sqlx::Error> {
    let sql = format!("SELECT COUNT(*) FROM resident_consents c WHERE c.resident_id = $1 AND {COVERS}");
    let n: i64 = db_run!(db, p => sqlx::query_scalar(&sql).bind(resident_id).bind(purpose).bind(agency).bind(day)
        .fetch_one(p).await)?;
    Ok(n > 0)
}

/// A consent as the household page lists it.
#[derive(Clone, Debug, sqlx::FromRow, serde::Serialize)]
pub struct Consent {
    pub id: String,
    pub resident_id: String,
    pub purpose: String,
    /// The agency it names; empty for the whole consortium.
    pub agency_name: String,
    pub given_on: NaiveDate,
    pub expires_on: NaiveDate,
    pub withdrawn_at: Option<crate::db::time::Millis>,
}

/// The consents of a household's members, newest first.
pub async fn of_household(db: &Db, household_id: &str) -> Result<Vec<Consent>, sqlx::Error> {
    let sql = "SELECT c.id, c.resident_id, c.purpose, COALESCE(o.name, '') AS agency_name, c.given_on, c.expires_on, \
               c.withdrawn_at FROM resident_consents c JOIN residents r ON r.id = c.resident_id \
               LEFT JOIN organizations o ON o.id = c.agency_id WHERE r.household_id = $1 \
               ORDER BY c.recorded_at DESC, c.id";
    db_run!(db, p => sqlx::query_as(sql).bind(household_id).fetch_all(p).await)
}

/// The household a consent's resident lives in, if the consent is in the municipality.
pub async fn household_of(db: &Db, municipality: &str, consent_id: &str) -> Result<Option<String>, sqlx::Error> {
    let sql = "SELECT r.household_id FROM resident_consents c JOIN residents r ON r.id = c.resident_id \
               WHERE c.id = $1 AND c.municipality_code = $2";
    db_run!(db, p => sqlx::query_scalar(sql).bind(consent_id).bind(municipality).fetch_optional(p).await)
}
