//! The public page of a facility and of a community group, and the join request a resident sends a group.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::group_store;
use super::hours::{DAYS, HOLIDAY, WeeklyHours};
use super::model::{Facility, Group};
use crate::app::AppState;
use crate::auth::{CsrfForm, Visitor};
use crate::error::{AppError, AppResult};
use crate::web::{Page, render};

/// Each day's row of the hours table: (catalog key of the day, hours or `None` when closed).
pub fn hour_rows(hours: &WeeklyHours) -> Vec<(String, Option<String>)> {
    (0..DAYS)
        .map(|day| {
            let key = if day == HOLIDAY { "weekday-holiday".to_string() } else { format!("weekday-{day}") };
            (key, hours.0[day].map(|s| s.label()))
        })
        .collect()
}

#[derive(Template)]
#[template(path = "places/facility.html")]
struct FacilityPage {
    page: Page,
    f: Facility,
    dong: String,
    hours: Vec<(String, Option<String>)>,
    synthetic: bool,
    can_edit: bool,
}

impl FacilityPage {
    /// Links only to http(s), whatever was stored before the check existed.
    fn web_address(&self, site: &str) -> bool {
        super::model::is_web_address(site)
    }
}

pub async fn facility(State(state): State<AppState>, visitor: Visitor, Path(id): Path<String>) -> AppResult<Response> {
    let f = state.places.facility(&id).ok_or(AppError::NotFound)?.as_ref().clone();
    let mut page = Page::new(&visitor, "place-title");
    page.title = f.name.clone();
    let can_edit = visitor.user.as_ref().is_some_and(|u| super::provider::may_edit(u, &f));
    render(&FacilityPage {
        page,
        dong: state.areas.name_of(&f.adm_cd2).unwrap_or_default().to_string(),
        hours: hour_rows(&f.hours),
        synthetic: super::demo::is_synthetic(f.source_id.as_deref()),
        can_edit,
        f,
    })
}

#[derive(Template)]
#[template(path = "places/group.html")]
struct GroupPage {
    page: Page,
    g: Group,
    dong: String,
    /// This visitor's request, if they sent one: pending, accepted or declined.
    request: Option<String>,
    signed_in: bool,
    synthetic: bool,
}

async fn group_page(state: &AppState, visitor: &Visitor, id: &str) -> AppResult<GroupPage> {
    let g = group_store::get(&state.db, state.municipality(), id).await?.ok_or(AppError::NotFound)?;
    let request = match &visitor.user {
        Some(u) => group_store::request_status(&state.db, &g.id, &u.id).await?,
        None => None,
    };
    let mut page = Page::new(visitor, "group-title");
    page.title = g.name.clone();
    Ok(GroupPage {
        page,
        dong: state.areas.name_of(&g.adm_cd2).unwrap_or_default().to_string(),
        request,
        signed_in: visitor.user.is_some(),
        synthetic: super::demo::is_synthetic(g.source_id.as_deref()),
        g,
    })
}

pub async fn group(State(state): State<AppState>, visitor: Visitor, Path(id): Path<String>) -> AppResult<Response> {
    render(&group_page(&state, &visitor, &id).await?)
}

#[derive(Deserialize, Default)]
pub struct JoinForm {
    #[serde(default)]
    message: String,
}

/// Sends a join request (once per person and group); the leader answers it on their page.
pub async fn join(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<JoinForm>,
) -> AppResult<Response> {
    let user = visitor.user.as_ref().ok_or(AppError::Unauthorized)?;
    let g = group_store::get(&state.db, state.municipality(), &id).await?.ok_or(AppError::NotFound)?;
    let message: String = form.message.trim().chars().take(500).collect();
    group_store::request_join(&state.db, &g.id, &user.id, &message).await?;
    Ok(Redirect::to(&format!("/places/groups/{}", g.id)).into_response())
}
