//! Waitlist pages: guardians apply for a child to up to five 어린이집 in order, claiming the facts that give
//! priority, and see where each application stands and why; staff verify the facts against their documents and
//! officials publish a round's lottery seed, then run it.

use std::collections::HashSet;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::priority::PriorityRules;
use super::round;
use super::store::{self, Mine, WaitlistError};
use crate::app::AppState;
use crate::auth::{CsrfForm, CurrentUser, NoFields, Visitor};
use crate::children::store::{self as children, ChildSummary};
use crate::db::time::seoul_display;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::places::index::PlaceQuery;
use crate::web::{Page, render, render_with_status};

impl From<WaitlistError> for AppError {
    fn from(e: WaitlistError) -> AppError {
        match e {
            WaitlistError::AlreadyWaiting => AppError::Conflict("waitlist_already_waiting"),
            WaitlistError::DuplicateChoice => AppError::Conflict("waitlist_duplicate_choice"),
            WaitlistError::AlreadyRan => AppError::Conflict("waitlist_round_ran"),
            WaitlistError::RoundOpen => AppError::Conflict("waitlist_round_open"),
            WaitlistError::NotFound => AppError::NotFound,
            WaitlistError::Refused(why) => AppError::Internal(why),
            WaitlistError::Db(e) => AppError::Database(e),
        }
    }
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct ApplyForm {
    #[serde(default)]
    child_id: String,
    #[serde(default)]
    choice: Vec<String>,
    #[serde(default)]
    fact: Vec<String>,
}

#[derive(Template)]
#[template(path = "waitlist/mine.html")]
struct MinePage {
    page: Page,
    applications: Vec<Mine>,
    children: Vec<ChildSummary>,
    /// 어린이집 of the municipality: id, name.
    centres: Vec<(String, String)>,
    rules: PriorityRules,
    form: ApplyForm,
    errors: FieldErrors,
}

impl MinePage {
    fn centre_name(&self, id: &str) -> String {
        self.centres.iter().find(|(c, _)| c == id).map_or_else(|| id.to_string(), |(_, n)| n.clone())
    }

    fn chosen(&self, slot: &usize, id: &str) -> bool {
        self.form.choice.get(*slot).is_some_and(|c| c == id)
    }

    fn claims(&self, fact: &str) -> bool {
        self.form.fact.iter().any(|f| f == fact)
    }

    /// The latest round's word on one choice: `position / applicants`, outcome.
    fn outcome(&self, a: &Mine, centre: &str) -> Option<(String, usize, usize)> {
        let why: allocation::Explanation = serde_json::from_str(a.explanation.as_deref()?).ok()?;
        why.choices.iter().find_map(|c| match c {
            allocation::ChoiceOutcome::Placed { center, position, applicants, .. } if center == centre => {
                Some(("placed".to_string(), *position, *applicants))
            }
            allocation::ChoiceOutcome::Full { center, position, applicants, .. } if center == centre => {
                Some(("full".to_string(), *position, *applicants))
            }
            _ => None,
        })
    }
}

fn centres(state: &AppState) -> Vec<(String, String)> {
    let query =
        PlaceQuery { kinds: vec!["daycare".into(), "daycare_24h".into()], limit: usize::MAX, ..PlaceQuery::default() };
    state.places.facilities(&query).iter().map(|h| (h.place.id.clone(), h.place.name.clone())).collect()
}

async fn mine_page(
    state: &AppState,
    visitor: &Visitor,
    user: &CurrentUser,
    form: ApplyForm,
    errors: FieldErrors,
) -> AppResult<MinePage> {
    Ok(MinePage {
        page: Page::new(visitor, "waitlist-title"),
        applications: store::of_guardian(&state.db, state.municipality(), &user.id).await?,
        children: children::of_guardian(&state.db, state.municipality(), &user.id).await?,
        centres: centres(state),
        rules: PriorityRules::default_rules(),
        form,
        errors,
    })
}

pub async fn mine(State(state): State<AppState>, visitor: Visitor, user: CurrentUser) -> AppResult<Response> {
    render(&mine_page(&state, &visitor, &user, ApplyForm::default(), FieldErrors::default()).await?)
}

impl ApplyForm {
    fn check(&self, mine: &[ChildSummary], centres: &[(String, String)], rules: &PriorityRules) -> FieldErrors {
        let mut errors = FieldErrors::default();
        if !mine.iter().any(|c| c.id == self.child_id) {
            errors.add("child_id", "care-error-child");
        }
        let chosen: Vec<&String> = self.choice.iter().filter(|c| !c.is_empty()).collect();
        let distinct: HashSet<&String> = chosen.iter().copied().collect();
        if chosen.is_empty() || chosen.len() > allocation::MAX_CHOICES {
            errors.add("choice", "waitlist-error-choices");
        } else if distinct.len() != chosen.len() {
            errors.add("choice", "waitlist-error-duplicate");
        } else if chosen.iter().any(|c| !centres.iter().any(|(id, _)| id == *c)) {
            errors.add("choice", "field-choice-invalid");
        }
        if self.fact.iter().any(|f| !rules.facts().contains(f)) {
            errors.add("fact", "field-choice-invalid");
        }
        errors
    }
}

pub async fn apply(
    State(state): State<AppState>,
    visitor: Visitor,
    user: CurrentUser,
    CsrfForm(form): CsrfForm<ApplyForm>,
) -> AppResult<Response> {
    let mine = children::of_guardian(&state.db, state.municipality(), &user.id).await?;
    let mut errors = form.check(&mine, &centres(&state), &PriorityRules::default_rules());
    if errors.is_empty() {
        let choices: Vec<String> = form.choice.iter().filter(|c| !c.is_empty()).cloned().collect();
        match store::apply(&state.db, state.municipality(), &user.id, &form.child_id, &choices, &form.fact).await {
            Ok(_) => return Ok(Redirect::to("/waitlist").into_response()),
            Err(WaitlistError::AlreadyWaiting) => errors.add("child_id", "waitlist-error-already-waiting"),
            Err(e) => return Err(e.into()),
        }
    }
    let page = mine_page(&state, &visitor, &user, form, errors).await?;
    render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

/// The guardian leaves the list (a child placed elsewhere, plans changed); the place it held in no round is lost.
pub async fn withdraw(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> AppResult<Response> {
    if !store::withdraw(&state.db, state.municipality(), &user.id, &id).await? {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::to("/waitlist").into_response())
}

#[derive(Template)]
#[template(path = "waitlist/staff.html")]
struct StaffPage {
    page: Page,
    unverified: Vec<(String, String, String)>,
    rounds: Vec<(String, String, i64, Option<i64>)>,
    rules: PriorityRules,
    waiting: Vec<(String, i64)>,
}

impl StaffPage {
    fn at(&self, millis: &i64) -> String {
        seoul_display(*millis)
    }

    fn document(&self, fact: &str) -> String {
        self.rules.documents.get(fact).cloned().unwrap_or_default()
    }
}

pub async fn staff(State(state): State<AppState>, visitor: Visitor) -> AppResult<Response> {
    let m = state.municipality();
    let waiting = store::waiting_per_centre(&state.db, m)
        .await?
        .into_iter()
        .map(|(id, n)| (state.places.facility(&id).map_or(id, |f| f.name.clone()), n))
        .collect();
    render(&StaffPage {
        page: Page::new(&visitor, "waitlist-staff-title"),
        unverified: store::unverified(&state.db, m).await?,
        rounds: store::rounds(&state.db, m).await?,
        rules: PriorityRules::default_rules(),
        waiting,
    })
}

#[derive(Deserialize)]
pub struct VerifyForm {
    application_id: String,
    fact: String,
}

pub async fn verify(
    State(state): State<AppState>,
    user: CurrentUser,
    CsrfForm(form): CsrfForm<VerifyForm>,
) -> AppResult<Response> {
    if !store::verify(&state.db, state.municipality(), &form.application_id, &form.fact, &user.id).await? {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::to("/staff/waitlist").into_response())
}

/// Publishes a new round with a random seed; it runs when an official says so.
pub async fn publish(
    State(state): State<AppState>,
    user: CurrentUser,
    CsrfForm(_): CsrfForm<NoFields>,
) -> AppResult<Response> {
    let seed: u64 = rand::random();
    store::publish_round(&state.db, state.municipality(), seed, Some(&user.id)).await?;
    Ok(Redirect::to("/staff/waitlist").into_response())
}

pub async fn run(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> AppResult<Response> {
    round::run(&state, &id, &PriorityRules::default_rules(), Some(&user.id)).await?;
    Ok(Redirect::to("/staff/waitlist").into_response())
}
