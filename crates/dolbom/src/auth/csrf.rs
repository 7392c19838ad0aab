//! `CsrfForm<T>`: the only way a handler reads a form POST. It refuses a body whose `csrf` field does not match
//! the token bound to this browser, before the handler sees anything.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::header::CONTENT_TYPE;
use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::model::Visitor;
use crate::error::AppError;

pub struct CsrfForm<T>(pub T);

#[derive(Deserialize)]
struct Token {
    #[serde(default)]
    csrf: String,
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

impl<S, T> FromRequest<S> for CsrfForm<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, AppError> {
        let expected = request
            .extensions()
            .get::<Visitor>()
            .map(|v| v.csrf.clone())
            .ok_or_else(|| AppError::Internal("session middleware missing".into()))?;
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
        if expected.is_empty() || !constant_time_eq(token.csrf.as_bytes(), expected.as_bytes()) {
            return Err(AppError::Csrf);
        }
        let value = serde_html_form::from_bytes(&body).map_err(|_| AppError::BadRequest("form_malformed"))?;
        Ok(CsrfForm(value))
    }
}
