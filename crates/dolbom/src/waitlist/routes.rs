//! The guardian's waitlist pages: apply for a child to up to five 어린이집 in order, claiming the facts that give
//! priority; see where each application stands on every list and why (class, points, lottery number), what changed
//! since the round before, and answer the places offered.

use std::collections::{HashMap, HashSet};

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::offer_store::{self, Offer};
use super::offers;
use super::priority::PriorityRules;
use super::rules_store;
use super::store::{self, Mine, WaitlistError};
use super::{bands, document_store};
use crate::app::AppState;
use crate::auth::{CsrfForm, CurrentUser, NoFields, Visitor};
use crate::children::store::{self as children, ChildSummary};
use crate::db::time::{seoul_display, seoul_today};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::places::classes::{self, Class};
use crate::places::index::PlaceQuery;
use crate::web::{Page, render, render_with_status};

impl From<WaitlistError> for AppError {
    fn from(e: WaitlistError) -> AppError {
        match e {
            WaitlistError::AlreadyWaiting => AppError::Conflict("waitlist_already_waiting"),
            WaitlistError::DuplicateChoice => AppError::Conflict("waitlist_duplicate_choice"),
            WaitlistError::AlreadyRan => AppError::Conflict("waitlist_round_ran"),
            WaitlistError::RoundOpen => AppError::Conflict("waitlist_round_open"),
            WaitlistError::SeatTaken => AppError::Conflict("waitlist_seat_taken"),
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
    home_area: String,
    #[serde(default)]
    choice: Vec<String>,
    #[serde(default)]
    fact: Vec<String>,
}

#[derive(Template)]
#[template(path = "waitlist/mine.html")]
pub(super) struct MinePage {
    page: Page,
    applications: Vec<Mine>,
    offers: Vec<Offer>,
    documents: Vec<document_store::Listed>,
    children: Vec<ChildSummary>,
    dongs: Vec<(String, String)>,
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
        outcome_in(a.explanation.as_deref()?, centre)
    }

    /// The position on a list in the round before, when it differs from the latest: what changed.
    fn was(&self, a: &Mine, centre: &str) -> Option<usize> {
        let (_, before, _) = outcome_in(a.previous.as_deref()?, centre)?;
        let (_, now, _) = self.outcome(a, centre)?;
        (before != now).then_some(before)
    }

    /// The class the child waits in: `만 N세반`, or school age.
    fn band(&self, a: &Mine) -> String {
        if a.band == super::bands::SCHOOL_AGE {
            self.page.t("waitlist-band-school")
        } else {
            self.page.t1("waitlist-band", "age", a.band.clone())
        }
    }

    fn lottery(&self, a: &Mine) -> Option<String> {
        let why: allocation::Explanation = serde_json::from_str(a.explanation.as_deref()?).ok()?;
        Some(format!("{:016x}", why.lottery_number))
    }

    /// When each document proving `fact` on `a` was uploaded.
    fn uploaded(&self, a: &Mine, fact: &str) -> Vec<String> {
        self.documents.iter().filter(|d| d.1 == a.id && d.2 == fact).map(|d| seoul_display(d.3)).collect()
    }

    fn offers_of(&self, a: &Mine) -> Vec<&Offer> {
        self.offers.iter().filter(|o| o.application_id == a.id).collect()
    }

    fn at(&self, millis: &i64) -> String {
        seoul_display(*millis)
    }
}

fn outcome_in(explanation: &str, centre: &str) -> Option<(String, usize, usize)> {
    let why: allocation::Explanation = serde_json::from_str(explanation).ok()?;
    why.choices.iter().find_map(|c| match c {
        allocation::ChoiceOutcome::Placed { center, position, applicants, .. } if center == centre => {
            Some(("placed".to_string(), *position, *applicants))
        }
        allocation::ChoiceOutcome::Full { center, position, applicants, .. } if center == centre => {
            Some(("full".to_string(), *position, *applicants))
        }
        allocation::ChoiceOutcome::NoClass { center } if center == centre => Some(("no_class".to_string(), 0, 0)),
        _ => None,
    })
}

pub(crate) fn centres(state: &AppState) -> Vec<(String, String)> {
    let query =
        PlaceQuery { kinds: vec!["daycare".into(), "daycare_24h".into()], limit: usize::MAX, ..PlaceQuery::default() };
    state.places.facilities(&query).iter().map(|h| (h.place.id.clone(), h.place.name.clone())).collect()
}

pub(super) async fn mine_page(
    state: &AppState,
    visitor: &Visitor,
    user: &CurrentUser,
    form: ApplyForm,
    errors: FieldErrors,
) -> AppResult<MinePage> {
    Ok(MinePage {
        page: Page::new(visitor, "waitlist-title"),
        applications: store::of_guardian(&state.db, state.municipality(), &user.id).await?,
        offers: offer_store::of_guardian(&state.db, state.municipality(), &user.id).await?,
        documents: document_store::of_guardian(&state.db, state.municipality(), &user.id).await?,
        children: children::of_guardian(&state.db, state.municipality(), &user.id).await?,
        dongs: state.areas.choices(),
        centres: centres(state),
        rules: rules_store::rules(&state.db, state.municipality()).await?,
        form,
        errors,
    })
}

pub async fn mine(State(state): State<AppState>, visitor: Visitor, user: CurrentUser) -> AppResult<Response> {
    render(&mine_page(&state, &visitor, &user, ApplyForm::default(), FieldErrors::default()).await?)
}

impl ApplyForm {
    fn check(&self, mine: &[ChildSummary], state: &AppState, rules: &PriorityRules) -> FieldErrors {
        let mut errors = FieldErrors::default();
        if !mine.iter().any(|c| c.id == self.child_id) {
            errors.add("child_id", "care-error-child");
        }
        if state.areas.get(&self.home_area).is_none() {
            errors.add("home_area", "field-choice-invalid");
        }
        let centres = centres(state);
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

/// The choices (by slot) of 어린이집 with classes but none the child could sit in this 보육연도.
async fn without_class(state: &AppState, form: &ApplyForm, child: &ChildSummary) -> AppResult<Vec<usize>> {
    let band = bands::band(child.birth_date, seoul_today());
    let mut by_centre: HashMap<String, Vec<Class>> = HashMap::new();
    for (facility, class) in classes::of_municipality(&state.db, state.municipality()).await? {
        by_centre.entry(facility).or_default().push(class);
    }
    let lacking = |c: &String| by_centre.get(c).is_some_and(|classes| !bands::has_class(classes, &band));
    Ok(form.choice.iter().enumerate().filter(|(_, c)| lacking(c)).map(|(slot, _)| slot).collect())
}

pub async fn apply(
    State(state): State<AppState>,
    visitor: Visitor,
    user: CurrentUser,
    CsrfForm(form): CsrfForm<ApplyForm>,
) -> AppResult<Response> {
    let mine = children::of_guardian(&state.db, state.municipality(), &user.id).await?;
    let rules = rules_store::rules(&state.db, state.municipality()).await?;
    let mut errors = form.check(&mine, &state, &rules);
    if let Some(child) = mine.iter().find(|c| c.id == form.child_id).filter(|_| errors.is_empty()) {
        for slot in without_class(&state, &form, child).await? {
            errors.add("choice", "waitlist-error-no-class");
            errors.add(format!("choice-{slot}"), "waitlist-outcome-no_class");
        }
    }
    if errors.is_empty() {
        let choices: Vec<String> = form.choice.iter().filter(|c| !c.is_empty()).cloned().collect();
        let home = Some(form.home_area.as_str());
        match store::apply(&state.db, state.municipality(), &user.id, &form.child_id, home, &choices, &form.fact).await
        {
            Ok(_) => return Ok(Redirect::to("/waitlist").into_response()),
            Err(WaitlistError::AlreadyWaiting) => errors.add("child_id", "waitlist-error-already-waiting"),
            Err(e) => return Err(e.into()),
        }
    }
    let page = mine_page(&state, &visitor, &user, form, errors).await?;
    render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

/// The guardian leaves the list (a child placed elsewhere, plans changed); a seat the child held goes to the next
/// child in that centre's order.
pub async fn withdraw(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> AppResult<Response> {
    let freed = store::withdraw(&state.db, state.municipality(), &user.id, &id).await?.ok_or(AppError::NotFound)?;
    if let Some(facility) = freed {
        offers::offer_on(&state, &rules_store::rules(&state.db, state.municipality()).await?, &facility).await?;
    }
    Ok(Redirect::to("/waitlist").into_response())
}

/// The guardian takes a place offered, or lets it go to the next child.
async fn answer(state: &AppState, user: &CurrentUser, offer: &str, accept: bool) -> AppResult<Response> {
    let facility = offer_store::answer(&state.db, state.municipality(), &user.id, offer, accept)
        .await?
        .ok_or(AppError::Conflict("waitlist_offer_closed"))?;
    if !accept {
        offers::offer_on(state, &rules_store::rules(&state.db, state.municipality()).await?, &facility).await?;
    }
    Ok(Redirect::to("/waitlist").into_response())
}

pub async fn accept(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> AppResult<Response> {
    answer(&state, &user, &id, true).await
}

pub async fn decline(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> AppResult<Response> {
    answer(&state, &user, &id, false).await
}
