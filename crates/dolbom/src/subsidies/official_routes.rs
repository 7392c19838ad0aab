//! Officials run the subsidy programmes: open one with its rubric, score applications, decide them and their plan
//! changes, and record what is paid. Each step is refused on the grant's page with its reasons.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::forms::{ProgrammeForm, krw, points, rubric_rows};
use super::grant_routes::{Part, Refusal, page, visible};
use super::ledger_store;
use super::queries::{self, Application};
use super::routes::programme_of;
use super::store::{self, NewProgramme, Programme, SubsidyError};
use crate::app::AppState;
use crate::auth::{CsrfForm, CurrentUser, Visitor};
use crate::cases::model::date;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::notify;
use crate::web::{Page, render_with_status};

#[derive(Template)]
#[template(path = "subsidies/official.html")]
struct OfficialPage {
    page: Page,
    programmes: Vec<(Programme, usize)>,
    form: ProgrammeForm,
    errors: FieldErrors,
}

impl OfficialPage {
    fn criterion_rows(&self) -> Vec<(String, String)> {
        rubric_rows(&self.form.criterion_name, &self.form.criterion_max)
    }
}

async fn official_page(
    state: &AppState,
    visitor: &Visitor,
    form: ProgrammeForm,
    errors: FieldErrors,
) -> AppResult<Response> {
    let mut programmes = Vec::new();
    for p in queries::programmes(&state.db, state.municipality()).await? {
        let n = queries::applications_to(&state.db, &p.id).await?.len();
        programmes.push((p, n));
    }
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    render_with_status(
        status,
        &OfficialPage { page: Page::new(visitor, "subsidy-official-title"), programmes, form, errors },
    )
}

/// `GET /official/subsidies`
pub async fn list(State(state): State<AppState>, visitor: Visitor) -> AppResult<Response> {
    let form = ProgrammeForm { criterion_name: vec![String::new(); 4], ..Default::default() };
    official_page(&state, &visitor, form, FieldErrors::default()).await
}

/// `POST /official/subsidies`: a new programme.
pub async fn create(
    State(state): State<AppState>,
    visitor: Visitor,
    user: CurrentUser,
    CsrfForm(form): CsrfForm<ProgrammeForm>,
) -> AppResult<Response> {
    let d = match form.read() {
        Ok(d) => d,
        Err(errors) => return official_page(&state, &visitor, form, errors).await,
    };
    let p = NewProgramme {
        name: form.name.trim(),
        description: form.description.trim(),
        eligibility: form.eligibility.trim(),
        documents: form.documents.trim(),
        budget_krw: d.budget,
        max_grant_krw: d.max_grant,
        opens_on: d.opens_on,
        closes_on: d.closes_on,
        rubric: &d.rubric,
    };
    let id = store::create_programme(&state.db, state.municipality(), &user.id, &p).await?;
    Ok(Redirect::to(&format!("/subsidies/{id}")).into_response())
}

#[derive(Deserialize, Default)]
pub struct ReviewForm {
    #[serde(default)]
    pub points: Vec<String>,
    #[serde(default)]
    pub comment: String,
}

/// `POST /grants/{id}/reviews`: this official's sheet (a second one replaces the first until the decision).
pub async fn review(
    State(state): State<AppState>,
    visitor: Visitor,
    user: CurrentUser,
    Path(id): Path<String>,
    CsrfForm(f): CsrfForm<ReviewForm>,
) -> AppResult<Response> {
    let a = visible(&state, &user, &id).await?;
    let p = programme_of(&state, &a.programme_id).await?;
    let outcome = match points(&f.points, &p.criteria()) {
        Ok(points) => store::review(&state.db, &p, &a.id, &user.id, &points, &f.comment).await,
        Err(errors) => return refuse(&state, &visitor, &user, a, Part::Review, errors, None).await,
    };
    finish(&state, &visitor, &user, a, Part::Review, outcome).await
}

#[derive(Deserialize, Default)]
pub struct DecisionForm {
    #[serde(default)]
    decision: String,
    #[serde(default)]
    granted: String,
    #[serde(default)]
    reason: String,
}

impl DecisionForm {
    /// Approve (`true`) or reject; a rejection needs its reason.
    fn choice(&self) -> Result<bool, FieldErrors> {
        let mut errors = FieldErrors::default();
        let approve = match self.decision.as_str() {
            "approve" => true,
            "reject" => false,
            _ => {
                errors.add("decision", "field-choice-invalid");
                false
            }
        };
        if !approve && self.reason.trim().is_empty() {
            errors.add("reason", "subsidy-error-reason");
        }
        errors.into_result(approve)
    }

    /// `Some(amount)` to approve (at most what was asked), `None` to reject.
    fn grant(&self, requested: i64) -> Result<Option<i64>, FieldErrors> {
        if !self.choice()? {
            return Ok(None);
        }
        let mut errors = FieldErrors::default();
        let granted = krw(&self.granted).filter(|g| *g > 0 && *g <= requested);
        if granted.is_none() {
            errors.add("granted", "subsidy-error-granted");
        }
        errors.into_result(granted)
    }
}

/// `POST /grants/{id}/decision`: approved with the amount granted, or rejected with a reason; the leader is told.
pub async fn decide(
    State(state): State<AppState>,
    visitor: Visitor,
    user: CurrentUser,
    Path(id): Path<String>,
    CsrfForm(f): CsrfForm<DecisionForm>,
) -> AppResult<Response> {
    let a = visible(&state, &user, &id).await?;
    let outcome = match f.grant(a.requested_krw) {
        Ok(granted) => store::decide(&state.db, &a.id, &user.id, granted, &f.reason).await,
        Err(errors) => return refuse(&state, &visitor, &user, a, Part::Decision, errors, None).await,
    };
    if outcome.is_ok() {
        tell(&state, &a, "notify-subsidy-decided").await?;
    }
    finish(&state, &visitor, &user, a, Part::Decision, outcome).await
}

/// `POST /grants/{id}/changes/{item}/decision`: a plan change approved (checked again against the spending) or
/// rejected with a reason.
pub async fn decide_change(
    State(state): State<AppState>,
    visitor: Visitor,
    user: CurrentUser,
    Path((id, version)): Path<(String, String)>,
    CsrfForm(f): CsrfForm<DecisionForm>,
) -> AppResult<Response> {
    let a = visible(&state, &user, &id).await?;
    let version: i32 = version.parse().map_err(|_| AppError::NotFound)?;
    let outcome = match f.choice() {
        Ok(approve) => ledger_store::decide_change(&state.db, &a.id, version, &user.id, approve, &f.reason).await,
        Err(errors) => return refuse(&state, &visitor, &user, a, Part::Change, errors, None).await,
    };
    if outcome.is_ok() {
        tell(&state, &a, "notify-subsidy-change-decided").await?;
    }
    finish(&state, &visitor, &user, a, Part::Change, outcome).await
}

#[derive(Deserialize, Default)]
pub struct DisburseForm {
    #[serde(default)]
    amount: String,
    #[serde(default)]
    paid_on: String,
}

/// `POST /grants/{id}/disbursements`: money paid to the group, within the grant, after the agreement.
pub async fn disburse(
    State(state): State<AppState>,
    visitor: Visitor,
    user: CurrentUser,
    Path(id): Path<String>,
    CsrfForm(f): CsrfForm<DisburseForm>,
) -> AppResult<Response> {
    let a = visible(&state, &user, &id).await?;
    let mut errors = FieldErrors::default();
    let amount = krw(&f.amount).filter(|n| *n > 0);
    if amount.is_none() {
        errors.add("amount", "field-number-invalid");
    }
    let paid_on = date(&f.paid_on);
    if paid_on.is_none() {
        errors.add("paid_on", "field-date-invalid");
    }
    let outcome = match (amount, paid_on) {
        (Some(amount), Some(paid_on)) => ledger_store::disburse(&state.db, &a.id, amount, paid_on, &user.id).await,
        _ => return refuse(&state, &visitor, &user, a, Part::Disburse, errors, None).await,
    };
    finish(&state, &visitor, &user, a, Part::Disburse, outcome).await
}

async fn tell(state: &AppState, a: &Application, key: &str) -> AppResult<()> {
    let args = serde_json::json!({ "title": a.title });
    notify::send(&state.db, std::slice::from_ref(&a.applicant_id), key, &args, &format!("/grants/{}", a.id)).await?;
    Ok(())
}

async fn refuse(
    state: &AppState,
    visitor: &Visitor,
    user: &CurrentUser,
    a: Application,
    part: Part,
    errors: FieldErrors,
    e: Option<&SubsidyError>,
) -> AppResult<Response> {
    page(state, visitor, user, a, Some((Refusal::new(part, errors), e))).await
}

async fn finish<T>(
    state: &AppState,
    visitor: &Visitor,
    user: &CurrentUser,
    a: Application,
    part: Part,
    outcome: Result<T, SubsidyError>,
) -> AppResult<Response> {
    match outcome {
        Ok(_) => Ok(Redirect::to(&format!("/grants/{}", a.id)).into_response()),
        Err(e) => refuse(state, visitor, user, a, part, FieldErrors::default(), Some(&e)).await,
    }
}
