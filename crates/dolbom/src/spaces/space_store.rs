//! SQL of spaces themselves: creating one with its opening hours, closed days, reading one with its rules.

use chrono::NaiveDate;
use serde::Serialize;

use super::rules::{Rules, WhoMayBook};
use crate::db::time::{Millis, now_millis, seoul_day_start};
use crate::db::{Db, Tx, new_id};
use crate::places::hours::{DAYS, Span, WeeklyHours};
use crate::{db_run, tx_run};

#[derive(Clone, Debug)]
pub struct NewSpace<'a> {
    pub organization_id: Option<&'a str>,
    pub name: &'a str,
    pub kind: &'a str,
    pub adm_cd2: &'a str,
    pub address: &'a str,
    pub lat: f64,
    pub lon: f64,
    pub capacity: i32,
    pub equipment: &'a str,
    pub accessibility: &'a str,
    pub description: &'a str,
    pub fee_exempt: &'a str,
    pub rules: Rules,
}

/// Creates a space with its opening hours; returns its id.
pub async fn create(db: &Db, municipality: &str, s: &NewSpace<'_>, hours: &WeeklyHours) -> Result<String, sqlx::Error> {
    let id = new_id();
    let r = &s.rules;
    let mut tx = db.begin().await?;
    let sql = "INSERT INTO spaces (id, municipality_code, organization_id, name, kind, adm_cd2, address, lat, lon, \
               capacity, equipment, accessibility, description, slot_minutes, max_booking_minutes, max_week_minutes, \
               who_may_book, needs_approval, fee_krw_per_hour, fee_exempt, cancel_hours, created_at) \
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)";
    tx_run!(&mut tx, c => sqlx::query(sql).bind(&id).bind(municipality).bind(s.organization_id).bind(s.name).bind(s.kind)
        .bind(s.adm_cd2).bind(s.address).bind(s.lat).bind(s.lon).bind(s.capacity).bind(s.equipment)
        .bind(s.accessibility).bind(s.description).bind(i32::from(r.slot_minutes)).bind(i32::from(r.max_booking_minutes))
        .bind(r.max_week_minutes as i32).bind(r.who_may_book.as_str()).bind(r.needs_approval).bind(r.fee_krw_per_hour)
        .bind(s.fee_exempt).bind(r.cancel_hours as i32).bind(now_millis()).execute(c).await.map(|_| ()))?;
    write_hours(&mut tx, &id, hours).await?;
    tx.commit().await?;
    Ok(id)
}

async fn write_hours(tx: &mut Tx, id: &str, hours: &WeeklyHours) -> Result<(), sqlx::Error> {
    tx_run!(tx, c => sqlx::query("DELETE FROM space_hours WHERE space_id = $1").bind(id).execute(c).await.map(|_| ()))?;
    for (day, span) in hours.0.iter().enumerate() {
        if let Some(span) = span {
            let sql = "INSERT INTO space_hours (space_id, weekday, opens, closes) VALUES ($1, $2, $3, $4)";
            tx_run!(tx, c => sqlx::query(sql).bind(id).bind(day as i32).bind(i32::from(span.opens))
                .bind(i32::from(span.closes)).execute(c).await.map(|_| ()))?;
        }
    }
    Ok(())
}

/// Saves a manager's edit of the space, its rules and its opening hours, in one transaction. Bookings made
/// already keep what they were made under. False when there is no such space here.
pub async fn update(
    db: &Db,
    municipality: &str,
    id: &str,
    s: &NewSpace<'_>,
    hours: &WeeklyHours,
) -> Result<bool, sqlx::Error> {
    let r = &s.rules;
    let mut tx = db.begin().await?;
    let sql = "UPDATE spaces SET name = $1, kind = $2, adm_cd2 = $3, address = $4, lat = $5, lon = $6, capacity = $7, \
               equipment = $8, accessibility = $9, description = $10, slot_minutes = $11, max_booking_minutes = $12, \
               max_week_minutes = $13, who_may_book = $14, needs_approval = $15, fee_krw_per_hour = $16, \
               fee_exempt = $17, cancel_hours = $18 WHERE id = $19 AND municipality_code = $20";
    let n = tx_run!(&mut tx, c => sqlx::query(sql).bind(s.name).bind(s.kind).bind(s.adm_cd2).bind(s.address)
        .bind(s.lat).bind(s.lon).bind(s.capacity).bind(s.equipment).bind(s.accessibility).bind(s.description)
        .bind(i32::from(r.slot_minutes)).bind(i32::from(r.max_booking_minutes)).bind(r.max_week_minutes as i32)
        .bind(r.who_may_book.as_str()).bind(r.needs_approval).bind(r.fee_krw_per_hour).bind(s.fee_exempt)
        .bind(r.cancel_hours as i32).bind(id).bind(municipality).execute(c).await.map(|r| r.rows_affected()))?;
    if n == 0 {
        return Ok(false);
    }
    write_hours(&mut tx, id, hours).await?;
    tx.commit().await?;
    Ok(true)
}

/// Opens a day closed before.
pub async fn reopen_day(db: &Db, space_id: &str, day: NaiveDate) -> Result<(), sqlx::Error> {
    let sql = "DELETE FROM space_closed_days WHERE space_id = $1 AND day = $2";
    db_run!(db, p => sqlx::query(sql).bind(space_id).bind(day).execute(p).await.map(|_| ()))
}

/// Closes the space on a day, in one transaction: that day's bookings are cancelled (with the reason, for their
/// bookers) and their slots given back. Returns those bookings: (id, booker, start).
pub async fn close_day(
    db: &Db,
    space_id: &str,
    day: NaiveDate,
    reason: &str,
) -> Result<Vec<(String, String, Millis)>, sqlx::Error> {
    let (from, to) = (seoul_day_start(day), seoul_day_start(day) + 86_400_000);
    let mut tx = db.begin().await?;
    let sql = "INSERT INTO space_closed_days (space_id, day, reason) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING";
    tx_run!(&mut tx, c => sqlx::query(sql).bind(space_id).bind(day).bind(reason).execute(c).await.map(|_| ()))?;
    let sql = "UPDATE bookings SET status = 'cancelled', cancelled_at = $1, reject_reason = $2 WHERE space_id = $3 \
               AND starts_at >= $4 AND starts_at < $5 AND status IN ('held', 'pending', 'confirmed') \
               RETURNING id, user_id, starts_at";
    let cancelled: Vec<(String, String, Millis)> = tx_run!(&mut tx, c => sqlx::query_as(sql).bind(now_millis())
        .bind(reason).bind(space_id).bind(from).bind(to).fetch_all(c).await)?;
    let sql = "DELETE FROM booking_slots WHERE space_id = $1 AND slot_start >= $2 AND slot_start < $3";
    tx_run!(&mut tx, c => sqlx::query(sql).bind(space_id).bind(from).bind(to).execute(c).await.map(|_| ()))?;
    tx.commit().await?;
    Ok(cancelled)
}

#[derive(Clone, Debug, Serialize)]
pub struct Space {
    pub id: String,
    pub organization_id: Option<String>,
    pub name: String,
    pub kind: String,
    pub adm_cd2: String,
    pub address: String,
    pub lat: f64,
    pub lon: f64,
    pub capacity: i32,
    pub equipment: String,
    pub accessibility: String,
    pub description: String,
    pub fee_exempt: String,
    #[serde(skip)]
    pub rules: Rules,
    #[serde(skip)]
    pub hours: WeeklyHours,
    pub closed: Vec<NaiveDate>,
    /// Where its photos are served, the first uploaded first.
    pub photos: Vec<String>,
}

type SpaceRow = (String, Option<String>, String, String, String, String, f64, f64, i32, String, String, String, String);
type RuleRow = (i32, i32, i32, String, bool, i64, i32);

const SPACE_COLUMNS: &str = "id, organization_id, name, kind, adm_cd2, address, lat, lon, capacity, equipment, \
     accessibility, description, fee_exempt";
const RULE_COLUMNS: &str =
    "slot_minutes, max_booking_minutes, max_week_minutes, who_may_book, needs_approval, fee_krw_per_hour, cancel_hours";

pub async fn get(db: &Db, municipality: &str, id: &str) -> Result<Option<Space>, sqlx::Error> {
    let sql = format!("SELECT {SPACE_COLUMNS} FROM spaces WHERE id = $1 AND municipality_code = $2 AND active = TRUE");
    let row: Option<SpaceRow> =
        db_run!(db, p => sqlx::query_as(&sql).bind(id).bind(municipality).fetch_optional(p).await)?;
    let Some(r) = row else { return Ok(None) };
    let sql = format!("SELECT {RULE_COLUMNS} FROM spaces WHERE id = $1");
    let k: RuleRow = db_run!(db, p => sqlx::query_as(&sql).bind(id).fetch_one(p).await)?;
    let rules = Rules {
        slot_minutes: k.0 as u16,
        max_booking_minutes: k.1 as u16,
        max_week_minutes: k.2 as u32,
        who_may_book: WhoMayBook::parse(&k.3).unwrap_or(WhoMayBook::Residents),
        needs_approval: k.4,
        fee_krw_per_hour: k.5,
        cancel_hours: k.6 as u32,
    };
    let spans: Vec<(i32, i32, i32)> = db_run!(db, p => sqlx::query_as(
        "SELECT weekday, opens, closes FROM space_hours WHERE space_id = $1").bind(id).fetch_all(p).await)?;
    let mut days = [None; DAYS];
    for (day, opens, closes) in spans {
        days[day as usize % DAYS] = Span::new(opens as u16, closes as u16).ok();
    }
    let closed: Vec<NaiveDate> = db_run!(db, p => sqlx::query_scalar(
        "SELECT day FROM space_closed_days WHERE space_id = $1 ORDER BY day").bind(id).fetch_all(p).await)?;
    let photos: Vec<String> = db_run!(db, p => sqlx::query_scalar(
        "SELECT id FROM space_photos WHERE space_id = $1 ORDER BY created_at, id").bind(id).fetch_all(p).await)?;
    Ok(Some(Space {
        id: r.0,
        organization_id: r.1,
        name: r.2,
        kind: r.3,
        adm_cd2: r.4,
        address: r.5,
        lat: r.6,
        lon: r.7,
        capacity: r.8,
        equipment: r.9,
        accessibility: r.10,
        description: r.11,
        fee_exempt: r.12,
        rules,
        hours: WeeklyHours(days),
        closed,
        photos: photos.into_iter().map(|p| format!("{PHOTO_PATH}{p}")).collect(),
    }))
}

/// Every active space of the municipality, by name.
pub async fn all(db: &Db, municipality: &str) -> Result<Vec<Space>, sqlx::Error> {
    let sql = "SELECT id FROM spaces WHERE municipality_code = $1 AND active = TRUE ORDER BY name, id";
    let ids: Vec<String> = db_run!(db, p => sqlx::query_scalar(sql).bind(municipality).fetch_all(p).await)?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(space) = get(db, municipality, &id).await? {
            out.push(space);
        }
    }
    Ok(out)
}

/// Where a space's photo is served: this, then the photo's id.
pub const PHOTO_PATH: &str = "/spaces/photos/";

pub async fn add_photo(db: &Db, space_id: &str, content_type: &str, bytes: &[u8]) -> Result<String, sqlx::Error> {
    let id = new_id();
    let sql = "INSERT INTO space_photos (id, space_id, content_type, bytes, created_at) VALUES ($1, $2, $3, $4, $5)";
    db_run!(db, p => sqlx::query(sql).bind(&id).bind(space_id).bind(content_type).bind(bytes).bind(now_millis())
        .execute(p).await.map(|_| ()))?;
    Ok(id)
}

pub async fn delete_photo(db: &Db, space_id: &str, photo_id: &str) -> Result<bool, sqlx::Error> {
    let sql = "DELETE FROM space_photos WHERE id = $1 AND space_id = $2";
    db_run!(db, p => sqlx::query(sql).bind(photo_id).bind(space_id).execute(p).await.map(|r| r.rows_affected() > 0))
}

/// A photo's type and bytes, when it shows an active space of the municipality.
pub async fn photo(db: &Db, municipality: &str, id: &str) -> Result<Option<(String, Vec<u8>)>, sqlx::Error> {
    let sql = "SELECT p.content_type, p.bytes FROM space_photos p JOIN spaces s ON s.id = p.space_id \
               WHERE p.id = $1 AND s.municipality_code = $2 AND s.active = TRUE";
    db_run!(db, p => sqlx::query_as(sql).bind(id).bind(municipality).fetch_optional(p).await)
}
