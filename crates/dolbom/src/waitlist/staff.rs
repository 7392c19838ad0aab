//! Staff's waitlist pages: verify the claimed facts against their documents, publish a round's lottery seed and
//! run it, read a round's full audit (its input, every child's class, points, lottery number and outcome per
//! choice, and a re-run of the published input that must give the same result); centres enrol the children who
//! accepted their places.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::document_store;
use super::offer_store;
use super::priority::PriorityRules;
use super::round;
use super::rules_store;
use super::store::{self, ResultRow};
use crate::app::AppState;
use crate::audit::{self, Purpose, Reader, RecordKind};
use crate::auth::{CsrfForm, CurrentUser, NoFields, Visitor};
use crate::db::time::seoul_display;
use crate::error::{AppError, AppResult};
use crate::places::index::PlaceQuery;
use crate::places::provider::{editable, may_edit};
use crate::web::{Page, render};

#[derive(Template)]
#[template(path = "waitlist/staff.html")]
struct StaffPage {
    page: Page,
    unverified: Vec<(String, String, String)>,
    rounds: Vec<(String, String, i64, Option<i64>)>,
    rules: PriorityRules,
    waiting: Vec<(String, i64)>,
    documents: Vec<document_store::Listed>,
}

impl StaffPage {
    fn at(&self, millis: &i64) -> String {
        seoul_display(*millis)
    }

    /// The documents uploaded for a fact: (id, uploaded at).
    fn proofs(&self, application: &str, fact: &str) -> Vec<(String, String)> {
        self.documents
            .iter()
            .filter(|d| d.1 == application && d.2 == fact)
            .map(|d| (d.0.clone(), seoul_display(d.3)))
            .collect()
    }

    fn document(&self, fact: &str) -> String {
        self.rules.documents.get(fact).cloned().unwrap_or_default()
    }
}

pub async fn staff(State(state): State<AppState>, visitor: Visitor, user: CurrentUser) -> AppResult<Response> {
    let m = state.municipality();
    let unverified = store::unverified(&state.db, m).await?;
    let reader = Reader::of(&state, &user, &visitor);
    let mut read: Vec<&str> = unverified.iter().map(|(a, _, _)| a.as_str()).collect();
    read.dedup();
    for application in read {
        audit::record_read(&state.db, &reader, RecordKind::WaitlistApplication, application, Purpose::EligibilityCheck)
            .await?;
    }
    let waiting = store::waiting_per_centre(&state.db, m)
        .await?
        .into_iter()
        .map(|(id, n)| (state.places.facility(&id).map_or(id, |f| f.name.clone()), n))
        .collect();
    render(&StaffPage {
        page: Page::new(&visitor, "waitlist-staff-title"),
        unverified,
        documents: document_store::of_waiting(&state.db, m).await?,
        rounds: store::rounds(&state.db, m).await?,
        rules: rules_store::rules(&state.db, m).await?,
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
    round::run(&state, &id, &rules_store::rules(&state.db, state.municipality()).await?, Some(&user.id)).await?;
    Ok(Redirect::to(&format!("/staff/waitlist/rounds/{id}")).into_response())
}

#[derive(Template)]
#[template(path = "waitlist/round.html")]
struct RoundPage {
    page: Page,
    id: String,
    round: store::Round,
    results: Vec<ResultRow>,
    /// Each result's choices in a line, in the order of `results`.
    lines: Vec<String>,
    /// Each result's age band as the round saw it (`만 N세반`), in the order of `results`.
    bands: Vec<String>,
    /// Whether allocating the published input again gives the stored assignments.
    reproduced: Option<bool>,
}

impl RoundPage {
    fn at(&self, millis: &i64) -> String {
        seoul_display(*millis)
    }

    fn lottery(&self, r: &ResultRow) -> String {
        serde_json::from_str::<allocation::Explanation>(&r.explanation)
            .map_or_else(|_| String::new(), |w| format!("{:016x}", w.lottery_number))
    }

    fn placed(&self) -> usize {
        self.results.iter().filter(|r| r.facility_id.is_some()).count()
    }
}

fn choices_line(state: &AppState, r: &ResultRow) -> String {
    let Ok(why) = serde_json::from_str::<allocation::Explanation>(&r.explanation) else { return String::new() };
    why.choices.iter().map(|c| outcome_line(state, c)).collect::<Vec<_>>().join(" · ")
}

/// Choice outcomes in a line: `centre: placed 3/40`, for the audit table.
fn outcome_line(state: &AppState, c: &allocation::ChoiceOutcome) -> String {
    use allocation::ChoiceOutcome as O;
    let name = |id: &str| state.places.facility(id).map_or_else(|| id.to_string(), |f| f.name.clone());
    match c {
        O::Placed { center, position, applicants, .. } => format!("{} ✓ {position}/{applicants}", name(center)),
        O::Full { center, position, applicants, .. } => format!("{} ✗ {position}/{applicants}", name(center)),
        O::NotNeeded { center } => format!("{} –", name(center)),
        O::NoClass { center } => format!("{} ∅", name(center)),
    }
}

/// `GET /staff/waitlist/rounds/{id}`: the round's full audit. Applications appear by id, not by name: the audit
/// can be shown to anyone who wants to check the round.
pub async fn audit_page(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let m = state.municipality();
    let round = store::round(&state.db, m, &id).await?.ok_or(AppError::NotFound)?;
    let results = store::round_results(&state.db, &id).await?;
    let text = store::round_input(&state.db, m, &id).await?;
    let input: Option<allocation::Input> = text.as_deref().and_then(|i| serde_json::from_str(i).ok());
    // A stored input that no longer reads does not reproduce anything.
    let reproduced = text.map(|_| input.as_ref().is_some_and(|input| reproduces(input, &results)));
    let lines = results.iter().map(|r| choices_line(&state, r)).collect();
    let page = Page::new(&visitor, "waitlist-round-title");
    let band_of = |r: &ResultRow| {
        let child = input.as_ref()?.children.iter().find(|k| k.id == r.application_id)?;
        let band = child.band.as_deref()?;
        Some(if band == super::bands::SCHOOL_AGE {
            page.t("waitlist-band-school")
        } else {
            page.t1("waitlist-band", "age", band)
        })
    };
    let bands = results.iter().map(|r| band_of(r).unwrap_or_default()).collect();
    render(&RoundPage { page, id, round, results, lines, bands, reproduced })
}

/// Whether the published input allocates to the stored assignments again.
fn reproduces(input: &allocation::Input, results: &[ResultRow]) -> bool {
    let Ok(out) = allocation::allocate(input) else { return false };
    results.len() == out.assignments.len()
        && results.iter().all(|r| out.assignments.get(&r.application_id).is_some_and(|a| *a == r.facility_id))
}

/// `GET /staff/waitlist/rounds/{id}/input.json`: the round's input, for `dolbom allocate --input`.
pub async fn input_json(State(state): State<AppState>, Path(id): Path<String>) -> AppResult<Response> {
    let input = store::round_input(&state.db, state.municipality(), &id).await?.ok_or(AppError::NotFound)?;
    let disposition = format!("attachment; filename=\"round-{id}.json\"");
    Ok(([(header::CONTENT_TYPE, "application/json".to_string()), (header::CONTENT_DISPOSITION, disposition)], input)
        .into_response())
}

#[derive(Template)]
#[template(path = "waitlist/enrol.html")]
struct EnrolPage {
    page: Page,
    facilities: Vec<CentrePlaces>,
}

/// A facility the user keeps: id, name, accepted places (offer, child's name, accepted at).
type CentrePlaces = (String, String, Vec<(String, String, i64)>);

impl EnrolPage {
    fn at(&self, millis: &i64) -> String {
        seoul_display(*millis)
    }
}

/// `GET /provider/waitlist`: the children who accepted a place at the user's centres, to enrol.
pub async fn enrol_page(State(state): State<AppState>, visitor: Visitor, user: CurrentUser) -> AppResult<Response> {
    let reader = Reader::of(&state, &user, &visitor);
    let mut facilities = Vec::new();
    let all = PlaceQuery { limit: usize::MAX, ..PlaceQuery::default() };
    for f in state.places.facilities(&all).iter().map(|h| &h.place).filter(|f| may_edit(&user, f)) {
        let accepted = offer_store::accepted_at(&state.db, &f.id).await?;
        if accepted.is_empty() {
            continue;
        }
        for (offer, _, _) in &accepted {
            audit::record_read(&state.db, &reader, RecordKind::WaitlistApplication, offer, Purpose::CareProvision)
                .await?;
        }
        facilities.push((f.id.clone(), f.name.clone(), accepted));
    }
    render(&EnrolPage { page: Page::new(&visitor, "waitlist-enrol-title"), facilities })
}

#[derive(Deserialize)]
pub struct EnrolForm {
    offer_id: String,
}

/// `POST /provider/waitlist/{facility}/enrol`: the child started; the centre's count grows by one.
pub async fn enrol(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(facility): Path<String>,
    CsrfForm(form): CsrfForm<EnrolForm>,
) -> AppResult<Response> {
    editable(&state, &visitor, &facility).await?;
    if !offer_store::enrol(&state.db, state.municipality(), &facility, &form.offer_id).await? {
        return Err(AppError::Conflict("waitlist_enrol_refused"));
    }
    if let Some(updated) = crate::places::store::get(&state.db, state.municipality(), &facility).await? {
        state.places.upsert_facility(updated);
    }
    Ok(Redirect::to("/provider/waitlist").into_response())
}
