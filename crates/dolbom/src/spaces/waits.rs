//! The waiting list of a taken span. Joining needs the span taken now (otherwise it can simply be booked); when
//! slots come free (a cancellation, a rejection, a hold let go), the first waiting whose whole span is free gets a
//! hold offered to them, kept a day (or until the start), and is told.

use chrono::NaiveDateTime;
use serde::Serialize;

use super::rules::Request;
use super::store::{self, BookingError, HoldRequest, Space};
use crate::auth::Role;
use crate::db::time::{Millis, seoul_display};
use crate::db::{Db, new_id};
use crate::{db_run, notify};

/// How long an offer from the waiting list is kept for its person to confirm.
pub const OFFER_MILLIS: Millis = 24 * 3_600_000;

#[derive(Debug, thiserror::Error)]
pub enum WaitError {
    /// The span is free: book it instead.
    #[error("not taken")]
    NotTaken,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// Joins the waiting list of a taken span (once per person and span); returns the entry's id.
pub async fn join(
    db: &Db,
    space: &Space,
    user: &str,
    request: &Request,
    purpose: &str,
    attendees: i32,
    now: Millis,
) -> Result<String, WaitError> {
    let (starts, ends) = (store::millis(request.at(request.start)), store::millis(request.at(request.end)));
    if store::taken(db, &space.id, starts, ends, now).await?.is_empty() {
        return Err(WaitError::NotTaken);
    }
    let sql = "INSERT INTO space_waits (id, space_id, user_id, starts_at, ends_at, purpose, attendees, status, created_at) \
               VALUES ($1, $2, $3, $4, $5, $6, $7, 'waiting', $8) ON CONFLICT (space_id, user_id, starts_at, ends_at) DO NOTHING";
    db_run!(db, p => sqlx::query(sql).bind(new_id()).bind(&space.id).bind(user).bind(starts).bind(ends).bind(purpose.trim())
        .bind(attendees).bind(now).execute(p).await.map(|_| ()))?;
    let sql = "SELECT id FROM space_waits WHERE space_id = $1 AND user_id = $2 AND starts_at = $3 AND ends_at = $4";
    Ok(db_run!(db, p => sqlx::query_scalar(sql).bind(&space.id).bind(user).bind(starts).bind(ends).fetch_one(p).await)?)
}

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Wait {
    pub id: String,
    pub space_id: String,
    pub space_name: String,
    pub starts_at: Millis,
    pub ends_at: Millis,
    pub status: String,
    pub booking_id: Option<String>,
}

pub async fn of_user(db: &Db, user: &str) -> Result<Vec<Wait>, sqlx::Error> {
    let sql = "SELECT w.id, w.space_id, s.name AS space_name, w.starts_at, w.ends_at, w.status, w.booking_id \
               FROM space_waits w JOIN spaces s ON s.id = w.space_id WHERE w.user_id = $1 AND w.status <> 'left' \
               ORDER BY w.starts_at";
    db_run!(db, p => sqlx::query_as(sql).bind(user).fetch_all(p).await)
}

type WaitRow = (String, String, Millis, Millis, String, i32, String);

/// Offers freed spans of the space to the waiting, first come first served; returns how many were offered.
pub async fn offer_freed(
    db: &Db,
    municipality: &str,
    space_id: &str,
    now_local: NaiveDateTime,
) -> Result<usize, sqlx::Error> {
    let Some(space) = store::get(db, municipality, space_id).await? else { return Ok(0) };
    let now = store::millis(now_local);
    let sql = "SELECT w.id, w.user_id, w.starts_at, w.ends_at, w.purpose, w.attendees, u.role FROM space_waits w \
               JOIN users u ON u.id = w.user_id WHERE w.space_id = $1 AND w.status = 'waiting' AND w.starts_at > $2 \
               ORDER BY w.created_at, w.id";
    let waiting: Vec<WaitRow> = db_run!(db, p => sqlx::query_as(sql).bind(space_id).bind(now).fetch_all(p).await)?;
    let mut offered = 0;
    for (id, user, starts, ends, purpose, attendees, role) in waiting {
        let (from, to) = (crate::db::time::seoul_local(starts), crate::db::time::seoul_local(ends));
        let request = Request { day: from.date(), start: minute(from), end: minute(to) };
        let key = format!("wait:{id}");
        let h =
            HoldRequest { request, purpose: &purpose, attendees, group_name: "", exempt_reason: "", request_key: &key };
        let role: Role = role.parse().unwrap_or(Role::Resident);
        let keep = OFFER_MILLIS.min((starts - now).max(0));
        match store::hold_for(db, municipality, &space, &user, role, &h, now_local, keep).await {
            Ok(booking) => {
                let sql =
                    "UPDATE space_waits SET status = 'offered', booking_id = $1 WHERE id = $2 AND status = 'waiting'";
                db_run!(db, p => sqlx::query(sql).bind(&booking.id).bind(&id).execute(p).await.map(|_| ()))?;
                let args = serde_json::json!({ "space": space.name, "at": seoul_display(starts) });
                notify::send(db, std::slice::from_ref(&user), "notify-space-offered", &args, "/bookings").await?;
                offered += 1;
            }
            Err(BookingError::Taken) => {}
            Err(BookingError::Db(e)) => return Err(e),
            // The rules no longer let them have it (their week is full, the day closed): they leave the list.
            Err(_) => {
                let sql = "UPDATE space_waits SET status = 'left' WHERE id = $1";
                db_run!(db, p => sqlx::query(sql).bind(&id).execute(p).await.map(|_| ()))?;
            }
        }
    }
    Ok(offered)
}

fn minute(at: NaiveDateTime) -> u16 {
    use chrono::Timelike;
    (at.hour() * 60 + at.minute()) as u16
}

/// Gives back expired holds and offers freed spans, at every space someone waits for (the minute tick).
pub async fn tick(db: &Db, municipality: &str, now_local: NaiveDateTime) -> Result<usize, sqlx::Error> {
    let sql = "SELECT DISTINCT w.space_id FROM space_waits w JOIN spaces s ON s.id = w.space_id \
               WHERE s.municipality_code = $1 AND w.status = 'waiting'";
    let spaces: Vec<String> = db_run!(db, p => sqlx::query_scalar(sql).bind(municipality).fetch_all(p).await)?;
    let mut offered = 0;
    for space in spaces {
        offered += offer_freed(db, municipality, &space, now_local).await?;
    }
    Ok(offered)
}
