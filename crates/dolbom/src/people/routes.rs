//! Staff pages for residents and households.

use askama::Template;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::Deserialize;

pub use super::household_page::HouseholdPage;
use super::model::{HouseholdSummary, ResidentRecord};
use super::store;
use crate::app::AppState;
use crate::audit::{Purpose, Reader};
use crate::auth::{CurrentUser, Visitor};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::web::{Page, render};

#[derive(Deserialize, Default)]
pub struct AreaQuery {
    #[serde(default)]
    area: String,
}

#[derive(Template)]
#[template(path = "people/households.html")]
struct HouseholdsPage {
    page: Page,
    area: String,
    choices: Vec<(String, String)>,
    households: Vec<HouseholdSummary>,
}

pub async fn households(
    State(state): State<AppState>,
    visitor: Visitor,
    user: CurrentUser,
    Query(q): Query<AreaQuery>,
) -> AppResult<Response> {
    let reader = Reader::of(&state, &user, &visitor);
    let area = Some(q.area.as_str()).filter(|a| !a.is_empty());
    let households = store::list_households(&state.db, &reader, &state.areas, area).await?;
    let choices = super::reach::area_choices(&state.areas, &user);
    render(&HouseholdsPage { page: Page::new(&visitor, "households-title"), area: q.area, choices, households })
}

#[derive(Deserialize, Default, utoipa::IntoParams)]
pub struct PurposeQuery {
    /// Why the record is opened: counselling, case_management, eligibility_check, complaint or emergency.
    #[serde(default)]
    pub purpose: String,
}

#[derive(Template)]
#[template(path = "people/purpose.html")]
struct PurposePage {
    page: Page,
    action: String,
    purposes: [Purpose; 5],
    errors: FieldErrors,
}

/// The page that asks why a record is opened (nothing is read or logged before a purpose is chosen).
fn ask_purpose(visitor: &Visitor, query: &PurposeQuery, action: String) -> AppResult<Response> {
    let mut errors = FieldErrors::default();
    if !query.purpose.is_empty() {
        errors.add("purpose", "field-choice-invalid");
    }
    render(&PurposePage { page: Page::new(visitor, "purpose-title"), action, purposes: Purpose::CASEWORK, errors })
}

pub async fn household(
    State(state): State<AppState>,
    visitor: Visitor,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(q): Query<PurposeQuery>,
) -> AppResult<Response> {
    let Some(purpose) = Purpose::parse_casework(&q.purpose) else {
        return ask_purpose(&visitor, &q, format!("/staff/households/{id}"));
    };
    render(&HouseholdPage::load(&state, &visitor, &user, &id, purpose).await?)
}

#[derive(Template)]
#[template(path = "people/resident.html")]
struct ResidentPage {
    page: Page,
    resident: ResidentRecord,
    purpose: Purpose,
}

pub async fn resident(
    State(state): State<AppState>,
    visitor: Visitor,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(q): Query<PurposeQuery>,
) -> AppResult<Response> {
    let Some(purpose) = Purpose::parse_casework(&q.purpose) else {
        return ask_purpose(&visitor, &q, format!("/staff/residents/{id}"));
    };
    let reader = Reader::of(&state, &user, &visitor);
    let resident = store::read_resident(&state.db, &state.keys, &state.areas, &reader, &id, purpose).await?;
    render(&ResidentPage { page: Page::new(&visitor, "resident-title"), resident, purpose })
}

/// `GET /api/v1/residents/{id}`
#[utoipa::path(get, path = "/api/v1/residents/{id}", tag = "people", params(("id" = String, Path, description = "Resident id"), PurposeQuery),
    responses((status = 200, description = "The resident's record; the read is written to the access log", body = ResidentRecord),
              (status = 401, description = "Not signed in", body = crate::api::problem::Problem),
              (status = 403, description = "Role may not read people", body = crate::api::problem::Problem),
              (status = 404, description = "No such resident in the reader's 행정동s", body = crate::api::problem::Problem),
              (status = 422, description = "Purpose missing or unknown", body = crate::api::problem::Problem)))]
pub async fn api_resident(
    State(state): State<AppState>,
    visitor: Visitor,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(q): Query<PurposeQuery>,
) -> AppResult<Json<ResidentRecord>> {
    let purpose = Purpose::parse_casework(&q.purpose).ok_or_else(|| {
        let mut errors = FieldErrors::default();
        errors.add("purpose", if q.purpose.is_empty() { "field-required" } else { "field-choice-invalid" });
        AppError::Invalid(errors)
    })?;
    let record =
        store::read_resident(&state.db, &state.keys, &state.areas, &Reader::of(&state, &user, &visitor), &id, purpose)
            .await?;
    Ok(Json(record))
}
