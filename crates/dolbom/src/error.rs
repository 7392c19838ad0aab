//! One error type for every handler. It becomes a bare status plus an [`ErrorReport`] extension; the outer
//! `web::errors` layer renders that as a friendly page in the visitor's language or, under `/api`, as RFC 9457
//! problem+json. Faults are logged here and never shown.

use std::borrow::Cow;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// One invalid field: its name and the catalog key of the message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: Cow<'static, str>,
    pub code: &'static str,
}

/// The invalid fields of one form or JSON body.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    pub fn add(&mut self, field: impl Into<Cow<'static, str>>, code: &'static str) {
        let field = field.into();
        if !self.has(&field) {
            self.0.push(FieldError { field, code });
        }
    }

    pub fn has(&self, field: &str) -> bool {
        self.0.iter().any(|e| e.field == field)
    }

    pub fn code(&self, field: &str) -> Option<&'static str> {
        self.0.iter().find(|e| e.field == field).map(|e| e.code)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(value)` when nothing was added, else the errors.
    pub fn into_result<T>(self, value: T) -> Result<T, FieldErrors> {
        if self.is_empty() { Ok(value) } else { Err(self) }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("sign-in required")]
    Unauthorized,
    #[error("forbidden")]
    Forbidden,
    #[error("CSRF token missing or wrong")]
    Csrf,
    #[error("bad request: {0}")]
    BadRequest(&'static str),
    #[error("invalid fields")]
    Invalid(FieldErrors),
    #[error("conflict: {0}")]
    Conflict(&'static str),
    #[error("too many requests")]
    TooManyRequests,
    #[error("unsupported media type")]
    UnsupportedMediaType,
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("{0}")]
    Internal(String),
}

/// What went wrong, for the error layer to render. `key` is a stable snake_case code and a catalog key suffix.
#[derive(Clone, Debug)]
pub struct ErrorReport {
    pub key: &'static str,
    pub fields: Vec<FieldError>,
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Forbidden | AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            AppError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::Database(_) | AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn key(&self) -> &'static str {
        match self {
            AppError::NotFound => "not_found",
            AppError::Unauthorized => "unauthorized",
            AppError::Forbidden => "forbidden",
            AppError::Csrf => "csrf",
            AppError::BadRequest(key) => key,
            AppError::Invalid(_) => "invalid",
            AppError::Conflict(key) => key,
            AppError::TooManyRequests => "too_many_requests",
            AppError::UnsupportedMediaType => "unsupported_media_type",
            AppError::Database(_) | AppError::Internal(_) => "internal",
        }
    }
}

impl From<FieldErrors> for AppError {
    fn from(errors: FieldErrors) -> Self {
        AppError::Invalid(errors)
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::Database(e) = &self {
            tracing::error!(error = %e, "database error");
        }
        if let AppError::Internal(e) = &self {
            tracing::error!(error = %e, "internal error");
        }
        let fields = match &self {
            AppError::Invalid(errors) => errors.0.clone(),
            _ => Vec::new(),
        };
        let report = ErrorReport { key: self.key(), fields };
        let mut response = self.status().into_response();
        response.extensions_mut().insert(report);
        response
    }
}

pub type AppResult<T> = Result<T, AppError>;
