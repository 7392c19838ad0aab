//! Providers' and caregivers' page: offers waiting for an answer, today's children, what is coming; and for
//! facilities, how many emergency places they keep.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::caregiver_store;
use super::hold_store;
use super::model::Status;
use super::store::{self, Application};
use crate::app::AppState;
use crate::auth::{CsrfForm, CurrentUser, Role, Visitor};
use crate::db::time::seoul_today;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::web::{Page, render};

/// The most emergency places one facility may keep.
pub const MAX_PLACES: i32 = 50;

#[derive(Template)]
#[template(path = "care/work.html")]
struct WorkPage {
    page: Page,
    waiting: Vec<Application>,
    today: Vec<Application>,
    coming: Vec<Application>,
    /// The organization's facilities: id, name, emergency places.
    facilities: Vec<(String, String, i64)>,
}

async fn own_facilities(state: &AppState, user: &CurrentUser) -> AppResult<Vec<(String, String)>> {
    match (&user.organization_id, user.role) {
        (Some(org), Role::ProviderStaff) => {
            Ok(crate::places::store::of_organization(&state.db, state.municipality(), org).await?)
        }
        _ => Ok(Vec::new()),
    }
}

pub async fn page(State(state): State<AppState>, visitor: Visitor, user: CurrentUser) -> AppResult<Response> {
    let facilities = own_facilities(&state, &user).await?;
    let ids: Vec<String> = facilities.iter().map(|(id, _)| id.clone()).collect();
    let caregiver = (user.role == Role::Caregiver).then_some(user.id.as_str());
    let today = seoul_today();
    let all = store::of_providers(&state.db, state.municipality(), &ids, caregiver, today).await?;
    let places = caregiver_store::facility_places(&state.db).await?;
    let (mut waiting, mut now, mut coming) = (Vec::new(), Vec::new(), Vec::new());
    for a in all {
        match a.status() {
            Status::Matched => waiting.push(a),
            Status::Confirmed | Status::CheckedIn if a.first_day <= today => now.push(a),
            Status::Confirmed => coming.push(a),
            _ => {}
        }
    }
    let facilities = facilities
        .into_iter()
        .map(|(id, name)| {
            let n = places.iter().find(|(f, _)| *f == id).map_or(0, |(_, n)| *n);
            (id, name, n)
        })
        .collect();
    render(&WorkPage { page: Page::new(&visitor, "care-work-title"), waiting, today: now, coming, facilities })
}

#[derive(Deserialize, Default)]
pub struct PlacesForm {
    #[serde(default)]
    facility_id: String,
    #[serde(default)]
    places: String,
}

pub async fn set_places(
    State(state): State<AppState>,
    user: CurrentUser,
    CsrfForm(form): CsrfForm<PlacesForm>,
) -> AppResult<Response> {
    let facilities = own_facilities(&state, &user).await?;
    if !facilities.iter().any(|(id, _)| *id == form.facility_id) {
        return Err(AppError::NotFound);
    }
    let places: i32 = form.places.trim().parse().unwrap_or(-1);
    if !(0..=MAX_PLACES).contains(&places) {
        let mut errors = FieldErrors::default();
        errors.add("places", "care-error-places");
        return Err(errors.into());
    }
    if !hold_store::set_places(&state.db, &form.facility_id, places).await? {
        return Err(AppError::Conflict("care_places_in_use"));
    }
    Ok(Redirect::to("/care/work").into_response())
}
