//! Turns error responses into what the visitor can use: a friendly page in their language, a redirect to log in,
//! or under `/api` an RFC 9457 problem+json document.

use askama::Template;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

use super::layout::{Page, url_encode};
use crate::api::problem::Problem;
use crate::auth::Visitor;
use crate::error::ErrorReport;
use crate::i18n::Locale;

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    page: Page,
    status: u16,
    message: String,
}

pub async fn render(request: Request, next: Next) -> Response {
    let is_api = request.uri().path().starts_with("/api/");
    let path = request.uri().path_and_query().map(|p| p.to_string()).unwrap_or_else(|| "/".into());
    let response = next.run(request).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let report = response.extensions().get::<ErrorReport>().cloned();
    if report.is_none() && !is_bare(&response) {
        return response;
    }
    let report = report.unwrap_or(ErrorReport { key: status_key(status), fields: Vec::new() });
    let visitor = response.extensions().get::<Visitor>().cloned();
    let mut rendered = if is_api {
        let locale = visitor.as_ref().map(|v| v.locale).unwrap_or_default();
        Problem::from_report(status, &report, locale, &path).into_response()
    } else if status == StatusCode::UNAUTHORIZED {
        Redirect::to(&format!("/login?next={}", url_encode(&path))).into_response()
    } else {
        error_page(status, &report, visitor, path)
    };
    for cookie in response.headers().get_all(header::SET_COOKIE) {
        rendered.headers_mut().append(header::SET_COOKIE, cookie.clone());
    }
    if status == StatusCode::TOO_MANY_REQUESTS {
        rendered.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("60"));
    }
    rendered
}

/// A response with nothing meant for people in it: axum's own 404/405, a caught panic's text.
fn is_bare(response: &Response) -> bool {
    match response.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()) {
        None => true,
        Some(ct) => ct.starts_with("text/plain"),
    }
}

fn status_key(status: StatusCode) -> &'static str {
    match status.as_u16() {
        404 => "not_found",
        405 => "method_not_allowed",
        413 => "payload_too_large",
        s if s >= 500 => "internal",
        _ => "bad_request",
    }
}

fn error_page(status: StatusCode, report: &ErrorReport, visitor: Option<Visitor>, path: String) -> Response {
    let visitor = visitor.unwrap_or(Visitor {
        user: None,
        locale: Locale::default(),
        csrf: crate::auth::CsrfToken::none(),
        ip: String::new(),
        path,
        place: String::new(),
    });
    let page = Page::new(&visitor, &format!("error-title-{}", status.as_u16()));
    let message = crate::i18n::error_text(page.locale, report.key);
    let template = ErrorPage { page, status: status.as_u16(), message };
    match template.render() {
        Ok(html) => (status, axum::response::Html(html)).into_response(),
        Err(_) => (status, "error").into_response(),
    }
}
