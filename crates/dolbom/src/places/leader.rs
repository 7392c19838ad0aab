//! Group leaders answer the join requests of their groups; accepting counts the new member.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::group_store::{self, JoinRequest};
use super::model::Group;
use crate::app::AppState;
use crate::auth::{CsrfForm, CurrentUser, Visitor};
use crate::db::time::seoul_display;
use crate::error::{AppError, AppResult};
use crate::web::{Page, render};

fn leads(user: &CurrentUser, g: &Group) -> bool {
    user.organization_id.is_some() && user.organization_id == g.organization_id
}

#[derive(Template)]
#[template(path = "places/leader.html")]
struct LeaderPage {
    page: Page,
    groups: Vec<(Group, Vec<(JoinRequest, String)>)>,
}

pub async fn groups(State(state): State<AppState>, visitor: Visitor) -> AppResult<Response> {
    let user = visitor.user.as_ref().ok_or(AppError::Unauthorized)?;
    let mut out = Vec::new();
    for g in group_store::all(&state.db, state.municipality()).await?.into_iter().filter(|g| leads(user, g)) {
        let requests = group_store::requests(&state.db, &g.id).await?;
        out.push((g, requests.into_iter().map(|r| (r.clone(), seoul_display(r.created_at))).collect()));
    }
    render(&LeaderPage { page: Page::new(&visitor, "leader-title"), groups: out })
}

#[derive(Deserialize, Default)]
pub struct Answer {
    #[serde(default)]
    decision: String,
}

pub async fn answer(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((group_id, request_id)): Path<(String, String)>,
    CsrfForm(answer): CsrfForm<Answer>,
) -> AppResult<Response> {
    let user = visitor.user.as_ref().ok_or(AppError::Unauthorized)?;
    let g = group_store::get(&state.db, state.municipality(), &group_id).await?.ok_or(AppError::NotFound)?;
    if !leads(user, &g) {
        return Err(AppError::Forbidden);
    }
    let accept = match answer.decision.as_str() {
        "accept" => true,
        "decline" => false,
        _ => return Err(AppError::BadRequest("decision_unknown")),
    };
    if !group_store::answer(&state.db, state.municipality(), &g.id, &request_id, accept).await? {
        return Err(AppError::Conflict("request_answered"));
    }
    Ok(Redirect::to("/leader/groups").into_response())
}
