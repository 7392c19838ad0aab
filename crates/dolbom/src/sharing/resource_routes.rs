//! `/staff/resources`: resources found in the field, proposed by welfare workers (from a visit or on their own)
//! and reviewed by officials; an approved one is a directory service from then on.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::resources::{self, KINDS, NewResource, Resource, ReviewError};
use crate::app::AppState;
use crate::auth::{CsrfForm, CurrentUser, Role, Visitor};
use crate::cases::model::text;
use crate::db::time::{Millis, seoul_display};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::web::{Page, render, render_with_status};

#[derive(Clone, Debug, Default, Deserialize)]
pub struct ResourceForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    contact: String,
    #[serde(default)]
    area: String,
    /// The visit it was found on, when proposed from one.
    #[serde(default)]
    visit_id: String,
}

#[derive(Template)]
#[template(path = "sharing/resources.html")]
struct ResourcesPage {
    page: Page,
    resources: Vec<Resource>,
    kinds: [&'static str; 6],
    areas: Vec<(String, String)>,
    form: ResourceForm,
    errors: FieldErrors,
    may_propose: bool,
    may_review: bool,
}

impl ResourcesPage {
    fn when(&self, at: &Millis) -> String {
        seoul_display(*at)
    }
}

async fn page(state: &AppState, visitor: &Visitor, user: &CurrentUser, form: ResourceForm) -> AppResult<ResourcesPage> {
    let areas = crate::people::reach::area_choices(&state.areas, user);
    Ok(ResourcesPage {
        page: Page::new(visitor, "resources-title"),
        resources: resources::list(&state.db, state.municipality()).await?,
        kinds: KINDS,
        areas,
        form,
        errors: FieldErrors::default(),
        may_propose: user.role == Role::WelfareWorker,
        may_review: user.role == Role::Official,
    })
}

#[derive(Deserialize, Default)]
pub struct FromVisit {
    /// The visit the resource is being added from (`/staff/visits/{id}` links here with it).
    #[serde(default)]
    visit: String,
}

/// `GET /staff/resources`
pub async fn list(
    State(state): State<AppState>,
    visitor: Visitor,
    user: CurrentUser,
    Query(q): Query<FromVisit>,
) -> AppResult<Response> {
    let visit = crate::outreach::store::get(&state.db, state.municipality(), &q.visit).await?;
    let form = match visit.filter(|v| v.worker_id == user.id) {
        Some(v) => ResourceForm { visit_id: v.id, area: v.adm_cd2, ..ResourceForm::default() },
        None => ResourceForm::default(),
    };
    render(&page(&state, &visitor, &user, form).await?)
}

/// `POST /staff/resources`: a worker proposes a resource found in one of their 행정동s.
pub async fn propose(
    State(state): State<AppState>,
    visitor: Visitor,
    user: CurrentUser,
    CsrfForm(form): CsrfForm<ResourceForm>,
) -> AppResult<Response> {
    let mut errors = FieldErrors::default();
    let name = text(&mut errors, "name", &form.name);
    let description = text(&mut errors, "description", &form.description);
    if !KINDS.contains(&form.kind.as_str()) {
        errors.add("kind", "field-choice-invalid");
    }
    if !user.areas.contains(&form.area) {
        errors.add("area", "field-choice-invalid");
    }
    if errors.is_empty() {
        let r = NewResource {
            adm_cd2: &form.area,
            visit_id: Some(form.visit_id.as_str()).filter(|v| !v.is_empty()),
            name: &name,
            kind: &form.kind,
            description: &description,
            contact: form.contact.trim(),
        };
        resources::propose(&state.db, state.municipality(), &r, &user.id).await?;
        return Ok(Redirect::to("/staff/resources").into_response());
    }
    let mut page = page(&state, &visitor, &user, form).await?;
    page.errors = errors;
    render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

#[derive(Deserialize)]
pub struct ReviewForm {
    #[serde(default)]
    decision: String,
    #[serde(default)]
    note: String,
}

/// `POST /staff/resources/{id}/review`: an official approves (into the directory) or rejects, with a reason.
pub async fn review(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<ReviewForm>,
) -> AppResult<Response> {
    let approve = match form.decision.as_str() {
        "approve" => true,
        "reject" => false,
        _ => return Err(AppError::BadRequest("decision_unknown")),
    };
    if !approve && form.note.trim().is_empty() {
        return Err(AppError::Conflict("resource-error-reject-reason"));
    }
    match resources::review(&state.db, state.municipality(), &id, approve, form.note.trim(), &user.id).await {
        Ok(_) => Ok(Redirect::to("/staff/resources").into_response()),
        Err(ReviewError::NotProposed) => Err(AppError::Conflict("resource-error-reviewed")),
        Err(ReviewError::Db(e)) => Err(e.into()),
    }
}
