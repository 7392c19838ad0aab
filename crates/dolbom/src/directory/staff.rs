//! Staff pages to create, edit and retire services. Retiring is a status (inactive, defunct, temporarily closed):
//! the record stays for history and the search drops it.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::import::with_rules;
use super::model::{NewPhone, NewService, STATUSES};
use super::store;
use super::taxonomy::{TAXONOMIES, TaxonomyDef, term_id};
use crate::app::AppState;
use crate::auth::{CsrfForm, Visitor};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::web::{Page, render, render_with_status};

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
}

#[derive(Template)]
#[template(path = "directory/staff_list.html")]
struct ListPage {
    page: Page,
    q: String,
    services: Vec<(String, String, String, String)>,
}

pub async fn list(State(state): State<AppState>, visitor: Visitor, Query(q): Query<ListQuery>) -> AppResult<Response> {
    let services = store::staff_list(&state.db, state.municipality(), &q.q, 100).await?;
    render(&ListPage { page: Page::new(&visitor, "staff-services-title"), q: q.q, services })
}

/// The service form as typed.
#[derive(Deserialize, Default, Clone)]
pub struct ServiceForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    organization: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    url: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    application_process: String,
    #[serde(default)]
    eligibility_description: String,
    #[serde(default)]
    minimum_age: String,
    #[serde(default)]
    maximum_age: String,
    /// One per line: words describing the number, then the number (`복지정책과 02-2116-3114`).
    #[serde(default)]
    phones: String,
    #[serde(default)]
    terms: Vec<String>,
}

fn age(errors: &mut FieldErrors, field: &'static str, text: &str) -> Option<i32> {
    match text.trim() {
        "" => None,
        t => match t.parse::<i32>() {
            Ok(n) if (0..=130).contains(&n) => Some(n),
            _ => {
                errors.add(field, "field-number-invalid");
                None
            }
        },
    }
}

fn text(value: &str) -> Option<String> {
    let t = value.trim();
    (!t.is_empty()).then(|| t.to_string())
}

impl ServiceForm {
    fn validate(&self) -> Result<NewService, FieldErrors> {
        let mut errors = FieldErrors::default();
        let name = self.name.trim();
        if name.is_empty() {
            errors.add("name", "field-required");
        } else if name.chars().count() > 200 {
            errors.add("name", "field-name-invalid");
        }
        if self.organization.trim().is_empty() {
            errors.add("organization", "field-required");
        }
        let url = text(&self.url);
        if url.as_deref().is_some_and(|u| !u.starts_with("https://") && !u.starts_with("http://")) {
            errors.add("url", "field-url-invalid");
        }
        if !STATUSES.contains(&self.status.as_str()) {
            errors.add("status", "field-choice-invalid");
        }
        let known =
            |t: &String| TAXONOMIES.iter().any(|tax| tax.terms.iter().any(|(code, _)| term_id(tax.id, code) == *t));
        if !self.terms.iter().all(known) {
            errors.add("terms", "field-choice-invalid");
        }
        let (minimum_age, maximum_age) =
            (age(&mut errors, "minimum_age", &self.minimum_age), age(&mut errors, "maximum_age", &self.maximum_age));
        if let (Some(lo), Some(hi)) = (minimum_age, maximum_age)
            && lo > hi
        {
            errors.add("maximum_age", "field-age-range");
        }
        let phones: Vec<NewPhone> = self.phones.lines().flat_map(super::import::phones::parse).collect();
        if self.phones.lines().any(|l| !l.trim().is_empty() && super::import::phones::parse(l).is_empty()) {
            errors.add("phones", "field-phone-invalid");
        }
        let mut service = NewService {
            source_id: None,
            organization: self.organization.trim().to_string(),
            name: name.to_string(),
            description: self.description.trim().to_string(),
            url,
            status: self.status.clone(),
            application_process: text(&self.application_process),
            eligibility_description: text(&self.eligibility_description),
            minimum_age,
            maximum_age,
            terms: self.terms.clone(),
            phones,
            ..NewService::default()
        };
        service.rules = with_rules(&service);
        errors.into_result(service)
    }
}

#[derive(Template)]
#[template(path = "directory/staff_form.html")]
struct FormPage {
    page: Page,
    id: Option<String>,
    form: ServiceForm,
    errors: FieldErrors,
    statuses: [&'static str; 4],
    taxonomies: &'static [TaxonomyDef],
}

impl FormPage {
    fn checked(&self, taxonomy: &str, code: &str) -> bool {
        let id = term_id(taxonomy, code);
        self.form.terms.contains(&id)
    }

    fn term_value(&self, taxonomy: &str, code: &str) -> String {
        term_id(taxonomy, code)
    }
}

fn form_page(visitor: &Visitor, id: Option<String>, form: ServiceForm, errors: FieldErrors) -> FormPage {
    let title = if id.is_some() { "staff-service-edit" } else { "staff-service-new" };
    FormPage { page: Page::new(visitor, title), id, form, errors, statuses: STATUSES, taxonomies: &TAXONOMIES }
}

pub async fn new_form(visitor: Visitor) -> AppResult<Response> {
    let form = ServiceForm { status: "active".into(), ..ServiceForm::default() };
    render(&form_page(&visitor, None, form, FieldErrors::default()))
}

pub async fn create(
    State(state): State<AppState>,
    visitor: Visitor,
    CsrfForm(form): CsrfForm<ServiceForm>,
) -> AppResult<Response> {
    match form.validate() {
        Ok(service) => {
            let id = store::upsert_service(&state.db, state.municipality(), &service).await?;
            Ok(Redirect::to(&format!("/staff/services/{id}")).into_response())
        }
        Err(errors) => render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &form_page(&visitor, None, form, errors)),
    }
}

pub async fn edit_form(State(state): State<AppState>, visitor: Visitor, Path(id): Path<String>) -> AppResult<Response> {
    let s = store::service(&state.db, state.municipality(), &id).await?.ok_or(AppError::NotFound)?;
    let phones = s
        .phones
        .iter()
        .map(|p| format!("{} {}", p.description.clone().unwrap_or_default(), p.number).trim().to_string())
        .collect::<Vec<_>>()
        .join("\n");
    let form = ServiceForm {
        name: s.name,
        organization: s.organization_name.unwrap_or_default(),
        description: s.description,
        url: s.url.unwrap_or_default(),
        status: s.status,
        application_process: s.application_process.unwrap_or_default(),
        eligibility_description: s.eligibility_description.unwrap_or_default(),
        minimum_age: s.minimum_age.map(|a| a.to_string()).unwrap_or_default(),
        maximum_age: s.maximum_age.map(|a| a.to_string()).unwrap_or_default(),
        phones,
        terms: s.terms.into_iter().map(|t| t.id).collect(),
    };
    render(&form_page(&visitor, Some(id), form, FieldErrors::default()))
}

pub async fn update(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<ServiceForm>,
) -> AppResult<Response> {
    match form.validate() {
        Ok(mut service) => {
            let existing = store::service(&state.db, state.municipality(), &id).await?.ok_or(AppError::NotFound)?;
            // Hand-written rules follow the service's source id, which an edit keeps.
            service.source_id = existing.source_id;
            service.rules = with_rules(&service);
            // The service was found above in this municipality, so writing by id updates it.
            store::upsert_service_with_id(&state.db, state.municipality(), &id, store::OrgRef::Named, &service).await?;
            Ok(Redirect::to(&format!("/staff/services/{id}")).into_response())
        }
        Err(errors) => {
            render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &form_page(&visitor, Some(id), form, errors))
        }
    }
}
