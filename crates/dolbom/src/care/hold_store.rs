//! The hours an application holds, one row per day and clock hour: the child's (no two applications for one child
//! overlap), a facility's seat's, a caregiver's. Primary keys refuse a second holder, so two accepts at once can
//! never overbook, on SQLite and PostgreSQL alike; nothing here checks first and inserts after.

use chrono::{Duration, NaiveDate};

use crate::db::{Tx, is_unique_violation};
use crate::tx_run;

/// The clock hours a span of minutes touches: 18:30–20:00 holds the 18 and 19 o'clock hours.
pub fn clock_hours(start: i32, end: i32) -> std::ops::Range<i32> {
    let first = start.clamp(0, 1439) / 60;
    first..(end.clamp(1, 1440) + 59).div_euclid(60).max(first + 1)
}

/// The days and clock hours of care on `days` days from `first_day`.
pub fn slots(first_day: NaiveDate, days: i32, start: i32, end: i32) -> Vec<(NaiveDate, i32)> {
    (0..days.max(1))
        .flat_map(|d| clock_hours(start, end).map(move |h| (first_day + Duration::days(i64::from(d)), h)))
        .collect()
}

#[derive(Debug, thiserror::Error)]
pub enum HoldError {
    /// Someone else holds one of the hours (the child in another application, the caregiver elsewhere), or a
    /// facility has no seat left in one of them.
    #[error("taken")]
    Taken,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

fn taken_on_conflict(e: sqlx::Error) -> HoldError {
    if is_unique_violation(&e) { HoldError::Taken } else { HoldError::Db(e) }
}

pub async fn hold_child(
    tx: &mut Tx,
    child_id: &str,
    application_id: &str,
    slots: &[(NaiveDate, i32)],
) -> Result<(), HoldError> {
    let sql = "INSERT INTO care_child_hours (child_id, day, hour, application_id) VALUES ($1, $2, $3, $4)";
    for (day, hour) in slots {
        tx_run!(tx, c => sqlx::query(sql).bind(child_id).bind(day).bind(hour).bind(application_id)
            .execute(c).await.map(|_| ()))
        .map_err(taken_on_conflict)?;
    }
    Ok(())
}

/// Takes the lowest free seat of the facility in each hour.
pub async fn hold_seats(
    tx: &mut Tx,
    facility_id: &str,
    application_id: &str,
    slots: &[(NaiveDate, i32)],
) -> Result<(), HoldError> {
    let sql = "INSERT INTO care_seat_hours (facility_id, seat, day, hour, application_id) \
               SELECT s.facility_id, s.seat, $2, $3, $4 FROM care_seats s WHERE s.facility_id = $1 \
               AND NOT EXISTS (SELECT 1 FROM care_seat_hours h WHERE h.facility_id = s.facility_id \
               AND h.day = $2 AND h.hour = $3 AND h.seat = s.seat) ORDER BY s.seat LIMIT 1";
    for (day, hour) in slots {
        let inserted = tx_run!(tx, c => sqlx::query(sql).bind(facility_id).bind(day).bind(hour)
            .bind(application_id).execute(c).await.map(|r| r.rows_affected()))
        .map_err(taken_on_conflict)?;
        if inserted == 0 {
            return Err(HoldError::Taken);
        }
    }
    Ok(())
}

pub async fn hold_caregiver(
    tx: &mut Tx,
    caregiver_id: &str,
    application_id: &str,
    slots: &[(NaiveDate, i32)],
) -> Result<(), HoldError> {
    let sql = "INSERT INTO care_caregiver_hours (caregiver_id, day, hour, application_id) VALUES ($1, $2, $3, $4)";
    for (day, hour) in slots {
        tx_run!(tx, c => sqlx::query(sql).bind(caregiver_id).bind(day).bind(hour).bind(application_id)
            .execute(c).await.map(|_| ()))
        .map_err(taken_on_conflict)?;
    }
    Ok(())
}

/// Frees every hour the application holds (it ended without care).
pub async fn release_all(tx: &mut Tx, application_id: &str) -> Result<(), sqlx::Error> {
    for table in ["care_child_hours", "care_seat_hours", "care_caregiver_hours"] {
        let sql = format!("DELETE FROM {table} WHERE application_id = $1");
        tx_run!(tx, c => sqlx::query(&sql).bind(application_id).execute(c).await.map(|_| ()))?;
    }
    Ok(())
}

/// Sets a facility's number of emergency places. Seats with hours held cannot go (the foreign key refuses):
/// `Ok(false)` then, and nothing changes.
pub async fn set_places(db: &crate::db::Db, facility_id: &str, places: i32) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin().await?;
    // Past days' holds are history (the applications keep it); only holds from today on keep a seat.
    let past = "DELETE FROM care_seat_hours WHERE facility_id = $1 AND seat > $2 AND day < $3";
    let today = crate::db::time::seoul_today();
    tx_run!(&mut tx, c => sqlx::query(past).bind(facility_id).bind(places).bind(today).execute(c).await.map(|_| ()))?;
    let delete = "DELETE FROM care_seats WHERE facility_id = $1 AND seat > $2";
    let deleted =
        tx_run!(&mut tx, c => sqlx::query(delete).bind(facility_id).bind(places).execute(c).await.map(|_| ()));
    match deleted {
        Err(sqlx::Error::Database(e)) if e.is_foreign_key_violation() => return Ok(false),
        other => other?,
    }
    let insert = "INSERT INTO care_seats (facility_id, seat) VALUES ($1, $2) ON CONFLICT DO NOTHING";
    for seat in 1..=places {
        tx_run!(&mut tx, c => sqlx::query(insert).bind(facility_id).bind(seat).execute(c).await.map(|_| ()))?;
    }
    tx.commit().await?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_touched() {
        assert_eq!(clock_hours(18 * 60 + 30, 20 * 60), 18..20);
        assert_eq!(clock_hours(0, 1440), 0..24);
        assert_eq!(clock_hours(600, 601), 10..11);
        let day = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        assert_eq!(slots(day, 2, 600, 720).len(), 4);
    }
}
