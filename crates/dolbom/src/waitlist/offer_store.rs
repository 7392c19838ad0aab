//! SQL of waitlist offers: a numbered seat of a centre offered to one child until it expires; accepted, it is the
//! child's place until the centre enrols them. The database holds each seat once and each child's place once
//! (partial unique indexes), so a race between two processes loses a seat to neither child nor gives it twice.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use super::store::WaitlistError;
use crate::db::time::{Millis, now_millis, seoul_today};
use crate::db::{Db, Tx, is_unique_violation, new_id};
use crate::places::classes;
use crate::places::store as places;
use crate::{db_run, tx_run};

/// A centre's seats the waitlist may still give: its free places (capacity − enrolled) less the seats held by
/// open and accepted offers.
pub async fn free_seats(tx: &mut Tx, facility: &str) -> Result<i64, sqlx::Error> {
    Ok((vacancies(tx, facility).await? - held_seats(tx, facility).await?.len() as i64).max(0))
}

async fn vacancies(tx: &mut Tx, facility: &str) -> Result<i64, sqlx::Error> {
    let sql = "SELECT CAST(COALESCE(capacity - enrolled, 0) AS BIGINT) FROM facilities WHERE id = $1";
    let free: Option<i64> = tx_run!(tx, c => sqlx::query_scalar::<_, i64>(sql).bind(facility).fetch_optional(c).await)?;
    Ok(free.unwrap_or(0).max(0))
}

async fn held_seats(tx: &mut Tx, facility: &str) -> Result<Vec<i64>, sqlx::Error> {
    let sql = "SELECT CAST(seat AS BIGINT) FROM waitlist_offers WHERE facility_id = $1 \
               AND status IN ('open', 'accepted') ORDER BY seat";
    tx_run!(tx, c => sqlx::query_scalar(sql).bind(facility).fetch_all(c).await)
}

/// Offers the lowest free seat of `facility` to an application, or `None` when the centre has none. Two
/// transactions that saw the same seats pick the same number, and the database refuses the second.
pub async fn offer(
    tx: &mut Tx,
    application_id: &str,
    facility: &str,
    round_id: Option<&str>,
    expires_at: Millis,
) -> Result<Option<String>, WaitlistError> {
    let held = held_seats(tx, facility).await?;
    if vacancies(tx, facility).await? <= held.len() as i64 {
        return Ok(None);
    }
    let seat = (1..).find(|s| !held.contains(s)).unwrap_or(1);
    let id = new_id();
    let sql = "INSERT INTO waitlist_offers (id, application_id, facility_id, seat, round_id, status, offered_at, \
               expires_at) VALUES ($1, $2, $3, $4, $5, 'open', $6, $7)";
    let inserted = tx_run!(tx, c => sqlx::query(sql).bind(&id).bind(application_id).bind(facility).bind(seat as i32)
        .bind(round_id).bind(now_millis()).bind(expires_at).execute(c).await.map(|_| ()));
    match inserted {
        Err(e) if is_unique_violation(&e) => Err(WaitlistError::SeatTaken),
        Err(e) => Err(e.into()),
        Ok(()) => Ok(Some(id)),
    }
}

/// An offer as its guardian and the centre see it.
#[derive(Clone, Debug, Serialize)]
pub struct Offer {
    pub id: String,
    pub application_id: String,
    pub facility_id: String,
    pub status: String,
    pub offered_at: Millis,
    pub expires_at: Millis,
    pub from_round: bool,
}

const OFFER_COLUMNS: &str =
    "o.id, o.application_id, o.facility_id, o.status, o.offered_at, o.expires_at, o.round_id IS NOT NULL";
type OfferRow = (String, String, String, String, Millis, Millis, bool);

fn offer_of(r: OfferRow) -> Offer {
    Offer {
        id: r.0,
        application_id: r.1,
        facility_id: r.2,
        status: r.3,
        offered_at: r.4,
        expires_at: r.5,
        from_round: r.6,
    }
}

/// A guardian's offers, newest first.
pub async fn of_guardian(db: &Db, municipality: &str, guardian_id: &str) -> Result<Vec<Offer>, sqlx::Error> {
    let sql = format!(
        "SELECT {OFFER_COLUMNS} FROM waitlist_offers o JOIN waitlist_applications a ON a.id = o.application_id \
         WHERE a.municipality_code = $1 AND a.guardian_id = $2 ORDER BY o.offered_at DESC, o.id"
    );
    let rows: Vec<OfferRow> =
        db_run!(db, p => sqlx::query_as(&sql).bind(municipality).bind(guardian_id).fetch_all(p).await)?;
    Ok(rows.into_iter().map(offer_of).collect())
}

/// The guardian's answer to their own open offer, before it expires. `Ok(None)`: not theirs, answered, or past
/// its time. Accepted, the application leaves the list as placed; declined, the child keeps waiting for the other
/// centres and the seat is free again (the caller offers it on). Returns the offer's centre.
pub async fn answer(
    db: &Db,
    municipality: &str,
    guardian_id: &str,
    offer_id: &str,
    accept: bool,
) -> Result<Option<String>, WaitlistError> {
    let now = now_millis();
    let status = if accept { "accepted" } else { "declined" };
    let mut tx = db.begin().await?;
    let sql = "UPDATE waitlist_offers SET status = $1, answered_at = $2 WHERE id = $3 AND status = 'open' \
               AND expires_at > $2 AND application_id IN (SELECT id FROM waitlist_applications \
               WHERE municipality_code = $4 AND guardian_id = $5 AND status = 'waiting') \
               RETURNING application_id, facility_id";
    let row: Option<(String, String)> = tx_run!(&mut tx, c => sqlx::query_as(sql).bind(status).bind(now)
        .bind(offer_id).bind(municipality).bind(guardian_id).fetch_optional(c).await)?;
    let Some((application, facility)) = row else { return Ok(None) };
    if accept {
        let sql = "UPDATE waitlist_applications SET status = 'placed', left_at = $1, updated_at = $1 WHERE id = $2";
        tx_run!(&mut tx, c => sqlx::query(sql).bind(now).bind(&application).execute(c).await.map(|_| ()))?;
    }
    tx.commit().await?;
    Ok(Some(facility))
}

/// Open offers past their time become expired; returns the centres whose seats were freed, once per seat.
pub async fn expire_overdue(db: &Db, now: Millis) -> Result<Vec<String>, sqlx::Error> {
    let sql = "UPDATE waitlist_offers SET status = 'expired', answered_at = $1 WHERE status = 'open' \
               AND expires_at <= $1 RETURNING facility_id";
    db_run!(db, p => sqlx::query_scalar(sql).bind(now).fetch_all(p).await)
}

/// Voids the open or accepted offer of an application leaving the list; returns the freed centre.
pub async fn void_of(tx: &mut Tx, application_id: &str) -> Result<Option<String>, sqlx::Error> {
    let sql = "UPDATE waitlist_offers SET status = 'void', answered_at = $1 WHERE application_id = $2 \
               AND status IN ('open', 'accepted') RETURNING facility_id";
    tx_run!(tx, c => sqlx::query_scalar(sql).bind(now_millis()).bind(application_id).fetch_optional(c).await)
}

/// A place accepted and waiting for the centre to enrol the child: (offer, child's name, accepted at).
pub async fn accepted_at(db: &Db, facility_id: &str) -> Result<Vec<(String, String, Millis)>, sqlx::Error> {
    let sql = "SELECT o.id, c.name, o.answered_at FROM waitlist_offers o JOIN waitlist_applications a \
               ON a.id = o.application_id JOIN children c ON c.id = a.child_id WHERE o.facility_id = $1 \
               AND o.status = 'accepted' ORDER BY o.answered_at, o.id";
    db_run!(db, p => sqlx::query_as(sql).bind(facility_id).fetch_all(p).await)
}

/// The centre enrols an accepted child: the offer is done, the centre's enrolled count grows by one and its class
/// for the child's age has one place fewer, together (the seat moves from the waitlist's hold to the centre's own
/// count). `false` when the offer is not an accepted
/// one of this centre, or the centre is already full.
pub async fn enrol(db: &Db, municipality: &str, facility_id: &str, offer_id: &str) -> Result<bool, sqlx::Error> {
    let now = now_millis();
    let mut tx = db.begin().await?;
    let sql = "UPDATE waitlist_offers SET status = 'enrolled' WHERE id = $1 AND facility_id = $2 \
               AND status = 'accepted'";
    let done = tx_run!(&mut tx, c => sqlx::query(sql).bind(offer_id).bind(facility_id).execute(c).await
        .map(|r| r.rows_affected()))?;
    if done == 0 || !places::enrol_one(&mut tx, municipality, facility_id, now).await? {
        return Ok(false);
    }
    let sql = "SELECT k.birth_date FROM waitlist_offers o JOIN waitlist_applications a ON a.id = o.application_id \
               JOIN children k ON k.id = a.child_id WHERE o.id = $1";
    let birth: NaiveDate = tx_run!(&mut tx, c => sqlx::query_scalar(sql).bind(offer_id).fetch_one(c).await)?;
    if let Some(band) = classes::band_of(birth.year(), classes::care_year(seoul_today())) {
        classes::take_place(&mut tx, facility_id, band).await?;
    }
    tx.commit().await?;
    Ok(true)
}
