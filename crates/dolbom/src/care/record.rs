//! One application's page — the same record for the guardian, the provider and officials, printable in place of
//! the paper form — and the actions each of them may take on it. Providers' and officials' reads of it (the
//! child's record is on it) land in the access log.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::flow::Explanation;
use super::followup_store::{self, Incident, Survey};
use super::lifecycle::{self, SEVERITIES};
use super::model::Status;
use super::offer_store::{self, Offer};
use super::store::{self, Application, Event};
use super::{caregiver_store, flow};
use crate::app::AppState;
use crate::audit::{self, Purpose, Reader, RecordKind};
use crate::auth::{CsrfForm, CurrentUser, Role, Visitor};
use crate::children::store::{self as children, ChildRecord};
use crate::db::time::{seoul_display, seoul_today};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::web::{Page, render};

/// Whose record it is to the person looking.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Viewer {
    Guardian,
    Provider,
    Official,
}

/// How `user` stands to the application; `None` for anyone with no business with it.
pub fn viewer_of(state: &AppState, user: &CurrentUser, a: &Application) -> Option<Viewer> {
    if a.guardian_id == user.id {
        return Some(Viewer::Guardian);
    }
    match user.role {
        Role::Official => Some(Viewer::Official),
        Role::Caregiver if a.caregiver_id.as_deref() == Some(user.id.as_str()) => Some(Viewer::Provider),
        Role::ProviderStaff => {
            let facility = a.facility_id.as_deref().and_then(|f| state.places.facility(f))?;
            let same = facility.organization_id.is_some() && facility.organization_id == user.organization_id;
            same.then_some(Viewer::Provider)
        }
        _ => None,
    }
}

async fn load(state: &AppState, user: &CurrentUser, id: &str) -> AppResult<(Application, Viewer)> {
    let a = store::get(&state.db, state.municipality(), id).await?.ok_or(AppError::NotFound)?;
    let viewer = viewer_of(state, user, &a).ok_or(AppError::NotFound)?;
    Ok((a, viewer))
}

#[derive(Template)]
#[template(path = "care/application.html")]
struct RecordPage {
    page: Page,
    a: Application,
    viewer: Viewer,
    child: Option<ChildRecord>,
    age_that_day: i32,
    explanation: Explanation,
    offers: Vec<(Offer, String)>,
    open_offer: Option<Offer>,
    events: Vec<Event>,
    survey: Option<Survey>,
    incidents: Vec<Incident>,
    severities: [&'static str; 2],
}

impl RecordPage {
    fn at(&self, millis: &i64) -> String {
        seoul_display(*millis)
    }

    fn is(&self, status: &str) -> bool {
        self.a.status == status
    }

    fn provider_view(&self) -> bool {
        self.viewer == Viewer::Provider
    }

    fn guardian_view(&self) -> bool {
        self.viewer == Viewer::Guardian
    }

    fn cancellable(&self) -> bool {
        self.a.status().cancellable()
    }

    fn may_report(&self) -> bool {
        self.viewer != Viewer::Official
            && matches!(self.a.status(), Status::CheckedIn | Status::CheckedOut | Status::Completed | Status::Confirmed)
    }
}

pub async fn page(
    State(state): State<AppState>,
    visitor: Visitor,
    user: CurrentUser,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let (a, viewer) = load(&state, &user, &id).await?;
    if viewer != Viewer::Guardian {
        let reader = Reader::of(&state, &user, &visitor);
        audit::record_read(&state.db, &reader, RecordKind::CareApplication, &a.id, Purpose::CareProvision).await?;
    }
    let child =
        children::for_guardian(&state.db, &state.keys, state.municipality(), &a.guardian_id, &a.child_id).await?;
    let age_that_day = child.as_ref().map_or(0, |c| crate::db::time::age_on(c.birth_date, a.first_day));
    let offers = offer_store::offers(&state.db, &a.id).await?;
    let open_offer = offers.iter().rev().find(|o| o.answer.is_none()).cloned();
    let caregivers = caregiver_store::active(&state.db, state.municipality()).await?;
    let named = offers
        .into_iter()
        .map(|o| {
            let name = match (&o.facility_id, &o.caregiver_id) {
                (Some(f), _) => state.places.facility(f).map(|f| f.name.clone()),
                (None, Some(c)) => caregivers.iter().find(|g| &g.user_id == c).map(|g| g.name.clone()),
                _ => None,
            };
            (o, name.unwrap_or_default())
        })
        .collect();
    let page = RecordPage {
        page: Page::new(&visitor, "care-application-title"),
        explanation: serde_json::from_str(&a.explanation).unwrap_or_default(),
        events: store::events(&state.db, &a.id).await?,
        survey: followup_store::survey(&state.db, &a.id).await?,
        incidents: followup_store::incidents(&state.db, &a.id).await?,
        offers: named,
        open_offer,
        child,
        age_that_day,
        viewer,
        a,
        severities: SEVERITIES,
    };
    render(&page)
}

/// Every action's form: only the fields that action reads matter.
#[derive(Deserialize, Default)]
pub struct ActionForm {
    #[serde(default)]
    reason: String,
    #[serde(default)]
    satisfaction: String,
    #[serde(default)]
    comment: String,
    #[serde(default)]
    severity: String,
    #[serde(default)]
    description: String,
}

fn back(id: &str) -> AppResult<Response> {
    Ok(Redirect::to(&format!("/care/applications/{id}")).into_response())
}

async fn as_viewer(state: &AppState, user: &CurrentUser, id: &str, who: Viewer) -> AppResult<Application> {
    let (a, viewer) = load(state, user, id).await?;
    if viewer != who {
        return Err(AppError::NotFound);
    }
    Ok(a)
}

type Action = (State<AppState>, CurrentUser, Path<String>, CsrfForm<ActionForm>);

pub async fn cancel((State(state), user, Path(id), _): Action) -> AppResult<Response> {
    let a = as_viewer(&state, &user, &id, Viewer::Guardian).await?;
    lifecycle::cancel(&state, &a, &user.id).await?;
    back(&id)
}

pub async fn survey(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<ActionForm>,
) -> AppResult<Response> {
    let a = as_viewer(&state, &user, &id, Viewer::Guardian).await?;
    let satisfaction: i32 = form.satisfaction.trim().parse().unwrap_or(0);
    let mut errors = FieldErrors::default();
    if !(1..=5).contains(&satisfaction) {
        errors.add("satisfaction", "care-error-satisfaction");
    }
    if form.comment.chars().count() > 1000 {
        errors.add("comment", "field-text-too-long");
    }
    errors.into_result(())?;
    lifecycle::survey(&state, &a, &user.id, satisfaction, form.comment.trim()).await?;
    back(&id)
}

pub async fn incident(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<ActionForm>,
) -> AppResult<Response> {
    let (a, viewer) = load(&state, &user, &id).await?;
    if viewer == Viewer::Official {
        return Err(AppError::NotFound);
    }
    let mut errors = FieldErrors::default();
    if !SEVERITIES.contains(&form.severity.as_str()) {
        errors.add("severity", "field-choice-invalid");
    }
    if form.description.trim().is_empty() || form.description.chars().count() > 2000 {
        errors.add("description", "field-required");
    }
    errors.into_result(())?;
    lifecycle::incident(&state, &a, &user.id, &form.severity, &form.description).await?;
    back(&id)
}

pub async fn accept((State(state), user, Path(id), _): Action) -> AppResult<Response> {
    let a = as_viewer(&state, &user, &id, Viewer::Provider).await?;
    flow::accept(&state, &a, &user.id).await?;
    back(&id)
}

pub async fn decline((State(state), user, Path(id), CsrfForm(form)): Action) -> AppResult<Response> {
    let a = as_viewer(&state, &user, &id, Viewer::Provider).await?;
    let reason = form.reason.trim();
    if reason.is_empty() || reason.chars().count() > 500 {
        let mut errors = FieldErrors::default();
        errors.add("reason", "care-error-decline-reason");
        return Err(errors.into());
    }
    flow::decline(&state, &a, &user.id, reason).await?;
    Ok(Redirect::to("/care/work").into_response())
}

pub async fn check_in((State(state), user, Path(id), _): Action) -> AppResult<Response> {
    let a = as_viewer(&state, &user, &id, Viewer::Provider).await?;
    lifecycle::check_in(&state, &a, &user.id, seoul_today()).await?;
    back(&id)
}

pub async fn check_out((State(state), user, Path(id), _): Action) -> AppResult<Response> {
    let a = as_viewer(&state, &user, &id, Viewer::Provider).await?;
    lifecycle::check_out(&state, &a, &user.id, seoul_today()).await?;
    back(&id)
}

pub async fn no_show((State(state), user, Path(id), _): Action) -> AppResult<Response> {
    let a = as_viewer(&state, &user, &id, Viewer::Provider).await?;
    lifecycle::no_show(&state, &a, &user.id, seoul_today()).await?;
    back(&id)
}
