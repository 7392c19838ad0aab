//! RFC 9457 problem details.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::error::ErrorReport;
use crate::i18n::{self, Locale};

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// `about:blank` for plain HTTP errors, `urn:dolbom:problem:<code>` for ours.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    pub instance: String,
    /// Stable snake_case code, the same in every language.
    pub code: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ProblemField>,
}

/// One invalid field.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ProblemField {
    /// The field's name in the request body.
    pub field: String,
    /// Stable snake_case code of what is wrong.
    pub code: String,
    /// What is wrong, in the requested language.
    pub message: String,
}

impl Problem {
    pub fn from_report(status: StatusCode, report: &ErrorReport, locale: Locale, instance: &str) -> Problem {
        let plain = matches!(report.key, "not_found" | "method_not_allowed" | "internal" | "bad_request");
        Problem {
            kind: if plain { "about:blank".into() } else { format!("urn:dolbom:problem:{}", report.key) },
            title: i18n::t(locale, &format!("error-title-{}", status.as_u16())),
            status: status.as_u16(),
            detail: i18n::error_text(locale, report.key),
            instance: instance.to_string(),
            code: report.key.to_string(),
            errors: report
                .fields
                .iter()
                .map(|f| ProblemField {
                    field: f.field.to_string(),
                    code: f.code.trim_start_matches("field-").replace('-', "_"),
                    message: i18n::t(locale, f.code),
                })
                .collect(),
        }
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::to_vec(&self).unwrap_or_default();
        (status, [(header::CONTENT_TYPE, "application/problem+json")], body).into_response()
    }
}
