//! Guardians' pages: the application form (with the rules and the places free now beside it), sending it (checked,
//! stored, matched at once), and the list of their applications.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::flow;
use super::model::{ApplyForm, REASONS};
use super::routes::{ServiceCard, service_cards};
use super::store::{self, Application, CareError};
use crate::app::AppState;
use crate::auth::{CsrfForm, CurrentUser, Visitor};
use crate::children::store::{self as children, ChildSummary};
use crate::db::time::{seoul_display, seoul_today};
use crate::error::{AppResult, FieldErrors};
use crate::places::model::LANGUAGES;
use crate::web::reads::Reads;
use crate::web::{Page, render, render_with_status};

#[derive(Template)]
#[template(path = "care/apply.html")]
struct ApplyPage {
    page: Page,
    form: ApplyForm,
    errors: FieldErrors,
    children: Vec<ChildSummary>,
    cards: Vec<ServiceCard>,
    /// 행정동 codes and names.
    dongs: Vec<(String, String)>,
    reasons: [&'static str; 5],
    languages: [&'static str; 6],
}

#[derive(Deserialize, Default)]
pub struct Preset {
    #[serde(default)]
    service: String,
    #[serde(default)]
    child: String,
}

async fn apply_page(
    state: &AppState,
    visitor: &Visitor,
    user: &CurrentUser,
    form: ApplyForm,
    errors: FieldErrors,
) -> AppResult<ApplyPage> {
    Ok(ApplyPage {
        page: Page::new(visitor, "care-apply-title"),
        form,
        errors,
        children: children::of_guardian(&state.db, state.municipality(), &user.id).await?,
        cards: service_cards(state),
        dongs: state.areas.choices(),
        reasons: REASONS,
        languages: LANGUAGES,
    })
}

pub async fn form(
    State(state): State<AppState>,
    visitor: Visitor,
    user: CurrentUser,
    Query(preset): Query<Preset>,
) -> AppResult<Response> {
    let form = ApplyForm {
        service: preset.service,
        child_id: preset.child,
        first_day: seoul_today().succ_opt().unwrap_or_default().to_string(),
        days: "1".into(),
        ..ApplyForm::default()
    };
    render(&apply_page(&state, &visitor, &user, form, FieldErrors::default()).await?)
}

/// Checks and stores the application, then matches it at once; the guardian lands on its page.
pub async fn submit(
    State(state): State<AppState>,
    visitor: Visitor,
    user: CurrentUser,
    CsrfForm(form): CsrfForm<ApplyForm>,
) -> AppResult<Response> {
    let mine = children::of_guardian(&state.db, state.municipality(), &user.id).await?;
    let birth = mine.iter().find(|c| c.id == form.child_id).map(|c| c.birth_date);
    let now = chrono::Utc::now().with_timezone(&chrono_tz::Asia::Seoul).naive_local();
    let checked = form.check(birth, now, |code| state.areas.get(code).is_some());
    let application = match checked {
        Ok(a) => a,
        Err(errors) => return refused(&state, &visitor, &user, form, errors).await,
    };
    let point = state.areas.inner_point(&application.adm_cd2).unwrap_or_else(|| state.areas.center());
    let id = match store::submit(&state.db, state.municipality(), &user.id, &application, point).await {
        Ok(id) => id,
        Err(CareError::Overlap) => {
            let mut errors = FieldErrors::default();
            errors.add("first_day", "care-error-overlap");
            return refused(&state, &visitor, &user, form, errors).await;
        }
        Err(e) => return Err(e.into()),
    };
    flow::match_one(&state, &id).await?;
    Ok(Redirect::to(&format!("/care/applications/{id}")).into_response())
}

async fn refused(
    state: &AppState,
    visitor: &Visitor,
    user: &CurrentUser,
    form: ApplyForm,
    errors: FieldErrors,
) -> AppResult<Response> {
    let page = apply_page(state, visitor, user, form, errors).await?;
    render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

#[derive(Template)]
#[template(path = "care/applications.html")]
struct ListPage {
    page: Page,
    applications: Vec<Application>,
}

impl ListPage {
    fn sent(&self, a: &Application) -> String {
        seoul_display(a.created_at)
    }
}

pub async fn list(
    State(state): State<AppState>,
    Reads(db): Reads,
    visitor: Visitor,
    user: CurrentUser,
) -> AppResult<Response> {
    let applications = store::of_guardian(&db, state.municipality(), &user.id).await?;
    render(&ListPage { page: Page::new(&visitor, "care-applications-title"), applications })
}
