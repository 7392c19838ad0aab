//! The Open Referral HSDS 3.0 read API under `/api/hsds`: pages of services, organizations, taxonomies and terms
//! in the shapes of the HSDS API reference (`Page` with `contents`).

use axum::Json;
use axum::extract::{Path, RawQuery, State};
use chrono::DateTime;
use serde::Deserialize;
use serde_json::{Value, json};

use super::hsds_store::{self, ServiceFilter};
use super::location_store;
use super::model::{ServiceDetail, ServiceLocation};
use super::search::SearchRequest;
use crate::app::AppState;
use crate::db::time::seoul_rfc3339;
use crate::error::{AppError, AppResult, FieldErrors};

const DEFAULT_PER_PAGE: i64 = 50;
const MAX_PER_PAGE: i64 = 200;
/// How many search hits a filtered HSDS search looks through.
const SEARCH_DEPTH: usize = 1_000;

#[derive(Deserialize, Default)]
struct Params {
    #[serde(default)]
    search: Option<String>,
    #[serde(default)]
    page: Option<String>,
    #[serde(default)]
    per_page: Option<String>,
    #[serde(default)]
    taxonomy_term_id: Option<String>,
    #[serde(default)]
    taxonomy_id: Option<String>,
    #[serde(default)]
    organization_id: Option<String>,
    #[serde(default)]
    modified_after: Option<String>,
    #[serde(default)]
    parent_id: Option<String>,
    #[serde(default)]
    top_only: Option<String>,
}

struct Paging {
    page: i64,
    per_page: i64,
}

fn number(errors: &mut FieldErrors, field: &'static str, text: &Option<String>, default: i64, max: i64) -> i64 {
    match text.as_deref().map(str::trim) {
        None | Some("") => default,
        Some(t) => match t.parse::<i64>() {
            Ok(n) if (1..=max).contains(&n) => n,
            _ => {
                errors.add(field, "field-number-invalid");
                default
            }
        },
    }
}

fn parse(raw: Option<String>) -> AppResult<(Params, Paging, Option<i64>)> {
    let params: Params = serde_html_form::from_str(raw.as_deref().unwrap_or_default())
        .map_err(|_| AppError::BadRequest("query_malformed"))?;
    let mut errors = FieldErrors::default();
    let page = number(&mut errors, "page", &params.page, 1, 1_000_000);
    let per_page = number(&mut errors, "per_page", &params.per_page, DEFAULT_PER_PAGE, MAX_PER_PAGE);
    let modified_after = match params.modified_after.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(t) => match DateTime::parse_from_rfc3339(t) {
            Ok(at) => Some(at.timestamp_millis()),
            Err(_) => {
                errors.add("modified_after", "field-date-invalid");
                None
            }
        },
    };
    errors.into_result(())?;
    Ok((params, Paging { page, per_page }, modified_after))
}

/// HSDS fields are optional but never null: an absent value is left out.
pub fn without_nulls(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            Value::Object(map.into_iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (k, without_nulls(v))).collect())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(without_nulls).collect()),
        other => other,
    }
}

fn page_json(contents: Vec<Value>, total: i64, paging: &Paging) -> Value {
    let total_pages = (total + paging.per_page - 1) / paging.per_page;
    json!({
        "total_items": total,
        "total_pages": total_pages,
        "page_number": paging.page,
        "size": contents.len(),
        "first_page": paging.page == 1,
        "last_page": paging.page >= total_pages,
        "empty": contents.is_empty(),
        "contents": contents.into_iter().map(without_nulls).collect::<Vec<_>>(),
    })
}

/// A service in HSDS 3.0 shape, with its organization, phones and attributes (each with its taxonomy term).
pub fn service_json(s: &ServiceDetail, last_modified: Option<i64>) -> Value {
    let attributes: Vec<Value> = s
        .terms
        .iter()
        .map(|t| {
            json!({
                "id": format!("{}:{}", s.id, t.id),
                "link_id": s.id,
                "link_type": "service",
                "link_entity": "service",
                "taxonomy_term_id": t.id,
                "value": t.value,
                "taxonomy_term": { "id": t.id, "code": t.code, "name": t.name, "description": t.name, "taxonomy_id": t.taxonomy_id },
            })
        })
        .collect();
    let phones: Vec<Value> = s
        .phones
        .iter()
        .enumerate()
        .map(|(i, p)| json!({ "id": format!("{}:phone:{i}", s.id), "service_id": s.id, "number": p.number, "description": p.description }))
        .collect();
    json!({
        "id": s.id,
        "organization_id": s.organization_id,
        "name": s.name,
        "description": s.description,
        "url": s.url,
        "status": s.status,
        "application_process": s.application_process,
        "eligibility_description": s.eligibility_description,
        "minimum_age": s.minimum_age,
        "maximum_age": s.maximum_age,
        "last_modified": last_modified.map(seoul_rfc3339),
        "phones": phones,
        "attributes": attributes,
        "service_at_locations": s.locations.iter().map(|l| service_at_location_json(&s.id, l)).collect::<Vec<_>>(),
    })
}

/// A service-at-location link with its location and address, as HSDS nests them.
pub fn service_at_location_json(service_id: &str, l: &ServiceLocation) -> Value {
    let addresses: Vec<Value> = l
        .address
        .iter()
        .map(|a| {
            json!({
                "id": a.id, "location_id": l.location_id, "address_1": a.address_1, "city": a.city,
                "state_province": a.state_province, "postal_code": a.postal_code, "country": a.country,
                "address_type": "physical",
            })
        })
        .collect();
    json!({
        "id": l.id,
        "service_id": service_id,
        "location_id": l.location_id,
        "location": {
            "id": l.location_id,
            "location_type": l.location_type,
            "name": l.name,
            "description": l.description,
            "latitude": l.latitude,
            "longitude": l.longitude,
            "addresses": addresses,
        },
    })
}

pub async fn root() -> Json<Value> {
    Json(json!({
        "version": "3.0",
        "profile": "https://docs.openreferral.org/en/v3.0/",
        "openapi_url": "/api/openapi.json",
    }))
}

pub async fn services(State(state): State<AppState>, RawQuery(raw): RawQuery) -> AppResult<Json<Value>> {
    let (params, paging, modified_after) = parse(raw)?;
    let filter = ServiceFilter {
        taxonomy_term_id: params.taxonomy_term_id.filter(|s| !s.is_empty()),
        taxonomy_id: params.taxonomy_id.filter(|s| !s.is_empty()),
        organization_id: params.organization_id.filter(|s| !s.is_empty()),
        modified_after,
    };
    let ids = match params.search.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(query) => {
            let request = SearchRequest { query: query.to_string(), limit: SEARCH_DEPTH, ..SearchRequest::default() };
            let results = state.search.search(&request).map_err(|e| AppError::Internal(e.to_string()))?;
            Some(results.hits.into_iter().map(|h| h.id).collect::<Vec<_>>())
        }
        None => None,
    };
    let offset = (paging.page - 1) * paging.per_page;
    let (total, rows) =
        hsds_store::services_page(&state.db, state.municipality(), &filter, ids.as_deref(), paging.per_page, offset)
            .await?;
    Ok(Json(page_json(rows.iter().map(|s| service_json(s, None)).collect(), total, &paging)))
}

pub async fn service(State(state): State<AppState>, Path(id): Path<String>) -> AppResult<Json<Value>> {
    let detail = super::store::service(&state.db, state.municipality(), &id).await?.ok_or(AppError::NotFound)?;
    Ok(Json(without_nulls(service_json(&detail, None))))
}

pub async fn organizations(State(state): State<AppState>, RawQuery(raw): RawQuery) -> AppResult<Json<Value>> {
    let (params, paging, _) = parse(raw)?;
    let offset = (paging.page - 1) * paging.per_page;
    let search = params.search.unwrap_or_default();
    let (total, rows) =
        hsds_store::organizations_page(&state.db, state.municipality(), &search, paging.per_page, offset).await?;
    let contents = rows.into_iter().map(|o| serde_json::to_value(o).unwrap_or(Value::Null)).collect();
    Ok(Json(page_json(contents, total, &paging)))
}

pub async fn organization(State(state): State<AppState>, Path(id): Path<String>) -> AppResult<Json<Value>> {
    let org = hsds_store::organization(&state.db, state.municipality(), &id).await?.ok_or(AppError::NotFound)?;
    Ok(Json(without_nulls(serde_json::to_value(org).unwrap_or(Value::Null))))
}

pub async fn taxonomies(State(state): State<AppState>, RawQuery(raw): RawQuery) -> AppResult<Json<Value>> {
    let (_, paging, _) = parse(raw)?;
    let all = hsds_store::taxonomies(&state.db).await?;
    let total = all.len() as i64;
    let contents = all.into_iter().skip(((paging.page - 1) * paging.per_page) as usize).take(paging.per_page as usize);
    Ok(Json(page_json(contents.map(|t| serde_json::to_value(t).unwrap_or(Value::Null)).collect(), total, &paging)))
}

pub async fn taxonomy(State(state): State<AppState>, Path(id): Path<String>) -> AppResult<Json<Value>> {
    let found = hsds_store::taxonomies(&state.db).await?.into_iter().find(|t| t.id == id).ok_or(AppError::NotFound)?;
    Ok(Json(without_nulls(serde_json::to_value(found).unwrap_or(Value::Null))))
}

pub async fn taxonomy_terms(State(state): State<AppState>, RawQuery(raw): RawQuery) -> AppResult<Json<Value>> {
    let (params, paging, _) = parse(raw)?;
    let top_only = params.top_only.as_deref() == Some("true");
    let all =
        hsds_store::terms(&state.db, params.taxonomy_id.as_deref(), params.parent_id.as_deref(), top_only).await?;
    let search = params.search.map(|s| korean::normalize(&s)).unwrap_or_default();
    let matching: Vec<_> =
        all.into_iter().filter(|t| search.is_empty() || korean::normalize(&t.name).contains(&search)).collect();
    let total = matching.len() as i64;
    let contents =
        matching.into_iter().skip(((paging.page - 1) * paging.per_page) as usize).take(paging.per_page as usize);
    Ok(Json(page_json(contents.map(|t| serde_json::to_value(t).unwrap_or(Value::Null)).collect(), total, &paging)))
}

pub async fn taxonomy_term(State(state): State<AppState>, Path(id): Path<String>) -> AppResult<Json<Value>> {
    let found = hsds_store::terms(&state.db, None, None, false)
        .await?
        .into_iter()
        .find(|t| t.id == id)
        .ok_or(AppError::NotFound)?;
    Ok(Json(without_nulls(serde_json::to_value(found).unwrap_or(Value::Null))))
}

pub async fn service_at_locations(State(state): State<AppState>, RawQuery(raw): RawQuery) -> AppResult<Json<Value>> {
    let (_, paging, _) = parse(raw)?;
    let offset = (paging.page - 1) * paging.per_page;
    let (total, rows) =
        location_store::service_at_locations_page(&state.db, state.municipality(), paging.per_page, offset).await?;
    let contents = rows.iter().map(|(service_id, l)| service_at_location_json(service_id, l)).collect();
    Ok(Json(page_json(contents, total, &paging)))
}

pub async fn service_at_location(State(state): State<AppState>, Path(id): Path<String>) -> AppResult<Json<Value>> {
    let (service_id, l) =
        location_store::service_at_location(&state.db, state.municipality(), &id).await?.ok_or(AppError::NotFound)?;
    Ok(Json(without_nulls(service_at_location_json(&service_id, &l))))
}
