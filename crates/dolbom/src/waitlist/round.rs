//! Running a round from the database: the waiting applications become the allocation's input (each child's class
//! and points from the facts staff verified, under the municipality's priority rules; brothers and sisters are
//! the same guardian's children waiting in the round, when the rules place siblings together; places are each centre's seats not held now, and at a
//! 어린이집 with classes the places left in each class for the child's 만 N세반, see [`bands`]), the pure
//! `allocation` crate allocates, and the results with every child's explanation and the offers are stored at once.
//! Each guardian offered a place is told.

use std::collections::{BTreeMap, HashMap};

use allocation::{Center, Child, Input};
use chrono::NaiveDate;

use super::priority::PriorityRules;
use super::store::{self, RoundResult, WaitlistError};
use super::{bands, offers};
use crate::app::AppState;
use crate::db::time::{now_millis, seoul_today};
use crate::places::classes::{self, Class};

/// Outcome of a round: how many were placed and how many still wait.
#[derive(Debug, PartialEq, Eq)]
pub struct RoundSummary {
    pub placed: usize,
    pub waiting: usize,
}

pub async fn run(
    state: &AppState,
    round_id: &str,
    rules: &PriorityRules,
    by: Option<&str>,
) -> Result<RoundSummary, WaitlistError> {
    let municipality = state.municipality();
    let round = store::round(&state.db, municipality, round_id).await?.ok_or(WaitlistError::NotFound)?;
    if round.ran_at.is_some() {
        return Err(WaitlistError::AlreadyRan);
    }
    let waiting = store::waiting(&state.db, municipality, round.published_at).await?;
    let free = store::free_seats(&state.db, municipality).await?;
    let today = seoul_today();
    let classes = places_left(state, today).await?;
    let standings: Vec<_> = waiting.iter().map(|w| rules.standing(&w.verified)).collect();
    let mut centre_ids: Vec<&str> = waiting.iter().flat_map(|w| w.choices.iter().map(String::as_str)).collect();
    centre_ids.sort_unstable();
    centre_ids.dedup();
    let centers = centre_ids
        .iter()
        .map(|id| {
            let (bands, mixed) = classes.get(*id).map_or((None, None), bands::for_round);
            Center {
                id: id.to_string(),
                capacity: free.iter().find(|(f, _)| f == id).map_or(0, |(_, n)| *n).max(0),
                bands,
                mixed,
                ..Center::default()
            }
        })
        .collect();
    let children = waiting
        .iter()
        .zip(&standings)
        .map(|(w, s)| Child {
            id: w.id.clone(),
            choices: w.choices.clone(),
            priority_class: s.class.unwrap_or(u32::MAX),
            points: s.points,
            siblings: waiting
                .iter()
                .filter(|o| rules.siblings_together && o.guardian_id == w.guardian_id && o.id != w.id)
                .map(|o| o.id.clone())
                .collect(),
            band: Some(bands::band(w.birth_date, today)),
        })
        .collect();
    let input = Input { centers, children, lottery_seed: round.seed };
    // The input comes from the database's own constraints (five distinct choices of existing centres), so a
    // refusal here is a bug, reported as such rather than allocated around.
    let out = allocation::allocate(&input).map_err(|errors| WaitlistError::Refused(format!("{errors:?}")))?;
    let results: Vec<RoundResult> = waiting
        .iter()
        .zip(&standings)
        .map(|(w, s)| RoundResult {
            application_id: &w.id,
            facility_id: out.assignments.get(&w.id).and_then(|c| c.as_deref()),
            priority_class: s.class,
            points: s.points,
            explanation: serde_json::to_string(&out.explanations.get(&w.id)).unwrap_or_default(),
        })
        .collect();
    let expires_at = offers::deadline(rules, now_millis());
    let published = serde_json::to_string(&input).map_err(|e| WaitlistError::Refused(e.to_string()))?;
    store::record_round(&state.db, round_id, by, &published, &results, expires_at).await?;
    for (w, r) in waiting.iter().zip(&results) {
        if let Some(facility) = r.facility_id {
            offers::tell(state, &w.guardian_id, facility, expires_at).await?;
        }
    }
    Ok(RoundSummary { placed: waiting.len() - out.unassigned.len(), waiting: out.unassigned.len() })
}

/// Each 어린이집's places left per class, once the children holding offers or places are seated.
pub async fn places_left(
    state: &AppState,
    today: NaiveDate,
) -> Result<HashMap<String, BTreeMap<String, i64>>, sqlx::Error> {
    let municipality = state.municipality();
    let mut by_centre: HashMap<String, Vec<Class>> = HashMap::new();
    for (facility, class) in classes::of_municipality(&state.db, municipality).await? {
        by_centre.entry(facility).or_default().push(class);
    }
    let mut held: HashMap<String, Vec<String>> = HashMap::new();
    for (facility, birth) in store::holders(&state.db, municipality).await? {
        held.entry(facility).or_default().push(bands::band(birth, today));
    }
    Ok(by_centre
        .into_iter()
        .map(|(facility, classes)| {
            let left = bands::left(&classes, held.get(&facility).map_or(&[][..], Vec::as_slice));
            (facility, left)
        })
        .collect())
}
