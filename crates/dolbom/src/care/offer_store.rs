//! SQL of offers: the matcher's choice is offered to one provider at a time; an accept holds the seats or the
//! caregiver's hours (refused by the database when none are left), a decline or a missed deadline sends the
//! application back to be matched with the next best.

use serde::Serialize;

use super::hold_store;
use super::model::Status;
use super::store::{Application, CareError, ProviderRef, add_event, move_status};
use crate::db::time::{Millis, now_millis};
use crate::db::{Db, Tx};
use crate::{db_run, tx_run};

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Offer {
    pub application_id: String,
    pub round: i32,
    pub facility_id: Option<String>,
    pub caregiver_id: Option<String>,
    pub distance_m: i32,
    pub offered_at: Millis,
    pub deadline: Millis,
    pub answer: Option<String>,
    pub answered_at: Option<Millis>,
    pub reason: String,
}

const COLUMNS: &str = "application_id, round, facility_id, caregiver_id, distance_m, offered_at, deadline, answer, \
    answered_at, reason";

/// Offers a waiting application to a provider until `deadline`, with the matcher's explanation (JSON).
pub async fn offer(
    db: &Db,
    id: &str,
    to: &ProviderRef,
    distance_m: i32,
    deadline: Millis,
    explanation: &str,
) -> Result<i32, CareError> {
    let mut tx = db.begin().await?;
    let round = offer_in(&mut tx, id, to, distance_m, deadline, explanation).await?;
    tx.commit().await?;
    Ok(round)
}

/// [`offer`] inside the caller's transaction, so what tells of it commits with it.
pub async fn offer_in(
    tx: &mut Tx,
    id: &str,
    to: &ProviderRef,
    distance_m: i32,
    deadline: Millis,
    explanation: &str,
) -> Result<i32, CareError> {
    let now = now_millis();
    let (facility, caregiver) = match to {
        ProviderRef::Facility(f) => (Some(f.as_str()), None),
        ProviderRef::Caregiver(c) => (None, Some(c.as_str())),
    };
    move_status(tx, id, &[Status::Submitted], Status::Matched).await?;
    let set = "UPDATE care_applications SET facility_id = $1, caregiver_id = $2, explanation = $3 WHERE id = $4";
    tx_run!(&mut *tx, c => sqlx::query(set).bind(facility).bind(caregiver).bind(explanation).bind(id)
        .execute(c).await.map(|_| ()))?;
    let round_sql = "SELECT COALESCE(MAX(round), 0) + 1 FROM care_offers WHERE application_id = $1";
    let round: i32 = tx_run!(&mut *tx, c => sqlx::query_scalar(round_sql).bind(id).fetch_one(c).await)?;
    let insert = "INSERT INTO care_offers (application_id, round, facility_id, caregiver_id, distance_m, offered_at, \
                  deadline) VALUES ($1, $2, $3, $4, $5, $6, $7)";
    tx_run!(&mut *tx, c => sqlx::query(insert).bind(id).bind(round).bind(facility).bind(caregiver).bind(distance_m)
        .bind(now).bind(deadline).execute(c).await.map(|_| ()))?;
    add_event(tx, id, Status::Matched.code(), None, "", now).await?;
    Ok(round)
}

/// No provider can take it: the application ends, the child's hours are free again. In the caller's transaction.
pub async fn no_match_in(tx: &mut Tx, id: &str, explanation: &str) -> Result<(), CareError> {
    move_status(tx, id, &[Status::Submitted], Status::NoMatch).await?;
    let set = "UPDATE care_applications SET facility_id = NULL, caregiver_id = NULL, explanation = $1 WHERE id = $2";
    tx_run!(&mut *tx, c => sqlx::query(set).bind(explanation).bind(id).execute(c).await.map(|_| ()))?;
    hold_store::release_all(tx, id).await?;
    add_event(tx, id, Status::NoMatch.code(), None, "", now_millis()).await?;
    Ok(())
}

pub async fn offers(db: &Db, id: &str) -> Result<Vec<Offer>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM care_offers WHERE application_id = $1 ORDER BY round");
    db_run!(db, p => sqlx::query_as(&sql).bind(id).fetch_all(p).await)
}

/// The providers that declined the application or let its deadline pass.
pub async fn refused_by(db: &Db, id: &str) -> Result<Vec<String>, sqlx::Error> {
    let sql = "SELECT COALESCE(facility_id, caregiver_id) FROM care_offers WHERE application_id = $1 \
               AND answer IN ('declined', 'expired')";
    db_run!(db, p => sqlx::query_scalar(sql).bind(id).fetch_all(p).await)
}

/// Marks the open offer answered; `WrongStatus` when it was answered already or is not the one open. With
/// `provider`, only that provider's own offer and only before its deadline (the provider answering); without,
/// any open offer (the deadline job, the guardian withdrawing).
async fn answer(
    tx: &mut crate::db::Tx,
    id: &str,
    round: i32,
    answer: &str,
    actor: Option<&str>,
    reason: &str,
    provider: Option<&str>,
) -> Result<(), CareError> {
    let sql = "UPDATE care_offers SET answer = $1, answered_at = $2, answered_by = $3, reason = $4 \
               WHERE application_id = $5 AND round = $6 AND answer IS NULL";
    let now = now_millis();
    let done = match provider {
        Some(p) => {
            let own = format!("{sql} AND deadline >= $2 AND COALESCE(facility_id, caregiver_id) = $7");
            tx_run!(tx, c => sqlx::query(&own).bind(answer).bind(now).bind(actor).bind(reason).bind(id)
                .bind(round).bind(p).execute(c).await.map(|r| r.rows_affected()))?
        }
        None => tx_run!(tx, c => sqlx::query(sql).bind(answer).bind(now).bind(actor).bind(reason).bind(id)
            .bind(round).execute(c).await.map(|r| r.rows_affected()))?,
    };
    if done == 0 {
        return Err(CareError::WrongStatus);
    }
    Ok(())
}

/// The provider accepts: the seats (or the caregiver's hours) are held, or `Full` and nothing changes.
pub async fn accept(db: &Db, a: &Application, round: i32, actor: &str) -> Result<(), CareError> {
    let mut tx = db.begin().await?;
    answer(&mut tx, &a.id, round, "accepted", Some(actor), "", a.provider_id()).await?;
    move_status(&mut tx, &a.id, &[Status::Matched], Status::Confirmed).await?;
    let slots = a.slots();
    match (&a.facility_id, &a.caregiver_id) {
        (Some(f), _) => hold_store::hold_seats(&mut tx, f, &a.id, &slots).await?,
        (None, Some(c)) => hold_store::hold_caregiver(&mut tx, c, &a.id, &slots).await?,
        (None, None) => return Err(CareError::WrongStatus),
    }
    add_event(&mut tx, &a.id, Status::Confirmed.code(), Some(actor), "", now_millis()).await?;
    tx.commit().await?;
    Ok(())
}

/// The provider declines (`declined`, with the reason given; `provider` is theirs), the deadline passed
/// (`expired`) or the guardian withdrew (`withdrawn`): the application waits to be matched again.
pub async fn refuse(
    db: &Db,
    id: &str,
    round: i32,
    how: &str,
    actor: Option<&str>,
    reason: &str,
    provider: Option<&str>,
) -> Result<(), CareError> {
    let mut tx = db.begin().await?;
    answer(&mut tx, id, round, how, actor, reason, provider).await?;
    move_status(&mut tx, id, &[Status::Matched], Status::Submitted).await?;
    let clear = "UPDATE care_applications SET facility_id = NULL, caregiver_id = NULL WHERE id = $1";
    tx_run!(&mut tx, c => sqlx::query(clear).bind(id).execute(c).await.map(|_| ()))?;
    add_event(&mut tx, id, how, actor, reason, now_millis()).await?;
    tx.commit().await?;
    Ok(())
}

/// Open offers whose deadline passed: `(application, round)`.
pub async fn overdue(db: &Db, municipality: &str, now: Millis) -> Result<Vec<(String, i32)>, sqlx::Error> {
    let sql = "SELECT o.application_id, o.round FROM care_offers o JOIN care_applications a ON a.id = o.application_id \
               WHERE a.municipality_code = $1 AND o.answer IS NULL AND o.deadline < $2 AND a.status = 'matched'";
    db_run!(db, p => sqlx::query_as(sql).bind(municipality).bind(now).fetch_all(p).await)
}
