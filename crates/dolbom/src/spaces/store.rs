//! SQL of spaces and bookings. A hold is one transaction: stale holds of the space given back, the person's week
//! counted, the booking written, then one row per slot — the primary key of `booking_slots` refuses a slot another
//! booking holds, so of any number of racing holds exactly one gets it. The form's one-time key makes a double submit
//! find the first booking instead of making a second.

use chrono::NaiveDateTime;

use serde::Serialize;

use super::fees::{self, FeeError};
use super::rules::{self, Request, RuleError, WhoMayBook};
pub use super::space_store::{NewSpace, Space, all, close_day, create, get};
use crate::auth::Role;
use crate::db::time::{Millis, now_millis, seoul_day_start, seoul_display};
use crate::db::{Db, Tx, new_id};
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

pub async fn booking(db: &Db, id: &str) -> Result<Option<Booking>, sqlx::Error> {
    let sql = format!("SELECT {BOOKING_COLUMNS} FROM bookings WHERE id = $1");
    db_run!(db, p => sqlx::query_as(&sql).bind(id).fetch_optional(p).await)
}

async fn by_key(db: &Db, key: &str) -> Result<Option<Booking>, sqlx::Error> {
    let sql = format!("SELECT {BOOKING_COLUMNS} FROM bookings WHERE request_key = $1");
    db_run!(db, p => sqlx::query_as(&sql).bind(key).fetch_optional(p).await)
}

/// The booking a form's key already made: the answer to a second submit, when it is the same person's.
fn made_by(first: Booking, user: &str) -> Result<Booking, BookingError> {
    if first.user_id == user { Ok(first) } else { Err(BookingError::OutOfOrder) }
}

fn may_book(who: WhoMayBook, role: Role) -> bool {
    match who {
        WhoMayBook::Residents => role == Role::Resident,
        WhoMayBook::Groups => role == Role::GroupLeader,
        WhoMayBook::Everyone => true,
    }
}

fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
}

/// Whether a unique violation is a slot another booking holds (not the form's key used again).
fn refused_a_slot(e: &sqlx::Error) -> bool {
    let Some(d) = e.as_database_error() else { return false };
    d.constraint().is_some_and(|c| c.starts_with("booking_slots")) || d.message().contains("booking_slots.")
}

/// Gives back the slots of the space's holds not confirmed in time; how many holds it ended.
pub(crate) async fn expire_holds(tx: &mut Tx, space_id: &str, now: Millis) -> Result<u64, sqlx::Error> {
    let stale = "SELECT id FROM bookings WHERE space_id = $1 AND status = 'held' AND hold_expires_at < $2";
    let free = format!("DELETE FROM booking_slots WHERE booking_id IN ({stale})");
    tx_run!(tx, c => sqlx::query(&free).bind(space_id).bind(now).execute(c).await.map(|_| ()))?;
    let mark =
        "UPDATE bookings SET status = 'expired' WHERE space_id = $1 AND status = 'held' AND hold_expires_at < $2";
    tx_run!(tx, c => sqlx::query(mark).bind(space_id).bind(now).execute(c).await.map(|r| r.rows_affected()))
}

/// The minutes the party holds at the space in the week from `week_from`.
async fn held_in_week(
    db: &Db,
    space_id: &str,
    party: &str,
    week_from: Millis,
    now: Millis,
) -> Result<u32, sqlx::Error> {
    let sql = format!("SELECT CAST(({WEEK_OF_PARTY}) AS BIGINT)");
    let ms: i64 = db_run!(db, p => sqlx::query_scalar(&sql).bind(space_id).bind(party).bind(week_from)
        .bind(week_from + 7 * 86_400_000).bind(now).fetch_one(p).await)?;
    Ok((ms / 60_000) as u32)
}

/// Who the booking counts against in the weekly limit: the person, or a group leader's group (its organization).
/// On PostgreSQL the party's row is locked first, so two holds of one party racing past the weekly limit take
/// turns and the second counts the week after the first commits; SQLite's transactions already take turns.
async fn party_of(tx: &mut Tx, user: &str, role: Role) -> Result<String, sqlx::Error> {
    let group = match tx {
        Tx::Postgres(t) => {
            let sql = "SELECT organization_id FROM users WHERE id = $1 FOR UPDATE";
            let org: Option<String> = sqlx::query_scalar(sql).bind(user).fetch_one(&mut **t).await?;
            let group = org.filter(|_| role == Role::GroupLeader);
            if let Some(org) = &group {
                sqlx::query("SELECT id FROM organizations WHERE id = $1 FOR UPDATE")
                    .bind(org)
                    .execute(&mut **t)
                    .await?;
            }
            group
        }
        Tx::Sqlite(t) if role == Role::GroupLeader => {
            let sql = "SELECT organization_id FROM users WHERE id = $1";
            sqlx::query_scalar::<_, Option<String>>(sql).bind(user).fetch_one(&mut **t).await?
        }
        Tx::Sqlite(..) => None,
    };
    Ok(group.map_or_else(|| user.to_string(), |org| format!("group:{org}")))
}

/// Holds the slots of a request for `user` at `now` (Seoul wall-clock `now_local`), for [`HOLD_MILLIS`].
pub async fn hold(
    db: &Db,
    municipality: &str,
    space: &Space,
    user: &str,
    role: Role,
    h: &HoldRequest<'_>,
    now_local: NaiveDateTime,
) -> Result<Booking, BookingError> {
    hold_for(db, municipality, space, user, role, h, now_local, HOLD_MILLIS).await
}

/// [`hold`] kept for `keep` (an offer from the waiting list is kept longer than a form's hold). When a slot is
/// held by a hold that has run out, the space's stale holds are let go and the request tried once more.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn hold_for(
    db: &Db,
    municipality: &str,
    space: &Space,
    user: &str,
    role: Role,
    h: &HoldRequest<'_>,
    now_local: NaiveDateTime,
    keep: Millis,
) -> Result<Booking, BookingError> {
    if !may_book(space.rules.who_may_book, role) {
        return Err(BookingError::NotAllowed);
    }
    if h.attendees > space.capacity {
        return Err(BookingError::OverCapacity { capacity: space.capacity });
    }
    let slots = rules::check(&space.rules, &space.hours, &space.closed, &h.request, now_local, 0)?;
    let granted = fees::parse_list(&space.fee_exempt);
    let (fee, exemption) =
        fees::charge(space.rules.fee_krw_per_hour, &granted, h.exempt_reason, role, h.request.minutes())?;
    let mut booking = new_booking(municipality, space, user, h, millis(now_local), keep);
    booking.booking.fee_krw = fee;
    booking.booking.exempt_reason = exemption.map_or("", fees::Exemption::code).to_string();
    match write_hold(db, &booking, role, h, &slots, &space.rules).await {
        Err(BookingError::Taken) => {
            let mut tx = db.begin().await?;
            let freed = expire_holds(&mut tx, &space.id, booking.created_at).await?;
            tx.commit().await?;
            if freed == 0 {
                return Err(BookingError::Taken);
            }
            write_hold(db, &booking, role, h, &slots, &space.rules).await
        }
        other => other,
    }
    .and_then(|b| made_by(b, user))
}

struct NewBooking<'a> {
    booking: Booking,
    municipality: &'a str,
    created_at: Millis,
}

impl std::ops::Deref for NewBooking<'_> {
    type Target = Booking;
    fn deref(&self) -> &Booking {
        &self.booking
    }
}

fn new_booking<'a>(
    municipality: &'a str,
    space: &Space,
    user: &str,
    h: &HoldRequest<'_>,
    now: Millis,
    keep: Millis,
) -> NewBooking<'a> {
    NewBooking {
        booking: Booking {
            id: new_id(),
            space_id: space.id.clone(),
            user_id: user.to_string(),
            group_name: h.group_name.trim().to_string(),
            purpose: h.purpose.trim().to_string(),
            attendees: h.attendees,
            starts_at: millis(h.request.at(h.request.start)),
            ends_at: millis(h.request.at(h.request.end)),
            status: "held".to_string(),
            hold_expires_at: Some(now + keep),
            fee_krw: 0,
            exempt_reason: String::new(),
            reject_reason: String::new(),
        },
        municipality,
        created_at: now,
    }
}

/// The bookings of a party at a space in a week that count against its weekly limit (held while the hold lasts).
const WEEK_OF_PARTY: &str = "SELECT COALESCE(SUM(ends_at - starts_at), 0) FROM bookings WHERE space_id = $1 \
     AND party = $2 AND starts_at >= $3 AND starts_at < $4 \
     AND (status IN ('pending', 'confirmed') OR (status = 'held' AND hold_expires_at >= $5))";

/// One transaction: the booking, written only while the party's week has room for it (its form key refuses a
/// second submit), then its slots in one statement (whose primary key refuses a slot another booking holds). The
/// booking the form made, when it was made already.
async fn write_hold(
    db: &Db,
    b: &NewBooking<'_>,
    role: Role,
    h: &HoldRequest<'_>,
    slots: &[NaiveDateTime],
    rules: &rules::Rules,
) -> Result<Booking, BookingError> {
    let mut tx = db.begin().await?;
    let party = party_of(&mut tx, &b.user_id, role).await?;
    let week_from = seoul_day_start(rules::week_start(h.request.day));
    let sql = format!(
        "INSERT INTO bookings (space_id, party, id, municipality_code, user_id, group_name, purpose, attendees, \
         starts_at, ends_at, status, hold_expires_at, fee_krw, exempt_reason, request_key, created_at) \
         SELECT $1, $2, $6, $7, $8, $9, $10, $11, $12, $13, 'held', $14, $15, $16, $17, $18 \
         WHERE ({WEEK_OF_PARTY}) + $13 - $12 <= $19"
    );
    let limit = i64::from(rules.max_week_minutes) * 60_000;
    // On SQLite the slots ride in the same round trip (its statements share the `$N` numbering and `changes()`
    // says whether the booking went in); a round trip to SQLite's thread costs more than the statements.
    let one_trip = matches!(tx, Tx::Sqlite(_));
    let sql = if one_trip {
        let values = (0..slots.len()).map(|i| format!("(${})", i + 20)).collect::<Vec<_>>().join(", ");
        format!(
            "{sql}; INSERT INTO booking_slots (space_id, booking_id, slot_start) \
             SELECT $1, $6, column1 FROM (VALUES {values}) WHERE changes() = 1"
        )
    } else {
        sql
    };
    let inserted = tx_run!(&mut tx, c => {
        let mut q = sqlx::query(&sql).bind(&b.space_id).bind(&party).bind(week_from)
            .bind(week_from + 7 * 86_400_000).bind(b.created_at).bind(&b.id).bind(b.municipality).bind(&b.user_id)
            .bind(&b.group_name).bind(&b.purpose).bind(b.attendees).bind(b.starts_at).bind(b.ends_at)
            .bind(b.hold_expires_at).bind(b.fee_krw).bind(&b.exempt_reason).bind(h.request_key).bind(b.created_at)
            .bind(limit);
        if one_trip {
            for slot in slots {
                q = q.bind(millis(*slot));
            }
        }
        q.execute(c).await.map(|r| r.rows_affected())
    });
    let over_week = match inserted {
        Ok(n) => n == 0,
        Err(e) if is_unique_violation(&e) && refused_a_slot(&e) => return Err(BookingError::Taken),
        Err(e) if is_unique_violation(&e) => true,
        Err(e) => return Err(e.into()),
    };
    if over_week {
        drop(tx);
        // The same form submitted again finds the booking its first submit made; else the week is full.
        if let Some(first) = by_key(db, h.request_key).await? {
            return Ok(first);
        }
        let held = held_in_week(db, &b.space_id, &party, week_from, b.created_at).await?;
        rules::within_week(rules, held, h.request.minutes())?;
        return Err(BookingError::OutOfOrder);
    }
    if !one_trip {
        let values = (0..slots.len()).map(|i| format!("($1, $2, ${})", i + 3)).collect::<Vec<_>>().join(", ");
        let sql = format!("INSERT INTO booking_slots (space_id, booking_id, slot_start) VALUES {values}");
        let taken = tx_run!(&mut tx, c => {
            let mut q = sqlx::query(&sql).bind(&b.space_id).bind(&b.id);
            for slot in slots {
                q = q.bind(millis(*slot));
            }
            q.execute(c).await.map(|_| ())
        });
        match taken {
            Ok(()) => {}
            Err(e) if is_unique_violation(&e) => return Err(BookingError::Taken),
            Err(e) => return Err(e.into()),
        }
    }
    tx.commit().await?;
    Ok(b.booking.clone())
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
    let columns = BOOKING_COLUMNS.split(", ").map(|c| format!("b.{c}")).collect::<Vec<_>>().join(", ");
    let sql = format!(
        "SELECT {columns}, s.name AS space_name FROM bookings b JOIN spaces s ON s.id = b.space_id \
         WHERE b.user_id = $1 AND b.status <> 'expired' ORDER BY b.starts_at DESC LIMIT 100"
    );
    let rows: Vec<Named> = db_run!(db, p => sqlx::query_as(&sql).bind(user).fetch_all(p).await)?;
    Ok(rows.into_iter().map(|n| (n.booking, n.space_name)).collect())
}
