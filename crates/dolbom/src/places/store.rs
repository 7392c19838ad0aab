//! SQL of the facility registry: a facility is written whole (row and hours, change log) in one transaction.

use super::hours::{DAYS, Span, WeeklyHours};
use super::model::Facility;
use crate::db::change_log::{self, Op};
use crate::db::time::{Millis, now_millis};
use crate::db::{Db, Tx, new_id};
use crate::{db_run, tx_run};

pub const ENTITY: &str = "facility";

const COLUMNS: &str = "id, source_id, kind, name, operator, organization_id, address, latitude, longitude, adm_cd2, \
    min_age_months, max_age_months, capacity, enrolled, services, programmes, languages, phone, website, photos, \
    hours_confirmed, updated_at";

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    source_id: Option<String>,
    kind: String,
    name: String,
    operator: Option<String>,
    organization_id: Option<String>,
    address: String,
    latitude: f64,
    longitude: f64,
    adm_cd2: String,
    min_age_months: i32,
    max_age_months: i32,
    capacity: Option<i32>,
    enrolled: Option<i32>,
    services: String,
    programmes: String,
    languages: String,
    phone: Option<String>,
    website: Option<String>,
    photos: String,
    hours_confirmed: bool,
    updated_at: i64,
}

fn split(text: &str, by: char) -> Vec<String> {
    text.split(by).map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect()
}

fn facility(row: Row, hours: WeeklyHours) -> Facility {
    Facility {
        id: row.id,
        source_id: row.source_id,
        kind: row.kind,
        name: row.name,
        operator: row.operator,
        organization_id: row.organization_id,
        address: row.address,
        latitude: row.latitude,
        longitude: row.longitude,
        adm_cd2: row.adm_cd2,
        min_age_months: row.min_age_months,
        max_age_months: row.max_age_months,
        capacity: row.capacity,
        enrolled: row.enrolled,
        services: split(&row.services, ','),
        programmes: split(&row.programmes, '\n'),
        languages: split(&row.languages, ','),
        phone: row.phone,
        website: row.website,
        photos: split(&row.photos, '\n'),
        hours,
        hours_confirmed: row.hours_confirmed,
        updated_at: row.updated_at,
    }
}

/// Who is writing, which decides what an existing row keeps.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Writer {
    /// Staff (or the demo) write the whole facility.
    Whole,
    /// An import writes what its source knows and leaves what the centre's staff keep once they have saved it:
    /// organization, programmes, languages, photos, and (when confirmed) hours and enrolment.
    Source,
}

/// The `SET` list of an existing row's update.
fn update_columns(writer: Writer) -> &'static str {
    match writer {
        Writer::Whole => {
            "kind = excluded.kind, name = excluded.name, operator = excluded.operator, \
             organization_id = excluded.organization_id, address = excluded.address, latitude = excluded.latitude, \
             longitude = excluded.longitude, adm_cd2 = excluded.adm_cd2, min_age_months = excluded.min_age_months, \
             max_age_months = excluded.max_age_months, capacity = excluded.capacity, enrolled = excluded.enrolled, \
             services = excluded.services, programmes = excluded.programmes, languages = excluded.languages, \
             phone = excluded.phone, website = excluded.website, photos = excluded.photos, \
             hours_confirmed = excluded.hours_confirmed, updated_at = excluded.updated_at"
        }
        Writer::Source => {
            "kind = excluded.kind, name = excluded.name, operator = excluded.operator, address = excluded.address, \
             latitude = excluded.latitude, longitude = excluded.longitude, adm_cd2 = excluded.adm_cd2, \
             min_age_months = excluded.min_age_months, max_age_months = excluded.max_age_months, \
             capacity = excluded.capacity, \
             enrolled = CASE WHEN facilities.hours_confirmed AND facilities.enrolled IS NOT NULL \
                 AND excluded.capacity IS NOT NULL AND facilities.enrolled <= excluded.capacity \
                 THEN facilities.enrolled ELSE excluded.enrolled END, \
             services = excluded.services, phone = excluded.phone, website = excluded.website, \
             updated_at = excluded.updated_at"
        }
    }
}

/// Writes a facility under its id, or under the id its source id already has (re-imports update in place);
/// returns the id. The caller has checked it ([`Facility::check`]).
pub async fn upsert(db: &Db, municipality: &str, f: &Facility) -> Result<String, sqlx::Error> {
    write(db, municipality, f, Writer::Whole).await
}

/// An import's write: see [`Writer::Source`].
pub async fn upsert_from_source(db: &Db, municipality: &str, f: &Facility) -> Result<String, sqlx::Error> {
    write(db, municipality, f, Writer::Source).await
}

async fn write(db: &Db, municipality: &str, f: &Facility, writer: Writer) -> Result<String, sqlx::Error> {
    let mut tx = db.begin().await?;
    let existing: Option<(String, bool)> = match &f.source_id {
        Some(source) => {
            let sql = "SELECT id, hours_confirmed FROM facilities WHERE municipality_code = $1 AND source_id = $2";
            tx_run!(&mut tx, c => sqlx::query_as(sql).bind(municipality).bind(source).fetch_optional(c).await)?
        }
        None => None,
    };
    let staff_confirmed = existing.as_ref().is_some_and(|(_, confirmed)| *confirmed);
    let id = existing.map(|(id, _)| id).unwrap_or_else(|| if f.id.is_empty() { new_id() } else { f.id.clone() });
    let sql = format!(
        "INSERT INTO facilities ({COLUMNS}, municipality_code) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, \
         $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23) ON CONFLICT (id) DO UPDATE SET {}",
        update_columns(writer)
    );
    tx_run!(&mut tx, c => sqlx::query(&sql)
        .bind(&id).bind(&f.source_id).bind(&f.kind).bind(&f.name).bind(&f.operator).bind(&f.organization_id)
        .bind(&f.address).bind(f.latitude).bind(f.longitude).bind(&f.adm_cd2)
        .bind(f.min_age_months).bind(f.max_age_months).bind(f.capacity).bind(f.enrolled)
        .bind(f.services.join(",")).bind(f.programmes.join("\n")).bind(f.languages.join(","))
        .bind(&f.phone).bind(&f.website).bind(f.photos.join("\n")).bind(f.hours_confirmed).bind(now_millis())
        .bind(municipality)
        .execute(c).await.map(|_| ()))?;
    if writer == Writer::Whole || !staff_confirmed {
        replace_hours(&mut tx, &id, &f.hours).await?;
    }
    change_log::append(&mut tx, municipality, ENTITY, &id, Op::Upsert).await?;
    tx.commit().await?;
    Ok(id)
}

/// Takes a facility off the registry by its source id (the source lists it as closed); `Ok(false)` when it was
/// not there.
pub async fn delete_by_source(db: &Db, municipality: &str, source: &str) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin().await?;
    let sql = "DELETE FROM facilities WHERE municipality_code = $1 AND source_id = $2 RETURNING id";
    let gone: Option<(String,)> =
        tx_run!(&mut tx, c => sqlx::query_as(sql).bind(municipality).bind(source).fetch_optional(c).await)?;
    let Some((id,)) = gone else { return Ok(false) };
    change_log::append(&mut tx, municipality, ENTITY, &id, Op::Delete).await?;
    tx.commit().await?;
    Ok(true)
}

async fn replace_hours(tx: &mut Tx, id: &str, hours: &WeeklyHours) -> Result<(), sqlx::Error> {
    tx_run!(tx, c => sqlx::query("DELETE FROM facility_hours WHERE facility_id = $1").bind(id).execute(c).await.map(|_| ()))?;
    for (day, span) in hours.0.iter().enumerate() {
        let Some(span) = span else { continue };
        let sql = "INSERT INTO facility_hours (facility_id, day, opens, closes) VALUES ($1, $2, $3, $4)";
        tx_run!(tx, c => sqlx::query(sql).bind(id).bind(day as i32).bind(span.opens as i32).bind(span.closes as i32)
            .execute(c).await.map(|_| ()))?;
    }
    Ok(())
}

/// Sets the number enrolled (the quick vacancy update on the provider's list); `Ok(false)` when it would exceed the
/// capacity or the capacity is not known.
pub async fn set_enrolled(db: &Db, municipality: &str, id: &str, enrolled: i32) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin().await?;
    let sql = "UPDATE facilities SET enrolled = $1, updated_at = $2 \
               WHERE id = $3 AND municipality_code = $4 AND $1 >= 0 AND capacity IS NOT NULL AND $1 <= capacity";
    let done = tx_run!(&mut tx, c => sqlx::query(sql).bind(enrolled).bind(now_millis()).bind(id).bind(municipality)
        .execute(c).await.map(|r| r.rows_affected()))?;
    if done == 0 {
        return Ok(false);
    }
    change_log::append(&mut tx, municipality, ENTITY, id, Op::Upsert).await?;
    tx.commit().await?;
    Ok(true)
}

/// One more child enrolled, inside the caller's transaction (a waitlist place taken up); `false` when the facility
/// is full or its capacity is not known.
pub async fn enrol_one(tx: &mut Tx, municipality: &str, id: &str, now: Millis) -> Result<bool, sqlx::Error> {
    let sql = "UPDATE facilities SET enrolled = enrolled + 1, updated_at = $1 WHERE id = $2 AND municipality_code = $3 \
               AND capacity IS NOT NULL AND enrolled < capacity";
    let done = tx_run!(tx, c => sqlx::query(sql).bind(now).bind(id).bind(municipality).execute(c).await
        .map(|r| r.rows_affected()))?;
    if done == 0 {
        return Ok(false);
    }
    change_log::append(tx, municipality, ENTITY, id, Op::Upsert).await?;
    Ok(true)
}

type HourRow = (String, i32, i32, i32);

fn hours_by_facility(rows: Vec<HourRow>) -> std::collections::HashMap<String, WeeklyHours> {
    let mut out: std::collections::HashMap<String, WeeklyHours> = Default::default();
    for (id, day, opens, closes) in rows {
        if let (Ok(day @ 0..DAYS), Ok(span)) = (usize::try_from(day), Span::new(opens as u16, closes as u16)) {
            out.entry(id).or_default().0[day] = Some(span);
        }
    }
    out
}

pub async fn get(db: &Db, municipality: &str, id: &str) -> Result<Option<Facility>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM facilities WHERE id = $1 AND municipality_code = $2");
    let row: Option<Row> = db_run!(db, p => sqlx::query_as(&sql).bind(id).bind(municipality).fetch_optional(p).await)?;
    let Some(row) = row else { return Ok(None) };
    let hours_sql = "SELECT facility_id, day, opens, closes FROM facility_hours WHERE facility_id = $1";
    let hours: Vec<HourRow> = db_run!(db, p => sqlx::query_as(hours_sql).bind(id).fetch_all(p).await)?;
    let hours = hours_by_facility(hours).remove(id).unwrap_or_default();
    Ok(Some(facility(row, hours)))
}

/// Every facility of the municipality with its hours, in two queries (the geo index is built from them).
pub async fn all(db: &Db, municipality: &str) -> Result<Vec<Facility>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM facilities WHERE municipality_code = $1 ORDER BY id");
    let rows: Vec<Row> = db_run!(db, p => sqlx::query_as(&sql).bind(municipality).fetch_all(p).await)?;
    let hours_sql = "SELECT h.facility_id, h.day, h.opens, h.closes FROM facility_hours h \
                     JOIN facilities f ON f.id = h.facility_id WHERE f.municipality_code = $1";
    let hours: Vec<HourRow> = db_run!(db, p => sqlx::query_as(hours_sql).bind(municipality).fetch_all(p).await)?;
    let mut hours = hours_by_facility(hours);
    Ok(rows
        .into_iter()
        .map(|row| {
            let h = hours.remove(&row.id).unwrap_or_default();
            facility(row, h)
        })
        .collect())
}

/// The facilities an organization's staff may edit.
pub async fn of_organization(db: &Db, municipality: &str, org: &str) -> Result<Vec<(String, String)>, sqlx::Error> {
    let sql = "SELECT id, name FROM facilities WHERE municipality_code = $1 AND organization_id = $2 ORDER BY name";
    db_run!(db, p => sqlx::query_as(sql).bind(municipality).bind(org).fetch_all(p).await)
}
