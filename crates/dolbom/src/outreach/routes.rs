//! Outreach pages: a worker's visits and follow-up tasks, one visit with its record form, scheduling from the
//! household page, and the households at risk per 행정동.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::model::{RISK_FLAGS, RecordForm, ScheduleForm};
use super::store::{self, AtRisk, Task, Visit, VisitError};
use crate::app::AppState;
use crate::audit::{self, Purpose, Reader, RecordKind};
use crate::auth::{CsrfForm, CurrentUser, NoFields, Visitor};
use crate::db::time::{Millis, seoul_display, seoul_today};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::people::reach;
use crate::people::routes::HouseholdPage;
use crate::web::{Page, render, render_with_status};

#[derive(Template)]
#[template(path = "outreach/mine.html")]
struct MinePage {
    page: Page,
    visits: Vec<Visit>,
    tasks: Vec<Task>,
    today: chrono::NaiveDate,
}

/// `GET /staff/visits`: the worker's visits to make, the latest made, and open follow-up tasks.
pub async fn mine(State(state): State<AppState>, visitor: Visitor, user: CurrentUser) -> AppResult<Response> {
    let visits = store::of_worker(&state.db, &user.id).await?;
    let tasks = store::open_tasks(&state.db, &user.id).await?;
    render(&MinePage { page: Page::new(&visitor, "visits-title"), visits, tasks, today: seoul_today() })
}

/// `POST /staff/households/{id}/visits`: schedules a visit for the worker.
pub async fn schedule(
    State(state): State<AppState>,
    visitor: Visitor,
    user: CurrentUser,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<ScheduleForm>,
) -> AppResult<Response> {
    let mut page = HouseholdPage::load(&state, &visitor, &user, &id, Purpose::CaseManagement).await?;
    let errors = match (form.check(seoul_today()), user.organization_id.as_deref()) {
        (Ok(on), Some(agency)) => {
            store::schedule(&state.db, state.municipality(), &id, &user.id, agency, on).await?;
            return Ok(Redirect::to("/staff/visits").into_response());
        }
        (Ok(_), None) => {
            let mut errors = FieldErrors::default();
            errors.add("scheduled_on", "ledger-error-no-agency");
            errors
        }
        (Err(errors), _) => errors,
    };
    page.refuse("visit", errors, &[("scheduled_on", form.scheduled_on)]);
    render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

#[derive(Template)]
#[template(path = "outreach/visit.html")]
struct VisitPage {
    page: Page,
    visit: Visit,
    /// The visit is the reader's own (they may record it once, and add resources found on it).
    is_mine: bool,
    may_record: bool,
    flags: [&'static str; 7],
    form: RecordForm,
    errors: FieldErrors,
}

impl VisitPage {
    fn when(&self, at: &Millis) -> String {
        seoul_display(*at)
    }

    fn flagged(&self, flag: &str) -> bool {
        self.form.flags.iter().any(|f| f == flag)
    }
}

async fn load(state: &AppState, visitor: &Visitor, user: &CurrentUser, id: &str) -> AppResult<VisitPage> {
    let visit = store::get(&state.db, state.municipality(), id).await?.ok_or(AppError::NotFound)?;
    let reader = Reader::of(state, user, visitor);
    if !reach::reaches(&state.db, &reader, &visit.household_id, &visit.adm_cd2).await? {
        return Err(AppError::NotFound);
    }
    audit::record_read(&state.db, &reader, RecordKind::Visit, &visit.id, Purpose::CaseManagement).await?;
    Ok(VisitPage {
        page: Page::new(visitor, "visit-title"),
        is_mine: visit.worker_id == user.id,
        may_record: visit.status == "scheduled" && visit.worker_id == user.id,
        visit,
        flags: RISK_FLAGS,
        form: RecordForm { outcome: "done".into(), risk_level: "0".into(), ..RecordForm::default() },
        errors: FieldErrors::default(),
    })
}

/// `GET /staff/visits/{id}`
pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    user: CurrentUser,
    Path(id): Path<String>,
) -> AppResult<Response> {
    render(&load(&state, &visitor, &user, &id).await?)
}

/// `POST /staff/visits/{id}`: the worker records the visit (made or missed), its risks and a follow-up task.
pub async fn record(
    State(state): State<AppState>,
    visitor: Visitor,
    user: CurrentUser,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<RecordForm>,
) -> AppResult<Response> {
    let mut page = load(&state, &visitor, &user, &id).await?;
    match form.check(seoul_today()) {
        Ok(r) => {
            store::record(&state.db, state.municipality(), &id, &user.id, &r).await?;
            Ok(Redirect::to(&format!("/staff/visits/{id}")).into_response())
        }
        Err(errors) => {
            (page.form, page.errors) = (form, errors);
            render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
    }
}

/// `POST /staff/tasks/{id}/done`
pub async fn task_done(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> AppResult<Response> {
    if !store::complete_task(&state.db, &user.id, &id).await? {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::to("/staff/visits#tasks").into_response())
}

#[derive(Deserialize, Default)]
pub struct AreaQuery {
    #[serde(default)]
    area: String,
}

#[derive(Template)]
#[template(path = "outreach/at_risk.html")]
struct AtRiskPage {
    page: Page,
    area: String,
    choices: Vec<(String, String)>,
    households: Vec<AtRisk>,
}

impl AtRiskPage {
    fn when(&self, at: &Millis) -> String {
        seoul_display(*at)
    }
}

/// `GET /staff/at-risk?area=`: the households at risk of one of the reader's 행정동s (officials: any).
pub async fn at_risk(
    State(state): State<AppState>,
    visitor: Visitor,
    user: CurrentUser,
    Query(q): Query<AreaQuery>,
) -> AppResult<Response> {
    let choices = reach::area_choices(&state.areas, &user);
    let area = if q.area.is_empty() { choices.first().map(|c| c.0.clone()).unwrap_or_default() } else { q.area };
    if !area.is_empty() && !choices.iter().any(|c| c.0 == area) {
        return Err(AppError::NotFound);
    }
    let households = store::at_risk(&state.db, state.municipality(), &area).await?;
    render(&AtRiskPage { page: Page::new(&visitor, "at-risk-title"), area, choices, households })
}

impl From<VisitError> for AppError {
    fn from(e: VisitError) -> AppError {
        match e {
            VisitError::UnknownHousehold => AppError::NotFound,
            VisitError::NotScheduledForYou => AppError::Conflict("visit-error-not-yours"),
            VisitError::Db(e) => AppError::Database(e),
        }
    }
}
