//! SQL of the managers' side: the spaces an organization manages (officials: all), bookings waiting for approval,
//! a day's bookings, no-shows, and usage figures (occupancy of the open hours, no-shows) per space.

use chrono::{Days, NaiveDate};
use serde::Serialize;

use super::store::{self, Booking, BookingError, Space};
use crate::db::Db;
use crate::db::time::{Millis, now_millis, seoul_day_start};
use crate::db_run;

/// The spaces `org` manages; every space of the municipality for `None` (officials).
pub async fn managed(db: &Db, municipality: &str, org: Option<&str>) -> Result<Vec<Space>, sqlx::Error> {
    Ok(store::all(db, municipality)
        .await?
        .into_iter()
        .filter(|s| org.is_none() || s.organization_id.as_deref() == org)
        .collect())
}

#[derive(sqlx::FromRow)]
struct Named {
    #[sqlx(flatten)]
    booking: Booking,
    space_name: String,
    user_name: String,
}

/// Bookings of the spaces, by status and time window, with the space's and the person's names.
async fn bookings(
    db: &Db,
    spaces: &[Space],
    statuses: &[&str],
    from: Millis,
    to: Millis,
) -> Result<Vec<(Booking, String, String)>, sqlx::Error> {
    let columns = store::booking_columns_of_b();
    let states = statuses.iter().map(|s| format!("'{s}'")).collect::<Vec<_>>().join(", ");
    let sql = format!(
        "SELECT {columns}, s.name AS space_name, u.display_name AS user_name FROM bookings b \
         JOIN spaces s ON s.id = b.space_id JOIN users u ON u.id = b.user_id \
         WHERE b.space_id = $1 AND b.status IN ({states}) AND b.starts_at >= $2 AND b.starts_at < $3 ORDER BY b.starts_at"
    );
    let mut out = Vec::new();
    for space in spaces {
        let rows: Vec<Named> =
            db_run!(db, p => sqlx::query_as(&sql).bind(&space.id).bind(from).bind(to).fetch_all(p).await)?;
        out.extend(rows.into_iter().map(|n| (n.booking, n.space_name, n.user_name)));
    }
    out.sort_by_key(|(b, _, _)| b.starts_at);
    Ok(out)
}

pub async fn waiting_approval(db: &Db, spaces: &[Space]) -> Result<Vec<(Booking, String, String)>, sqlx::Error> {
    bookings(db, spaces, &["pending"], now_millis(), i64::MAX).await
}

pub async fn on_day(db: &Db, spaces: &[Space], day: NaiveDate) -> Result<Vec<(Booking, String, String)>, sqlx::Error> {
    let from = seoul_day_start(day);
    bookings(db, spaces, &["confirmed", "no_show", "pending"], from, from + 86_400_000).await
}

/// Marks a confirmed booking that has started as a no-show, for a manager of its space (officials: `None`).
pub async fn no_show(db: &Db, id: &str, org: Option<&str>, now: Millis) -> Result<(), BookingError> {
    let sql = "UPDATE bookings SET status = 'no_show' WHERE id = $1 AND status = 'confirmed' AND starts_at <= $2 \
               AND ($3 IS NULL OR space_id IN (SELECT s.id FROM spaces s WHERE s.organization_id = $3))";
    let n =
        db_run!(db, p => sqlx::query(sql).bind(id).bind(now).bind(org).execute(p).await.map(|r| r.rows_affected()))?;
    if n == 0 { Err(BookingError::OutOfOrder) } else { Ok(()) }
}

#[derive(Clone, Debug, Serialize)]
pub struct Usage {
    pub space_id: String,
    pub name: String,
    pub open_hours: f64,
    pub booked_hours: f64,
    /// Booked hours over open hours, 0–1.
    pub occupancy: f64,
    pub bookings: i64,
    pub no_shows: i64,
}

/// Usage of a space over the days `from` to `to` (exclusive): open hours from its hours and closed days, hours
/// booked (confirmed and no-shows), no-shows.
pub async fn usage(db: &Db, space: &Space, from: NaiveDate, to: NaiveDate) -> Result<Usage, sqlx::Error> {
    let mut open = 0u32;
    let mut day = from;
    while day < to {
        if !space.closed.contains(&day)
            && let Some(span) = space.hours.span_on(day.and_hms_opt(12, 0, 0).unwrap_or_default())
        {
            open += u32::from(span.closes - span.opens);
        }
        day = day + Days::new(1);
    }
    let sql = "SELECT CAST(COALESCE(SUM(ends_at - starts_at), 0) AS BIGINT), COUNT(*), \
               CAST(COALESCE(SUM(CASE WHEN status = 'no_show' THEN 1 ELSE 0 END), 0) AS BIGINT) FROM bookings \
               WHERE space_id = $1 AND status IN ('confirmed', 'no_show') AND starts_at >= $2 AND starts_at < $3";
    let (ms, count, no_shows): (i64, i64, i64) = db_run!(db, p => sqlx::query_as(sql).bind(&space.id)
        .bind(seoul_day_start(from)).bind(seoul_day_start(to)).fetch_one(p).await)?;
    let (open_hours, booked_hours) = (f64::from(open) / 60.0, ms as f64 / 3_600_000.0);
    Ok(Usage {
        space_id: space.id.clone(),
        name: space.name.clone(),
        open_hours,
        booked_hours,
        occupancy: if open_hours > 0.0 { booked_hours / open_hours } else { 0.0 },
        bookings: count,
        no_shows,
    })
}
