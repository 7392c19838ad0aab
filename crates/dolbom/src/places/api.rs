//! `/api/v1/places`: the geo search as JSON, and a server-sent event stream that says when places changed (a
//! vacancy, new hours), so an open map refreshes itself.

use std::convert::Infallible;

use axum::Json;
use axum::extract::{RawQuery, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::Stream;
use serde::Serialize;

use super::index::Hit;
use super::model::{Facility, Group};
use super::query::PlaceParams;
use crate::app::AppState;
use crate::error::{AppError, AppResult};

pub const DEFAULT_LIMIT: usize = 50;

#[derive(Serialize, utoipa::ToSchema)]
pub struct PlaceResults {
    /// Facilities, nearest first when a point was given.
    #[schema(value_type = Vec<Object>)]
    pub facilities: Vec<FacilityHit>,
    #[schema(value_type = Vec<Object>)]
    pub groups: Vec<Hit<Group>>,
}

/// A facility hit with what the API adds: free places and whether the data is the demo's.
#[derive(Serialize)]
pub struct FacilityHit {
    #[serde(flatten)]
    pub hit: Hit<Facility>,
    pub vacancies: Option<i32>,
    pub synthetic: bool,
}

pub fn parse(raw: Option<String>) -> AppResult<PlaceParams> {
    serde_html_form::from_str(raw.as_deref().unwrap_or_default()).map_err(|_| AppError::BadRequest("query_malformed"))
}

/// Runs a checked query against the index.
pub fn run(state: &AppState, params: &PlaceParams, default_limit: usize) -> AppResult<PlaceResults> {
    let (query, group_kinds) = params.to_query(&state.areas, default_limit).map_err(AppError::Invalid)?;
    let facilities = state
        .places
        .facilities(&query)
        .into_iter()
        .map(|hit| FacilityHit {
            vacancies: hit.place.vacancies(),
            synthetic: super::demo::is_synthetic(hit.place.source_id.as_deref()),
            hit,
        })
        .collect();
    let groups = if group_kinds.is_empty() {
        Vec::new()
    } else {
        state.places.groups(query.near, query.dong.as_deref(), &group_kinds, query.limit)
    };
    Ok(PlaceResults { facilities, groups })
}

/// `GET /api/v1/places`
#[utoipa::path(get, path = "/api/v1/places", tag = "places", params(PlaceParams),
    responses((status = 200, description = "Facilities (nearest first from lat/lon) and, when asked, groups", body = PlaceResults),
              (status = 422, description = "A field is wrong: coordinates outside Korea, unknown 행정동, …", body = crate::api::problem::Problem)))]
pub async fn search(State(state): State<AppState>, RawQuery(raw): RawQuery) -> AppResult<Json<PlaceResults>> {
    Ok(Json(run(&state, &parse(raw)?, DEFAULT_LIMIT)?))
}

/// `GET /api/v1/places/events`: an event `changed` each time any place changes in this process's index.
#[utoipa::path(get, path = "/api/v1/places/events", tag = "places",
    responses((status = 200, description = "text/event-stream: an event `changed` (data: a counter) whenever a facility or group changes; refetch the search then", content_type = "text/event-stream")))]
pub async fn events(State(state): State<AppState>) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let receiver = state.places.changes();
    let stream = futures_util::stream::unfold(receiver, |mut rx| async move {
        rx.changed().await.ok()?;
        // A burst (an import, many saves) becomes one event a second, so open maps refetch once, not per change.
        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
        let version = *rx.borrow_and_update();
        Some((Ok(Event::default().event("changed").data(version.to_string())), rx))
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}
