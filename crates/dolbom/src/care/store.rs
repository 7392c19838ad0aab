//! SQL of care applications: the application, its offers to providers, and its timeline. Every change of status is
//! a guarded update (only from the statuses it may come from) written with its event in one transaction.

use chrono::NaiveDate;
use serde::Serialize;

use super::hold_store::{self, HoldError};
use super::model::{NewApplication, Status};
use crate::db::time::{Millis, now_millis};
use crate::db::{Db, Tx, new_id};
use crate::{db_run, tx_run};

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Application {
    pub id: String,
    pub municipality_code: String,
    pub child_id: String,
    pub guardian_id: String,
    pub service: String,
    pub first_day: NaiveDate,
    pub days: i32,
    pub start_minute: i32,
    pub end_minute: i32,
    pub reason: String,
    pub adm_cd2: String,
    pub address: String,
    pub latitude: f64,
    pub longitude: f64,
    pub caregiver_sex: Option<String>,
    pub language: Option<String>,
    pub notes: String,
    pub status: String,
    pub facility_id: Option<String>,
    pub caregiver_id: Option<String>,
    pub explanation: String,
    pub created_at: Millis,
    pub updated_at: Millis,
}

impl Application {
    pub fn status(&self) -> Status {
        Status::parse(&self.status).unwrap_or(Status::Submitted)
    }

    pub fn slots(&self) -> Vec<(NaiveDate, i32)> {
        hold_store::slots(self.first_day, self.days, self.start_minute, self.end_minute)
    }

    pub fn last_day(&self) -> NaiveDate {
        self.first_day + chrono::Duration::days(i64::from(self.days.max(1) - 1))
    }

    /// The facility or caregiver it is matched with (offered to, or given by).
    pub fn provider_id(&self) -> Option<&str> {
        self.facility_id.as_deref().or(self.caregiver_id.as_deref())
    }

    /// `2026-11-28 10:00–14:00`, with the last day when care runs over several.
    pub fn when(&self) -> String {
        let until = if self.days > 1 { format!(" – {}", self.last_day()) } else { String::new() };
        let (start, end) = (super::model::clock(self.start_minute), super::model::clock(self.end_minute));
        format!("{}{until} {start}–{end}", self.first_day)
    }
}

const COLUMNS: &str = "id, municipality_code, child_id, guardian_id, service, first_day, days, start_minute, \
    end_minute, reason, adm_cd2, address, latitude, longitude, caregiver_sex, language, notes, status, facility_id, \
    caregiver_id, explanation, created_at, updated_at";

/// Who gives the care.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ProviderRef {
    Facility(String),
    Caregiver(String),
}

#[derive(Debug, thiserror::Error)]
pub enum CareError {
    /// The child already has care asked for in some of these hours.
    #[error("overlapping application")]
    Overlap,
    /// The application is not in a status that allows this (someone else acted first, or it is over).
    #[error("not in a status that allows this")]
    WrongStatus,
    /// No seat or caregiver time left for these hours.
    #[error("no room left")]
    Full,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// A care error as the person acting should see it.
impl From<CareError> for crate::error::AppError {
    fn from(e: CareError) -> crate::error::AppError {
        use crate::error::AppError;
        match e {
            CareError::Overlap => AppError::Conflict("care_overlap"),
            CareError::WrongStatus => AppError::Conflict("care_wrong_status"),
            CareError::Full => AppError::Conflict("care_full"),
            CareError::Db(e) => AppError::Database(e),
        }
    }
}

impl From<HoldError> for CareError {
    fn from(e: HoldError) -> CareError {
        match e {
            HoldError::Taken => CareError::Full,
            HoldError::Db(e) => CareError::Db(e),
        }
    }
}

/// Stores a new application (status submitted) holding the child's hours.
pub async fn submit(
    db: &Db,
    municipality: &str,
    guardian_id: &str,
    a: &NewApplication,
    point: (f64, f64),
) -> Result<String, CareError> {
    let id = new_id();
    let now = now_millis();
    let mut tx = db.begin().await?;
    let sql = "INSERT INTO care_applications (id, municipality_code, child_id, guardian_id, service, first_day, days, \
               start_minute, end_minute, reason, adm_cd2, address, latitude, longitude, caregiver_sex, language, \
               notes, status, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, \
               $13, $14, $15, $16, $17, 'submitted', $18, $18)";
    tx_run!(&mut tx, c => sqlx::query(sql).bind(&id).bind(municipality).bind(&a.child_id).bind(guardian_id)
        .bind(a.service.code()).bind(a.first_day).bind(a.days as i32).bind(i32::from(a.start))
        .bind(i32::from(a.end)).bind(&a.reason).bind(&a.adm_cd2).bind(&a.address).bind(point.0).bind(point.1)
        .bind(&a.caregiver_sex).bind(&a.language).bind(&a.notes).bind(now).execute(c).await.map(|_| ()))?;
    let slots = hold_store::slots(a.first_day, a.days as i32, i32::from(a.start), i32::from(a.end));
    match hold_store::hold_child(&mut tx, &a.child_id, &id, &slots).await {
        Err(HoldError::Taken) => return Err(CareError::Overlap),
        other => other?,
    }
    add_event(&mut tx, &id, Status::Submitted.code(), Some(guardian_id), "", now).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn get(db: &Db, municipality: &str, id: &str) -> Result<Option<Application>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM care_applications WHERE id = $1 AND municipality_code = $2");
    db_run!(db, p => sqlx::query_as(&sql).bind(id).bind(municipality).fetch_optional(p).await)
}

/// A guardian's applications, newest first.
pub async fn of_guardian(db: &Db, municipality: &str, guardian_id: &str) -> Result<Vec<Application>, sqlx::Error> {
    let sql = format!(
        "SELECT {COLUMNS} FROM care_applications WHERE municipality_code = $1 AND guardian_id = $2 \
         ORDER BY created_at DESC LIMIT 200"
    );
    db_run!(db, p => sqlx::query_as(&sql).bind(municipality).bind(guardian_id).fetch_all(p).await)
}

/// Applications given to (or offered to) these facilities or this caregiver, from `from` on, soonest first.
pub async fn of_providers(
    db: &Db,
    municipality: &str,
    facility_ids: &[String],
    caregiver_id: Option<&str>,
    from: NaiveDate,
) -> Result<Vec<Application>, sqlx::Error> {
    let sql = format!(
        "SELECT {COLUMNS} FROM care_applications WHERE municipality_code = $1 AND first_day >= $2 \
         AND (caregiver_id = $3 OR facility_id IN (SELECT value FROM {list})) ORDER BY first_day, start_minute LIMIT 500",
        list = match db {
            Db::Sqlite(..) => "json_each($4)",
            Db::Postgres(_) => "json_array_elements_text($4::json)",
        }
    );
    let ids = serde_json::to_string(facility_ids).unwrap_or_else(|_| "[]".into());
    let earliest = from - chrono::Duration::days(31);
    db_run!(db, p => sqlx::query_as(&sql).bind(municipality).bind(earliest).bind(caregiver_id).bind(&ids)
        .fetch_all(p).await)
    .map(|rows: Vec<Application>| rows.into_iter().filter(|a| a.last_day() >= from).collect())
}

/// Applications holding a provider's time around these days (matched, confirmed, in care, or given already: a
/// caregiver's week counts the care given too): the matcher's ledger.
/// What the matcher's ledger needs of care already promised, and no more: every match reads all of it around its
/// days, hundreds of rows on a busy Saturday.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Held {
    pub id: String,
    pub facility_id: Option<String>,
    pub caregiver_id: Option<String>,
    pub first_day: NaiveDate,
    pub days: i32,
    pub start_minute: i32,
    pub end_minute: i32,
}

pub async fn held_between(
    db: &Db,
    municipality: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<Held>, sqlx::Error> {
    let sql = "SELECT id, facility_id, caregiver_id, first_day, days, start_minute, end_minute FROM care_applications \
               WHERE municipality_code = $1 AND first_day BETWEEN $2 AND $3 \
               AND status IN ('matched', 'confirmed', 'checked_in', 'checked_out', 'completed')";
    let earliest = from - chrono::Duration::days(31);
    db_run!(db, p => sqlx::query_as(sql).bind(municipality).bind(earliest).bind(to).fetch_all(p).await)
}

/// Applications waiting for a match (new, or after a decline or a missed deadline).
pub async fn waiting(db: &Db, municipality: &str) -> Result<Vec<Application>, sqlx::Error> {
    let sql = format!(
        "SELECT {COLUMNS} FROM care_applications WHERE municipality_code = $1 AND status = 'submitted' \
         ORDER BY created_at"
    );
    db_run!(db, p => sqlx::query_as(&sql).bind(municipality).fetch_all(p).await)
}

pub(super) async fn add_event(
    tx: &mut Tx,
    id: &str,
    what: &str,
    actor: Option<&str>,
    note: &str,
    at: Millis,
) -> Result<(), sqlx::Error> {
    let sql = "INSERT INTO care_events (application_id, seq, at, status, actor_id, note) \
               SELECT $1, COALESCE(MAX(seq), 0) + 1, $2, $3, $4, $5 FROM care_events WHERE application_id = $1";
    tx_run!(tx, c => sqlx::query(sql).bind(id).bind(at).bind(what).bind(actor).bind(note)
        .execute(c).await.map(|_| ()))
}

/// Moves an application to `to` if it is in one of `from`, with its event; frees its hours when it ends without
/// care.
pub async fn transition(
    db: &Db,
    id: &str,
    from: &[Status],
    to: Status,
    actor: Option<&str>,
    note: &str,
) -> Result<(), CareError> {
    let mut tx = db.begin().await?;
    move_status(&mut tx, id, from, to).await?;
    if to.releases_hours() {
        hold_store::release_all(&mut tx, id).await?;
    }
    add_event(&mut tx, id, to.code(), actor, note, now_millis()).await?;
    tx.commit().await?;
    Ok(())
}

pub(super) async fn move_status(tx: &mut Tx, id: &str, from: &[Status], to: Status) -> Result<(), CareError> {
    let allowed: Vec<String> = from.iter().map(|s| format!("'{}'", s.code())).collect();
    let sql = format!(
        "UPDATE care_applications SET status = $1, updated_at = $2 WHERE id = $3 AND status IN ({})",
        allowed.join(", ")
    );
    let moved = tx_run!(tx, c => sqlx::query(&sql).bind(to.code()).bind(now_millis()).bind(id)
        .execute(c).await.map(|r| r.rows_affected()))?;
    if moved == 0 {
        return Err(CareError::WrongStatus);
    }
    Ok(())
}

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Event {
    pub seq: i32,
    pub at: Millis,
    pub status: String,
    pub actor_id: Option<String>,
    pub actor_name: Option<String>,
    pub note: String,
}

pub async fn events(db: &Db, id: &str) -> Result<Vec<Event>, sqlx::Error> {
    let sql = "SELECT e.seq, e.at, e.status, e.actor_id, u.display_name AS actor_name, e.note FROM care_events e \
               LEFT JOIN users u ON u.id = e.actor_id WHERE e.application_id = $1 ORDER BY e.seq";
    db_run!(db, p => sqlx::query_as(sql).bind(id).fetch_all(p).await)
}

/// The provider-staff accounts of the organization that runs a facility (who answer its offers).
pub async fn staff_of_facility(db: &Db, facility_id: &str) -> Result<Vec<String>, sqlx::Error> {
    let sql = "SELECT u.id FROM users u JOIN facilities f ON f.organization_id = u.organization_id \
               WHERE f.id = $1 AND u.role = 'provider_staff' AND u.active ORDER BY u.id";
    db_run!(db, p => sqlx::query_scalar(sql).bind(facility_id).fetch_all(p).await)
}
