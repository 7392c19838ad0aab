//! Case pages: the agency's list (its own open cases and those shared with it), a case with its needs, plan,
//! reviews and timeline, and the forms that change it. Reading a case is a logged read of the household.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::DOMAINS;
use super::model::{AssessForm, CLOSURE_REASONS, CloseForm, OpenForm, PlanForm, ReviewForm, text};
use super::store::{self, Case, CaseError, Need, Plan};
use super::timeline::{self, Event};
use crate::app::AppState;
use crate::audit::{self, Purpose, Reader, RecordKind};
use crate::auth::{CsrfForm, CurrentUser, NoFields, Role, Visitor};
use crate::db::time::{Millis, seoul_display, seoul_today};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::people::reach;
use crate::people::routes::HouseholdPage;
use crate::web::{Page, render, render_with_status};

#[derive(Template)]
#[template(path = "cases/list.html")]
struct ListPage {
    page: Page,
    mine: Vec<Case>,
    shared: Vec<Case>,
    today: chrono::NaiveDate,
}

/// `GET /staff/cases`: the agency's open cases, reviews due first, and the cases other agencies share with it.
/// Officials see every open case.
pub async fn list(State(state): State<AppState>, visitor: Visitor, user: CurrentUser) -> AppResult<Response> {
    let (mine, shared) = match (user.role, user.organization_id.as_deref()) {
        (Role::Official, _) => (store::open_in(&state.db, state.municipality()).await?, Vec::new()),
        (_, Some(agency)) => (
            store::open_of_agency(&state.db, agency).await?,
            store::shared_with(&state.db, state.municipality(), agency).await?,
        ),
        (_, None) => (Vec::new(), Vec::new()),
    };
    render(&ListPage { page: Page::new(&visitor, "cases-title"), mine, shared, today: seoul_today() })
}

/// `POST /staff/households/{id}/cases`: opens a case for the worker's agency.
pub async fn open(
    State(state): State<AppState>,
    visitor: Visitor,
    user: CurrentUser,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<OpenForm>,
) -> AppResult<Response> {
    let mut page = HouseholdPage::load(&state, &visitor, &user, &id, Purpose::CaseManagement).await?;
    let mut errors = FieldErrors::default();
    let summary = text(&mut errors, "summary", &form.summary);
    let agency = user.organization_id.as_deref();
    if agency.is_none() {
        errors.add("summary", "ledger-error-no-agency");
    }
    if let (true, Some(agency)) = (errors.is_empty(), agency) {
        let case = store::open(&state.db, state.municipality(), &id, agency, &user.id, &summary).await;
        return Ok(Redirect::to(&format!("/staff/cases/{}", case?)).into_response());
    }
    page.refuse("case", errors, &[("summary", form.summary)]);
    render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

#[derive(Template)]
#[template(path = "cases/case.html")]
struct CasePage {
    page: Page,
    case: Case,
    needs: Vec<Need>,
    plan: Vec<Plan>,
    events: Vec<Event>,
    /// Whether the reader's agency holds the case and it is open: the forms are shown.
    may_change: bool,
    domains: [&'static str; 8],
    reasons: [&'static str; 5],
    /// The form that was refused, its errors and what was typed.
    failed: &'static str,
    errors: FieldErrors,
    typed: Vec<(&'static str, String)>,
}

impl CasePage {
    fn when(&self, at: &Millis) -> String {
        seoul_display(*at)
    }

    fn typed(&self, field: &str) -> &str {
        self.typed.iter().find(|(f, _)| *f == field).map(|(_, v)| v.as_str()).unwrap_or_default()
    }

    fn errors_of(&self, form: &str) -> FieldErrors {
        if self.failed == form { self.errors.clone() } else { FieldErrors::default() }
    }
}

/// The case as the reader may see it: within reach of its household, or 404; the read is logged.
async fn load(state: &AppState, visitor: &Visitor, user: &CurrentUser, id: &str) -> AppResult<CasePage> {
    let case = store::get(&state.db, state.municipality(), id).await?.ok_or(AppError::NotFound)?;
    let reader = Reader::of(state, user, visitor);
    if !reach::reaches(&state.db, &reader, &case.household_id, &case.adm_cd2).await? {
        return Err(AppError::NotFound);
    }
    audit::record_read(&state.db, &reader, RecordKind::Case, &case.id, Purpose::CaseManagement).await?;
    Ok(CasePage {
        page: Page::new(visitor, "case-title"),
        needs: store::needs(&state.db, &case.id).await?,
        plan: store::plan(&state.db, &case.id).await?,
        events: timeline::of_case(&state.db, &case).await?,
        may_change: case.status == "open" && user.organization_id.as_deref() == Some(case.agency_id.as_str()),
        case,
        domains: DOMAINS,
        reasons: CLOSURE_REASONS,
        failed: "",
        errors: FieldErrors::default(),
        typed: Vec::new(),
    })
}

/// `GET /staff/cases/{id}`
pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    user: CurrentUser,
    Path(id): Path<String>,
) -> AppResult<Response> {
    render(&load(&state, &visitor, &user, &id).await?)
}

/// What a case form asks the store to do, once checked.
enum Change {
    Assess(super::model::Assessment),
    Plan(super::model::PlanItem),
    Done(String),
    Review(String, chrono::NaiveDate),
    Close(String, String),
}

async fn apply(state: &AppState, user: &CurrentUser, case_id: &str, change: Change) -> Result<(), CaseError> {
    let (db, agency, by) = (&state.db, user.organization_id.as_deref().unwrap_or_default(), user.id.as_str());
    match change {
        Change::Assess(a) => store::assess(db, case_id, agency, by, &a).await,
        Change::Plan(item) => store::add_plan_item(db, case_id, agency, by, &item).await,
        Change::Done(item) => store::complete_plan_item(db, case_id, agency, &item).await,
        Change::Review(note, next) => store::review(db, case_id, agency, by, &note, next).await,
        Change::Close(reason, note) => store::close(db, case_id, agency, &reason, &note).await,
    }
}

/// Loads the case (reach and log), applies a checked change or shows the form's errors with what was typed.
async fn change(
    state: AppState,
    visitor: Visitor,
    user: CurrentUser,
    id: String,
    form: &'static str,
    checked: Result<Change, FieldErrors>,
    typed: Vec<(&'static str, String)>,
) -> AppResult<Response> {
    let mut page = load(&state, &visitor, &user, &id).await?;
    let errors = match checked {
        Ok(c) => {
            apply(&state, &user, &id, c).await?;
            return Ok(Redirect::to(&format!("/staff/cases/{id}#{form}")).into_response());
        }
        Err(errors) => errors,
    };
    (page.failed, page.errors, page.typed) = (form, errors, typed);
    render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

pub async fn assess(
    State(state): State<AppState>,
    visitor: Visitor,
    user: CurrentUser,
    Path(id): Path<String>,
    CsrfForm(f): CsrfForm<AssessForm>,
) -> AppResult<Response> {
    let typed = vec![("domain", f.domain.clone()), ("level", f.level.clone()), ("note", f.note.clone())];
    change(state, visitor, user, id, "assess", f.check().map(Change::Assess), typed).await
}

pub async fn plan(
    State(state): State<AppState>,
    visitor: Visitor,
    user: CurrentUser,
    Path(id): Path<String>,
    CsrfForm(f): CsrfForm<PlanForm>,
) -> AppResult<Response> {
    let typed = vec![("domain", f.domain.clone()), ("goal", f.goal.clone()), ("due_on", f.due_on.clone())];
    change(state, visitor, user, id, "plan", f.check(seoul_today()).map(Change::Plan), typed).await
}

pub async fn plan_done(
    State(state): State<AppState>,
    visitor: Visitor,
    user: CurrentUser,
    Path((id, item)): Path<(String, String)>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> AppResult<Response> {
    change(state, visitor, user, id, "plan", Ok(Change::Done(item)), Vec::new()).await
}

pub async fn review(
    State(state): State<AppState>,
    visitor: Visitor,
    user: CurrentUser,
    Path(id): Path<String>,
    CsrfForm(f): CsrfForm<ReviewForm>,
) -> AppResult<Response> {
    let typed = vec![("note", f.note.clone()), ("next_review_on", f.next_review_on.clone())];
    let checked = f.check(seoul_today()).map(|(note, next)| Change::Review(note, next));
    change(state, visitor, user, id, "review", checked, typed).await
}

pub async fn close(
    State(state): State<AppState>,
    visitor: Visitor,
    user: CurrentUser,
    Path(id): Path<String>,
    CsrfForm(f): CsrfForm<CloseForm>,
) -> AppResult<Response> {
    let typed = vec![("reason", f.reason.clone()), ("note", f.note.clone())];
    change(state, visitor, user, id, "close", f.check().map(|(r, n)| Change::Close(r, n)), typed).await
}

impl From<CaseError> for AppError {
    fn from(e: CaseError) -> AppError {
        match e {
            CaseError::UnknownHousehold => AppError::NotFound,
            CaseError::NotOpenHere => AppError::Conflict("case-error-not-open-here"),
            CaseError::Db(e) => AppError::Database(e),
        }
    }
}
