//! Places between rounds. A seat freed (an offer declined or left to expire, a child taken off the list) is offered
//! to the next child in that centre's order who has a class there with a place left: class, points, then the
//! lottery number the latest round drew, the order a round would use. Every offer reaches its guardian, who has the municipality's set time to answer.

use allocation::lottery_number;

use super::priority::PriorityRules;
use super::store::{self, WaitlistError};
use super::{bands, offer_store, round};
use crate::app::AppState;
use crate::db::time::{Millis, now_millis, seoul_display, seoul_today};
use crate::notify;

/// How many times a seat lost to another process is looked for again before giving up until the next tick.
const RETRIES: usize = 3;

/// When an offer made now must be answered.
pub fn deadline(rules: &PriorityRules, now: Millis) -> Millis {
    now + rules.offer_hours * 3_600_000
}

/// Offers `facility`'s free seats, one by one, to the next children in its order; returns how many were offered.
/// Before the first round there is no drawn order, and seats wait for it.
pub async fn offer_on(state: &AppState, rules: &PriorityRules, facility: &str) -> Result<usize, WaitlistError> {
    let municipality = state.municipality();
    let Some(seed) = store::latest_seed(&state.db, municipality).await? else { return Ok(0) };
    let mut offered = 0;
    let mut lost = 0;
    loop {
        let now = now_millis();
        let today = seoul_today();
        let waiting = store::waiting(&state.db, municipality, now).await?;
        let left = round::places_left(state, today).await?.remove(facility).unwrap_or_default();
        let fits = |w: &&store::Waiting| bands::has_room(&left, &bands::band(w.birth_date, today));
        let chose = |w: &&store::Waiting| w.choices.iter().any(|c| c == facility);
        let next = waiting.iter().filter(chose).filter(fits).min_by_key(|w| {
            let s = rules.standing(&w.verified);
            (s.class.unwrap_or(u32::MAX), std::cmp::Reverse(s.points), lottery_number(seed, &w.id))
        });
        let Some(next) = next else { return Ok(offered) };
        let mut tx = state.db.begin().await?;
        match offer_store::offer(&mut tx, &next.id, facility, None, deadline(rules, now)).await {
            Ok(Some(_)) => {
                tx.commit().await?;
                tell(state, &next.guardian_id, facility, deadline(rules, now)).await?;
                offered += 1;
            }
            Ok(None) => return Ok(offered),
            Err(WaitlistError::SeatTaken) if lost < RETRIES => lost += 1,
            Err(e) => return Err(e),
        }
    }
}

/// Expires the offers past their time and offers each freed seat on; returns how many were expired.
pub async fn expire_overdue(state: &AppState, rules: &PriorityRules) -> Result<usize, WaitlistError> {
    let freed = offer_store::expire_overdue(&state.db, now_millis()).await?;
    let mut centres = freed.clone();
    centres.sort_unstable();
    centres.dedup();
    for facility in &centres {
        offer_on(state, rules, facility).await?;
    }
    Ok(freed.len())
}

/// Tells a guardian of a new offer, with the centre and the time to answer by.
pub async fn tell(state: &AppState, guardian: &str, facility: &str, expires_at: Millis) -> Result<(), sqlx::Error> {
    let centre = state.places.facility(facility).map_or_else(|| facility.to_string(), |f| f.name.clone());
    let args = serde_json::json!({ "centre": centre, "deadline": seoul_display(expires_at) });
    notify::send(&state.db, &[guardian.to_string()], "notify-waitlist-offer", &args, "/waitlist").await
}
