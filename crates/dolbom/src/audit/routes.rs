//! Officials read, filter and export the access log. Nothing here writes to it.

use askama::Template;
use axum::Json;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};

use super::Purpose;
use super::store::{self, Entry, Filter};
use crate::app::AppState;
use crate::auth::Visitor;
use crate::db::time::{seoul_display, seoul_rfc3339, seoul_today};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::web::{Page, render};

pub const PAGE_LIMIT: i64 = 200;
pub const EXPORT_LIMIT: i64 = 100_000;

#[derive(Template)]
#[template(path = "audit/access_log.html")]
struct AccessLogPage {
    page: Page,
    filter: Filter,
    errors: FieldErrors,
    entries: Vec<Entry>,
    purposes: [Purpose; 7],
    export_query: String,
}

impl AccessLogPage {
    fn when(&self, entry: &Entry) -> String {
        seoul_display(entry.at)
    }

    fn purpose_label(&self, code: &str) -> String {
        Purpose::parse(code).map(|p| self.page.t(p.label_key())).unwrap_or_else(|| code.to_string())
    }
}

fn check(filter: &Filter) -> FieldErrors {
    let mut errors = FieldErrors::default();
    for field in filter.bad_dates() {
        errors.add(field, "field-date-invalid");
    }
    if !filter.purpose.is_empty() && Purpose::parse(&filter.purpose).is_none() {
        errors.add("purpose", "field-choice-invalid");
    }
    errors
}

pub async fn page(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(filter): Query<Filter>,
) -> AppResult<Response> {
    let errors = check(&filter);
    let entries = if errors.is_empty() {
        store::list(&state.db, state.municipality(), &filter, PAGE_LIMIT).await?
    } else {
        Vec::new()
    };
    let export_query = serde_urlencoded::to_string([
        ("actor", &filter.actor),
        ("record", &filter.record),
        ("kind", &filter.kind),
        ("purpose", &filter.purpose),
        ("from", &filter.from),
        ("to", &filter.to),
    ])
    .unwrap_or_default();
    render(&AccessLogPage {
        page: Page::new(&visitor, "access-log-title"),
        filter,
        errors,
        entries,
        purposes: Purpose::ALL,
        export_query,
    })
}

pub async fn export_csv(State(state): State<AppState>, Query(filter): Query<Filter>) -> AppResult<Response> {
    let errors = check(&filter);
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let entries = store::list(&state.db, state.municipality(), &filter, EXPORT_LIMIT).await?;
    let mut writer = csv::Writer::from_writer(Vec::from("\u{feff}".as_bytes()));
    let header = ["at", "actor_email", "actor_id", "actor_role", "record_kind", "record_id", "purpose", "ip"];
    let csv_error = |e: csv::Error| AppError::Internal(format!("csv: {e}"));
    writer.write_record(header).map_err(csv_error)?;
    for e in &entries {
        let at = seoul_rfc3339(e.at);
        let email = e.actor_email.clone().unwrap_or_default();
        // Typed by people (an e-mail may start with `=`): quoted so a spreadsheet never runs it as a formula.
        let cells = [&at, &email, &e.actor_id, &e.actor_role, &e.record_kind, &e.record_id, &e.purpose, &e.ip];
        writer.write_record(cells.map(|c| crate::web::export::csv_text(c))).map_err(csv_error)?;
    }
    let body = writer.into_inner().map_err(|e| AppError::Internal(format!("csv: {e}")))?;
    let filename = format!("attachment; filename=\"access-log-{}.csv\"", seoul_today().format("%Y%m%d"));
    Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()), (header::CONTENT_DISPOSITION, filename)], body)
        .into_response())
}

/// `GET /api/v1/access-log`
#[utoipa::path(get, path = "/api/v1/access-log", tag = "audit", params(Filter),
    responses((status = 200, description = "Entries, newest first (at most 200)", body = [Entry]),
              (status = 401, description = "Not signed in", body = crate::api::problem::Problem),
              (status = 403, description = "Not an official", body = crate::api::problem::Problem),
              (status = 422, description = "A filter is malformed", body = crate::api::problem::Problem)))]
pub async fn api_list(State(state): State<AppState>, Query(filter): Query<Filter>) -> AppResult<Json<Vec<Entry>>> {
    let errors = check(&filter);
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    Ok(Json(store::list(&state.db, state.municipality(), &filter, PAGE_LIMIT).await?))
}
