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
use crate::auth::store;
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

/// Only paths on this site: `/x` but not `//host` or `/\host`.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.starts_with("/\\") => n.to_string(),
        _ => "/".to_string(),
    }
}

/// Sets the language cookie and goes back where the visitor was. A plain link, so it works without JavaScript.
/// A signed-in visitor's choice is also saved on the account, so it follows them to other devices.
pub async fn switch_language(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(code): Path<String>,
    Query(query): Query<LangQuery>,
) -> AppResult<Response> {
    let locale = Locale::parse(&code).ok_or(AppError::NotFound)?;
    if let Some(user) = &visitor.user {
        store::set_locale(&state.db, &user.id, locale).await?;
    }
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
        assert_eq!(safe_next(None), "/");
    }
}
