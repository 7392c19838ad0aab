//! The care flow between guardian, matcher and providers: a waiting application is matched and offered; the
//! provider accepts or declines; a decline, a full place or a missed deadline moves it to the next best; each step
//! tells the people concerned (inbox, and the outbox for SMS and e-mail).

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::caregiver_store::{self, Caregiver};
use super::matcher::{self, Booking, Need, Provider, ProviderKind, Settings};
use super::model::Status;
use super::offer_store;
use super::rules::Service;
use super::store::{self, Application, CareError, ProviderRef};
use crate::app::AppState;
use crate::db::Tx;
use crate::db::time::{now_millis, seoul_day_start};
use crate::notify;

/// How long a provider has to answer an offer (never past the start of care).
pub const OFFER_MINUTES: i64 = 60;

/// The matcher's choice as the pages show it, names resolved when it was made.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Explanation {
    pub chosen: Option<Named>,
    pub passed_over: Vec<PassedOver>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Named {
    pub id: String,
    pub name: String,
    pub distance_m: i64,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PassedOver {
    pub name: String,
    pub distance_m: i64,
    /// Catalog key of the reason (`care-why-*`).
    pub reason: String,
}

/// Everyone who can take care: facilities with emergency places (from the places index), caregivers.
struct Pool {
    providers: Vec<Provider>,
    refs: Vec<ProviderRef>,
    names: Vec<String>,
}

impl Pool {
    async fn load(state: &AppState, day: NaiveDate) -> Result<Pool, sqlx::Error> {
        let projection = state.places.projection();
        let mut pool = Pool { providers: Vec::new(), refs: Vec::new(), names: Vec::new() };
        for (id, places) in caregiver_store::facility_places(&state.db).await? {
            let Some(f) = state.places.facility(&id) else { continue };
            pool.providers.push(Provider {
                id: f.id.clone(),
                point: projection.point(f.latitude, f.longitude),
                hours: f.hours,
                kind: ProviderKind::Facility {
                    kind: f.kind.clone(),
                    min_age_months: f.min_age_months,
                    max_age_months: f.max_age_months,
                    places: places as u32,
                },
            });
            pool.refs.push(ProviderRef::Facility(f.id.clone()));
            pool.names.push(f.name.clone());
        }
        for c in caregiver_store::active(&state.db, state.municipality()).await? {
            pool.providers.push(caregiver_provider(&c, projection.point(c.latitude, c.longitude), day));
            pool.refs.push(ProviderRef::Caregiver(c.user_id.clone()));
            pool.names.push(c.name.clone());
        }
        Ok(pool)
    }

    fn index(&self) -> HashMap<&ProviderRef, usize> {
        self.refs.iter().enumerate().map(|(i, r)| (r, i)).collect()
    }
}

fn caregiver_provider(c: &Caregiver, point: [f64; 2], day: NaiveDate) -> Provider {
    Provider {
        id: c.user_id.clone(),
        point,
        hours: c.hours,
        kind: ProviderKind::Caregiver {
            sex: c.sex.clone(),
            languages: c.languages.clone(),
            qualifications: c.qualifications_on(day),
            weekly_limit_minutes: c.weekly_limit_minutes.max(0) as u32,
        },
    }
}

fn held_by(h: &store::Held) -> Option<ProviderRef> {
    match (&h.facility_id, &h.caregiver_id) {
        (Some(f), _) => Some(ProviderRef::Facility(f.clone())),
        (None, Some(c)) => Some(ProviderRef::Caregiver(c.clone())),
        _ => None,
    }
}

/// Care already promised (or offered) around the application's days, for the matcher's ledger.
async fn bookings(state: &AppState, a: &Application, pool: &Pool) -> Result<Vec<Booking>, sqlx::Error> {
    let index = pool.index();
    // Whole ISO weeks, so a caregiver's weekly hours count every day of the weeks the care falls in.
    let week_start = a.first_day - chrono::Duration::days(i64::from(a.first_day.weekday().num_days_from_monday()));
    let week_end = a.last_day() + chrono::Duration::days(6 - i64::from(a.last_day().weekday().num_days_from_monday()));
    let held = store::held_between(&state.db, state.municipality(), week_start, week_end).await?;
    Ok(held
        .iter()
        .filter(|h| h.id != a.id)
        .filter_map(|h| Some((h, *index.get(&held_by(h)?)?)))
        .flat_map(|(h, provider)| {
            (0..h.days.max(1)).map(move |d| Booking {
                provider,
                day: h.first_day + chrono::Duration::days(i64::from(d)),
                start: h.start_minute as u16,
                end: h.end_minute as u16,
            })
        })
        .collect())
}

/// Matches a waiting application and offers it to the best provider, or ends it as no match; tells everyone.
pub async fn match_one(state: &AppState, id: &str) -> Result<Status, CareError> {
    let Some(a) = store::get(&state.db, state.municipality(), id).await? else { return Err(CareError::WrongStatus) };
    if a.status() != Status::Submitted {
        return Ok(a.status());
    }
    let Some((birth, special_needs)) = crate::children::store::care_facts(&state.db, &a.child_id).await? else {
        return Err(CareError::WrongStatus);
    };
    let pool = Pool::load(state, a.last_day()).await?;
    let booked = bookings(state, &a, &pool).await?;
    let age = super::rules::age_in_months(birth, a.first_day) as i32;
    let need = Need {
        service: Service::parse(&a.service).unwrap_or(Service::HomeVisit),
        point: state.places.projection().point(a.latitude, a.longitude),
        age_months: age,
        first_day: a.first_day,
        days: a.days.max(1) as u32,
        start: a.start_minute as u16,
        end: a.end_minute as u16,
        requires: matcher::requirements(age, !special_needs.trim().is_empty()),
        caregiver_sex: a.caregiver_sex.clone(),
        language: a.language.clone(),
        preferred: None,
        refused_by: offer_store::refused_by(&state.db, id).await?,
    };
    let found = matcher::match_all(&pool.providers, &booked, &[need], &Settings::default()).remove(0);
    let explanation = explain(&pool, &found);
    let text = serde_json::to_string(&explanation).unwrap_or_default();
    match found.provider {
        Some(p) => {
            let starts = seoul_day_start(a.first_day) + i64::from(a.start_minute) * 60_000;
            let deadline = (now_millis() + OFFER_MINUTES * 60_000).min(starts.max(now_millis() + 10 * 60_000));
            let staff = match &pool.refs[p] {
                ProviderRef::Facility(f) => store::staff_of_facility(&state.db, f).await?,
                ProviderRef::Caregiver(c) => vec![c.clone()],
            };
            let args = serde_json::json!({ "provider": pool.names[p] });
            // The offer and both notices commit together: one turn of the database's writer, not three.
            let mut tx = state.db.begin().await?;
            let distance = found.distance_m.round() as i32;
            match offer_store::offer_in(&mut tx, id, &pool.refs[p], distance, deadline, &text).await {
                // Matched meanwhile (a decline's re-match and the job at once): that one stands.
                Err(CareError::WrongStatus) => return Ok(Status::Matched),
                other => other?,
            };
            notify::send_in(&mut tx, &staff, "notify-care-offered", &args, "/care/work").await?;
            tell_guardian_in(&mut tx, &a, "notify-care-matched", args).await?;
            tx.commit().await?;
            Ok(Status::Matched)
        }
        None => {
            let mut tx = state.db.begin().await?;
            match offer_store::no_match_in(&mut tx, id, &text).await {
                Err(CareError::WrongStatus) => return Ok(Status::Matched),
                other => other?,
            }
            tell_guardian_in(&mut tx, &a, "notify-care-no-match", serde_json::json!({})).await?;
            tx.commit().await?;
            Ok(Status::NoMatch)
        }
    }
}

fn explain(pool: &Pool, m: &matcher::Match) -> Explanation {
    Explanation {
        chosen: m.provider.map(|p| Named {
            id: pool.providers[p].id.clone(),
            name: pool.names[p].clone(),
            distance_m: m.distance_m.round() as i64,
        }),
        passed_over: m
            .passed_over
            .iter()
            .map(|p| PassedOver {
                name: pool.names[p.provider].clone(),
                distance_m: p.distance_m.round() as i64,
                reason: p.reason.key().to_string(),
            })
            .collect(),
    }
}

/// Tells the guardian, with a link to the application.
pub(super) async fn tell_guardian(
    state: &AppState,
    a: &Application,
    message: &str,
    args: serde_json::Value,
) -> Result<(), sqlx::Error> {
    let mut tx = state.db.begin().await?;
    tell_guardian_in(&mut tx, a, message, args).await?;
    tx.commit().await
}

/// [`tell_guardian`] in the caller's transaction.
async fn tell_guardian_in(
    tx: &mut Tx,
    a: &Application,
    message: &str,
    args: serde_json::Value,
) -> Result<(), sqlx::Error> {
    let link = format!("/care/applications/{}", a.id);
    notify::send_in(tx, std::slice::from_ref(&a.guardian_id), message, &args, &link).await
}

/// The open offer's round, if the application is waiting for its provider's answer.
async fn open_round(state: &AppState, a: &Application) -> Result<i32, CareError> {
    let offers = offer_store::offers(&state.db, &a.id).await?;
    offers.iter().rev().find(|o| o.answer.is_none()).map(|o| o.round).ok_or(CareError::WrongStatus)
}

/// The provider accepts. When the last place went meanwhile, the offer counts as declined (`full`), the
/// application moves on to the next best, and `Full` is returned.
pub async fn accept(state: &AppState, a: &Application, actor: &str) -> Result<(), CareError> {
    let round = open_round(state, a).await?;
    // Two accepts at once may both reach for the same lowest free seat; the loser's transaction is refused by the
    // key and rolled back whole, so it tries again for the next seat before calling the place full.
    let mut outcome = offer_store::accept(&state.db, a, round, actor).await;
    for _ in 0..2 {
        if !matches!(outcome, Err(CareError::Full)) {
            break;
        }
        outcome = offer_store::accept(&state.db, a, round, actor).await;
    }
    match outcome {
        Err(CareError::Full) => {
            offer_store::refuse(&state.db, &a.id, round, "declined", Some(actor), "full", a.provider_id()).await?;
            match_one(state, &a.id).await?;
            Err(CareError::Full)
        }
        Err(e) => Err(e),
        Ok(()) => {
            tell_guardian(state, a, "notify-care-confirmed", serde_json::json!({})).await?;
            Ok(())
        }
    }
}

/// The provider declines with a reason: the next best gets the offer.
pub async fn decline(state: &AppState, a: &Application, actor: &str, reason: &str) -> Result<Status, CareError> {
    let round = open_round(state, a).await?;
    offer_store::refuse(&state.db, &a.id, round, "declined", Some(actor), reason, a.provider_id()).await?;
    match_one(state, &a.id).await
}

/// Offers whose deadline passed go to the next best; returns how many moved.
pub async fn expire_overdue(state: &AppState) -> Result<usize, CareError> {
    let overdue = offer_store::overdue(&state.db, state.municipality(), now_millis()).await?;
    for (id, round) in &overdue {
        match offer_store::refuse(&state.db, id, *round, "expired", None, "", None).await {
            Err(CareError::WrongStatus) => continue, // answered meanwhile
            other => other?,
        }
        rematch_logged(state, id).await;
    }
    Ok(overdue.len())
}

/// Matches one application for the background job: an error is logged and the others go on (one bad record must
/// not stop every deadline and the outbox).
async fn rematch_logged(state: &AppState, id: &str) {
    if let Err(e) = match_one(state, id).await {
        tracing::warn!(application = id, error = %e, "could not match a care application; the next tick retries");
    }
}

/// Matches every application still waiting (after a restart, or one that failed to match).
pub async fn match_waiting(state: &AppState) -> Result<usize, CareError> {
    let waiting = store::waiting(&state.db, state.municipality()).await?;
    for a in &waiting {
        rematch_logged(state, &a.id).await;
    }
    Ok(waiting.len())
}
