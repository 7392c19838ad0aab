//! The session layer: works out who is asking (session cookie → account), in which language, with which CSRF
//! token, and hands that on as a [`Visitor`]. Browsers without a session get an anonymous cookie that their CSRF
//! token is bound to, so even the log-in and sign-up forms are protected.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};

use super::csrf::CsrfToken;
use super::model::Visitor;
use super::store;
use crate::app::AppState;
use crate::error::AppError;
use crate::i18n::{self, Locale};

pub const SESSION_COOKIE: &str = "dolbom_session";
pub const ANON_COOKIE: &str = "dolbom_anon";
pub const LANG_COOKIE: &str = "dolbom_lang";
/// The language choice is kept for a year.
pub const LANG_COOKIE_SECS: i64 = 365 * 86_400;

pub async fn attach(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let jar = CookieJar::from_headers(request.headers());
    let ip = client_ip(&state, &request);
    let locale = pick_locale(&jar, request.headers());
    let path = request.uri().path_and_query().map(|p| p.to_string()).unwrap_or_else(|| "/".into());
    let place = i18n::t_opt(locale, &format!("place-{}", state.municipality()))
        .unwrap_or_else(|| state.areas.municipality_name().to_string());

    let session_token = jar.get(SESSION_COOKIE).map(|c| c.value().to_string());
    let user = match &session_token {
        Some(token) => match store::user_for_session(&state.db, token).await {
            Ok(user) => user,
            Err(e) => {
                let mut response = AppError::Database(e).into_response();
                let visitor = Visitor { user: None, locale, csrf: CsrfToken::none(), ip, path, place };
                response.extensions_mut().insert(visitor);
                return response;
            }
        },
        None => None,
    };

    let binding = match (&user, session_token) {
        (Some(_), Some(token)) => Some(token),
        _ => jar.get(ANON_COOKIE).map(|c| c.value().to_string()),
    };
    let csrf = CsrfToken::new(state.keys.clone(), binding);
    let visitor = Visitor { user, locale, csrf: csrf.clone(), ip, path, place };
    request.extensions_mut().insert(visitor.clone());

    let signed_in = visitor.user.is_some();
    let mut response = next.run(request).await;
    // What a signed-in person sees (a household, a case, their own children) is never kept by a browser or a
    // shared proxy cache; a handler that chose its own caching keeps it.
    if signed_in && !response.headers().contains_key(header::CACHE_CONTROL) {
        response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response.extensions_mut().insert(visitor);
    if let Some(anon) = csrf.minted() {
        set_cookie(&mut response, cookie(&state, ANON_COOKIE, anon.to_string(), None));
    }
    response
}

fn client_ip(state: &AppState, request: &Request) -> String {
    if state.config.trust_proxy
        && let Some(first) = request
            .headers()
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            // The right-most address is the one our proxy appended; the ones before it came from the client.
            .and_then(|v| v.rsplit(',').next())
            .and_then(|v| v.trim().parse::<IpAddr>().ok())
    {
        return first.to_string();
    }
    request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip().to_string())
        .unwrap_or_default()
}

fn pick_locale(jar: &CookieJar, headers: &HeaderMap) -> Locale {
    jar.get(LANG_COOKIE)
        .and_then(|c| Locale::parse(c.value()))
        .or_else(|| {
            headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).and_then(Locale::from_accept_language)
        })
        .unwrap_or_default()
}

/// A cookie as dolbom sets them: HttpOnly, SameSite=Lax, path `/`, `Secure` when configured.
pub fn cookie(state: &AppState, name: &'static str, value: String, max_age_secs: Option<i64>) -> Cookie<'static> {
    let mut c = Cookie::build((name, value))
        .http_only(true)
        .same_site(SameSite::Lax)
        .path("/")
        .secure(state.config.cookie_secure)
        .build();
    if let Some(secs) = max_age_secs {
        c.set_max_age(cookie::time::Duration::seconds(secs));
    }
    c
}

pub fn set_cookie(response: &mut Response, cookie: Cookie<'static>) {
    if let Ok(value) = HeaderValue::from_str(&cookie.to_string()) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
}
