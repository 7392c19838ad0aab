//! SQL of spaces and bookings. A hold is one transaction: stale holds of the space given back, the person's week
//! counted, the booking written, then one row per slot — the primary key of `booking_slots` refuses a slot another
//! booking holds, so of any number of racing holds exactly one gets it. The form's one-time key makes a double submit
//! find the first booking instead of making a second.

use chrono::NaiveDateTime;

use serde::Serialize;

use super::fees::FeeError;
pub use super::hold::hold;
pub(crate) use super::hold::hold_for;
use super::rules::{Request, RuleError};
pub use super::space_store::{NewSpace, Space, all, close_day, create, get};
use crate::db::Db;
use crate::db::time::{Millis, now_millis, seoul_day_start, seoul_display};
use crate::notify::store as notify;
use crate::{db_run, tx_run};

/// How long a hold keeps its slots before it must be confirmed.
pub const HOLD_MILLIS: Millis = 10 * 60_000;

/// Seoul wall-clock time to UTC milliseconds (Korea keeps no daylight saving).
pub fn millis(at: NaiveDateTime) -> Millis {
    use chrono::Timelike;
    seoul_day_start(at.date()) + i64::from(at.time().num_seconds_from_midnight()) * 1000
}

#[derive(Clone, Debug)]
pub struct HoldRequest<'a> {
    pub request: Request,
    pub purpose: &'a str,
    pub attendees: i32,
    pub group_name: &'a str,
    pub exempt_reason: &'a str,
    /// The form's one-time key.
    pub request_key: &'a str,
}

#[derive(Debug, thiserror::Error)]
pub enum BookingError {
    #[error(transparent)]
    Rule(#[from] RuleError),
    /// Another booking holds one of the slots.
    #[error("taken")]
    Taken,
    #[error("more people than the space holds")]
    OverCapacity { capacity: i32 },
    /// The space's rules do not let this account book it.
    #[error("not for this account")]
    NotAllowed,
    /// The booking is not this person's (or manager's) to change, or not in the state the step starts from.
    #[error("not possible now")]
    OutOfOrder,
    #[error("too late to cancel")]
    TooLateToCancel { hours: u32 },
    #[error(transparent)]
    Fee(#[from] FeeError),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Booking {
    pub id: String,
    pub space_id: String,
    pub user_id: String,
    pub group_name: String,
    pub purpose: String,
    pub attendees: i32,
    pub starts_at: Millis,
    pub ends_at: Millis,
    pub status: String,
    pub hold_expires_at: Option<Millis>,
    pub fee_krw: i64,
    /// The exemption claimed (a code of `fees::Exemption`), for the manager to check; empty when none.
    pub exempt_reason: String,
    pub reject_reason: String,
}

const BOOKING_COLUMNS: &str = "id, space_id, user_id, group_name, purpose, attendees, starts_at, ends_at, status, \
     hold_expires_at, fee_krw, exempt_reason, reject_reason";

/// [`BOOKING_COLUMNS`] of the table aliased `b`, for queries that join it.
pub(super) fn booking_columns_of_b() -> String {
    BOOKING_COLUMNS.split(", ").map(|c| format!("b.{c}")).collect::<Vec<_>>().join(", ")
}

pub async fn booking(db: &Db, id: &str) -> Result<Option<Booking>, sqlx::Error> {
    let sql = format!("SELECT {BOOKING_COLUMNS} FROM bookings WHERE id = $1");
    db_run!(db, p => sqlx::query_as(&sql).bind(id).fetch_optional(p).await)
}

pub(super) async fn by_key(db: &Db, key: &str) -> Result<Option<Booking>, sqlx::Error> {
    let sql = format!("SELECT {BOOKING_COLUMNS} FROM bookings WHERE request_key = $1");
    db_run!(db, p => sqlx::query_as(&sql).bind(key).fetch_optional(p).await)
}

/// The booking a form's key already made: the answer to a second submit, when it is the same person's.
pub(super) fn made_by(first: Booking, user: &str) -> Result<Booking, BookingError> {
    if first.user_id == user { Ok(first) } else { Err(BookingError::OutOfOrder) }
}

/// Confirms the person's hold while it lasts: confirmed, or waiting for the manager's approval; the person is told
/// which in the same transaction.
pub async fn confirm(db: &Db, id: &str, user: &str, now: Millis) -> Result<Booking, BookingError> {
    let sql = format!(
        "UPDATE bookings SET status = CASE WHEN (SELECT s.needs_approval FROM spaces s WHERE s.id = bookings.space_id) \
         THEN 'pending' ELSE 'confirmed' END, hold_expires_at = NULL \
         WHERE id = $1 AND user_id = $2 AND status = 'held' AND hold_expires_at >= $3 \
         RETURNING {BOOKING_COLUMNS}, (SELECT s.name FROM spaces s WHERE s.id = bookings.space_id) AS space_name"
    );
    let mut tx = db.begin().await?;
    let done: Option<Named> =
        tx_run!(&mut tx, c => sqlx::query_as(&sql).bind(id).bind(user).bind(now).fetch_optional(c).await)?;
    let Named { booking, space_name } = done.ok_or(BookingError::OutOfOrder)?;
    let message = if booking.status == "pending" { "notify-booking-pending" } else { "notify-booking-confirmed" };
    let args = serde_json::json!({ "space": space_name, "at": seoul_display(booking.starts_at) });
    notify::send_in(&mut tx, std::slice::from_ref(&booking.user_id), message, &args, &format!("/bookings/{id}"))
        .await?;
    tx.commit().await?;
    Ok(booking)
}

/// Ends a booking and gives its slots back, in one transaction: `status` from `from`, by the rows `guard` allows.
async fn release(
    db: &Db,
    id: &str,
    to: &str,
    from: &[&str],
    guard: &str,
    who: Option<&str>,
    reason: &str,
) -> Result<(), BookingError> {
    let mut tx = db.begin().await?;
    let states = from.iter().map(|s| format!("'{s}'")).collect::<Vec<_>>().join(", ");
    let sql = format!(
        "UPDATE bookings SET status = $1, cancelled_at = $2, reject_reason = $3 WHERE id = $4 AND status IN ({states}) AND {guard}"
    );
    let n = tx_run!(&mut tx, c => sqlx::query(&sql).bind(to).bind(now_millis()).bind(reason).bind(id).bind(who)
        .execute(c).await.map(|r| r.rows_affected()))?;
    if n == 0 {
        return Err(BookingError::OutOfOrder);
    }
    tx_run!(&mut tx, c => sqlx::query("DELETE FROM booking_slots WHERE booking_id = $1").bind(id).execute(c).await.map(|_| ()))?;
    tx.commit().await?;
    Ok(())
}

/// The person cancels, until the space's cancel rule closes it (`cancel_hours` before the start).
pub async fn cancel(db: &Db, id: &str, user: &str, now: Millis) -> Result<(), BookingError> {
    let b = booking(db, id).await?.filter(|b| b.user_id == user).ok_or(BookingError::OutOfOrder)?;
    let hours: i32 = db_run!(db, p => sqlx::query_scalar("SELECT cancel_hours FROM spaces WHERE id = $1")
        .bind(&b.space_id).fetch_one(p).await)?;
    if b.status != "held" && now > b.starts_at - i64::from(hours) * 3_600_000 {
        return Err(BookingError::TooLateToCancel { hours: hours as u32 });
    }
    release(db, id, "cancelled", &["held", "pending", "confirmed"], "user_id = $5", Some(user), "").await
}

/// A manager of the space's organization (or an official: `None`) approves or rejects a booking waiting for it.
pub async fn decide(
    db: &Db,
    id: &str,
    manager_org: Option<&str>,
    by: &str,
    approve: bool,
    reason: &str,
) -> Result<(), BookingError> {
    let guard = "($5 IS NULL OR space_id IN (SELECT s.id FROM spaces s WHERE s.organization_id = $5))";
    if !approve {
        return release(db, id, "rejected", &["pending"], guard, manager_org, reason).await;
    }
    let sql = format!(
        "UPDATE bookings SET status = 'confirmed', decided_by = $1, decided_at = $2 WHERE id = $3 AND status = 'pending' AND {}",
        guard.replace("$5", "$4")
    );
    let n = db_run!(db, p => sqlx::query(&sql).bind(by).bind(now_millis()).bind(id).bind(manager_org)
        .execute(p).await.map(|r| r.rows_affected()))?;
    if n == 0 { Err(BookingError::OutOfOrder) } else { Ok(()) }
}

/// The slots taken at a space between two instants: (slot start, booking id).
pub async fn taken(
    db: &Db,
    space_id: &str,
    from: Millis,
    to: Millis,
    now: Millis,
) -> Result<Vec<(Millis, String)>, sqlx::Error> {
    let sql = "SELECT t.slot_start, t.booking_id FROM booking_slots t JOIN bookings b ON b.id = t.booking_id \
               WHERE t.space_id = $1 AND t.slot_start >= $2 AND t.slot_start < $3 \
               AND NOT (b.status = 'held' AND b.hold_expires_at < $4) ORDER BY t.slot_start";
    db_run!(db, p => sqlx::query_as(sql).bind(space_id).bind(from).bind(to).bind(now).fetch_all(p).await)
}

#[derive(sqlx::FromRow)]
struct Named {
    #[sqlx(flatten)]
    booking: Booking,
    space_name: String,
}

/// A person's bookings with their space's name, the latest first.
pub async fn of_user(db: &Db, user: &str) -> Result<Vec<(Booking, String)>, sqlx::Error> {
    let columns = booking_columns_of_b();
    let sql = format!(
        "SELECT {columns}, s.name AS space_name FROM bookings b JOIN spaces s ON s.id = b.space_id \
         WHERE b.user_id = $1 AND b.status <> 'expired' ORDER BY b.starts_at DESC LIMIT 100"
    );
    let rows: Vec<Named> = db_run!(db, p => sqlx::query_as(&sql).bind(user).fetch_all(p).await)?;
    Ok(rows.into_iter().map(|n| (n.booking, n.space_name)).collect())
}
