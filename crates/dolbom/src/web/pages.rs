use askama::Template;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::json;

use super::layout::{Page, render};
use crate::app::AppState;
use crate::auth::Visitor;
use crate::auth::session::{LANG_COOKIE, LANG_COOKIE_SECS, cookie, set_cookie};
use crate::error::{AppError, AppResult};
use crate::i18n::Locale;

#[derive(Template)]
#[template(path = "home.html")]
struct Home {
    page: Page,
    area_count: usize,
}

pub async fn home(State(state): State<AppState>, visitor: Visitor) -> AppResult<Response> {
    let page = Page::new(&visitor, "home-title");
    render(&Home { page, area_count: state.areas.len() })
}

pub async fn not_found() -> AppError {
    AppError::NotFound
}

#[derive(Deserialize)]
pub struct LangQuery {
    next: Option<String>,
}

/// Only paths on this site: `/x`, never `//host`, `/\host`, or anything with a control character or backslash
/// (browsers drop tabs and newlines from URLs, so `/\t/host` would become `//host`).
pub fn safe_next(next: Option<&str>) -> String {
    let Some(n) = next else { return "/".to_string() };
    let clean = n.starts_with('/')
        && !n.starts_with("//")
        && !n.chars().any(|c| c.is_control() || c == '\\')
        && n.parse::<axum::http::uri::PathAndQuery>().is_ok();
    if clean { n.to_string() } else { "/".to_string() }
}

/// Sets the language cookie and goes back where the visitor was. A plain link, so it works without JavaScript; it
/// changes nothing stored (the account's own language is set with a form on the account page).
pub async fn switch_language(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(query): Query<LangQuery>,
) -> AppResult<Response> {
    let locale = Locale::parse(&code).ok_or(AppError::NotFound)?;
    let mut response = Redirect::to(&safe_next(query.next.as_deref())).into_response();
    set_cookie(&mut response, cookie(&state, LANG_COOKIE, locale.code().to_string(), Some(LANG_COOKIE_SECS)));
    Ok(response)
}

/// `/healthz`: the process is up.
pub async fn healthz() -> Response {
    ([(header::CACHE_CONTROL, "no-store")], Json(json!({ "status": "up" }))).into_response()
}

/// `/readyz`: the database answers and every migration is applied; 503 otherwise.
pub async fn readyz(State(state): State<AppState>) -> Response {
    let (status, body) = if state.db.is_ready().await {
        (StatusCode::OK, json!({ "status": "ready" }))
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            json!({ "status": "unavailable", "reason": "database unreachable or migrations pending" }),
        )
    };
    (status, [(header::CACHE_CONTROL, "no-store")], Json(body)).into_response()
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(safe_next(Some("/account")), "/account");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(safe_next(Some("/\t/evil.example")), "/");
        assert_eq!(safe_next(Some("/\n/evil.example")), "/");
        assert_eq!(safe_next(Some("/a\\b")), "/");
        assert_eq!(safe_next(Some("/staff/households?area=1135063000")), "/staff/households?area=1135063000");
        assert_eq!(safe_next(None), "/");
    }
}
