//! `CsrfForm<T>`: the only way a handler reads a form POST. It refuses a body whose `csrf` field does not match
//! the token bound to this browser, before the handler sees anything.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::header::CONTENT_TYPE;
use serde::Deserialize;
use serde::de::DeserializeOwned;

use std::sync::{Arc, OnceLock};

use super::model::Visitor;
use crate::error::AppError;
use crate::keys::{Keys, random_token};

pub struct CsrfForm<T>(pub T);

/// The form of a button that only posts its CSRF token (log out, run a round, mark read).
#[derive(serde::Deserialize)]
pub struct NoFields {}

/// This browser's CSRF token, made only when a page or a form check asks for it. A browser without a session or
/// an anonymous cookie gets a new anonymous cookie then, and only then: pages without forms stay cookie-free.
#[derive(Clone)]
pub struct CsrfToken(Arc<Lazy>);

struct Lazy {
    /// `None` for a token that matches nothing (responses made before the session layer ran).
    keys: Option<Keys>,
    /// The session token, or the anonymous cookie the browser sent.
    binding: Option<String>,
    minted: OnceLock<String>,
    token: OnceLock<String>,
}

impl CsrfToken {
    pub fn new(keys: Keys, binding: Option<String>) -> CsrfToken {
        CsrfToken(Arc::new(Lazy { keys: Some(keys), binding, minted: OnceLock::new(), token: OnceLock::new() }))
    }

    pub fn none() -> CsrfToken {
        CsrfToken(Arc::new(Lazy { keys: None, binding: None, minted: OnceLock::new(), token: OnceLock::new() }))
    }

    pub fn get(&self) -> &str {
        let lazy = &self.0;
        lazy.token.get_or_init(|| {
            let Some(keys) = &lazy.keys else { return String::new() };
            let binding = lazy.binding.as_deref().unwrap_or_else(|| lazy.minted.get_or_init(random_token));
            keys.csrf_token(binding)
        })
    }

    /// The anonymous cookie value minted during this request, to be set on the response.
    pub fn minted(&self) -> Option<&str> {
        self.0.minted.get().map(String::as_str)
    }
}

impl std::fmt::Debug for CsrfToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CsrfToken")
    }
}

#[derive(Deserialize)]
struct Token {
    #[serde(default)]
    csrf: String,
}

/// Whether `sent` is this browser's token: compared in constant time, and never true for an empty expectation.
pub(super) fn token_matches(expected: &str, sent: &str) -> bool {
    let (a, b) = (expected.as_bytes(), sent.as_bytes());
    !a.is_empty() && a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The token this request's browser must send back (set by the session layer).
pub(super) fn expected_token(request: &Request) -> Result<String, AppError> {
    request
        .extensions()
        .get::<Visitor>()
        .map(|v| v.csrf.get().to_string())
        .ok_or_else(|| AppError::Internal("session middleware missing".into()))
}

impl<S, T> FromRequest<S> for CsrfForm<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, AppError> {
        let expected = expected_token(&request)?;
        let is_form = request
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
        if !is_form {
            return Err(AppError::UnsupportedMediaType);
        }
        let body = Bytes::from_request(request, state).await.map_err(|_| AppError::BadRequest("body_unreadable"))?;
        let token: Token = serde_html_form::from_bytes(&body).map_err(|_| AppError::BadRequest("form_malformed"))?;
        if !token_matches(&expected, &token.csrf) {
            return Err(AppError::Csrf);
        }
        let value = serde_html_form::from_bytes(&body).map_err(|_| AppError::BadRequest("form_malformed"))?;
        Ok(CsrfForm(value))
    }
}
