//! Holding a span: who may book, the party whose week it counts against, the booking written only while that
//! week has room, and its slots under the (space, slot) key — one transaction, and on SQLite one round trip. A
//! slot still held by a hold that ran out lets the space's stale holds go and the request is tried once more.

use chrono::NaiveDateTime;

use super::fees;
use super::rules::{self, WhoMayBook};
use super::store::{Booking, BookingError, HOLD_MILLIS, HoldRequest, Space, by_key, made_by, millis};
use crate::auth::Role;
use crate::db::time::{Millis, seoul_day_start};
use crate::db::{Db, Tx, new_id};
use crate::{db_run, tx_run};

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
