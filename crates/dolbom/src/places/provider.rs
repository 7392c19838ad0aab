//! Provider staff keep their own facility current: places and enrolment, ages, opening hours per weekday and on
//! holidays, programmes, languages, contact and photos. Officials and administrators may edit any facility.
//! A save is checked whole and written whole; a change is in this process's map at once and in every other
//! process's within a change-log poll.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::hours::{DAYS, Span};
use super::model::{Facility, LANGUAGES};
use super::pages::hour_rows;
use super::store;
use crate::app::AppState;
use crate::auth::{CsrfForm, CurrentUser, Role, Visitor};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::web::{Page, render, render_with_status};

/// Provider staff edit their organization's facilities; officials and administrators any.
pub fn may_edit(user: &CurrentUser, f: &Facility) -> bool {
    match user.role {
        Role::Official | Role::Admin => true,
        Role::ProviderStaff => user.organization_id.is_some() && user.organization_id == f.organization_id,
        _ => false,
    }
}

#[derive(Template)]
#[template(path = "places/provider_list.html")]
struct ListPage {
    page: Page,
    facilities: Vec<(String, String)>,
}

pub async fn list(State(state): State<AppState>, visitor: Visitor) -> AppResult<Response> {
    let user = visitor.user.as_ref().ok_or(AppError::Unauthorized)?;
    let facilities = match (&user.role, &user.organization_id) {
        (Role::ProviderStaff, Some(org)) => store::of_organization(&state.db, state.municipality(), org).await?,
        (Role::ProviderStaff, None) => Vec::new(),
        _ => {
            let mut all: Vec<(String, String)> =
                store::all(&state.db, state.municipality()).await?.into_iter().map(|f| (f.id, f.name)).collect();
            all.sort_by(|a, b| a.1.cmp(&b.1));
            all
        }
    };
    render(&ListPage { page: Page::new(&visitor, "provider-title"), facilities })
}

#[derive(Deserialize, Default)]
pub struct EnrolledForm {
    #[serde(default)]
    enrolled: String,
}

/// `POST /provider/facilities/{id}/enrolled`: the quick vacancy update from the list (enrolment only).
pub async fn set_enrolled(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<EnrolledForm>,
) -> AppResult<Response> {
    let f = editable(&state, &visitor, &id).await?;
    let mut errors = FieldErrors::default();
    let enrolled = match form.enrolled.trim().replace(',', "").parse::<i32>() {
        Ok(n) if n >= 0 && f.capacity.is_some_and(|c| n <= c) => n,
        Ok(n) if n >= 0 => {
            errors.add("enrolled", "place-error-over-capacity");
            n
        }
        _ => {
            errors.add("enrolled", "field-number-invalid");
            0
        }
    };
    if !errors.is_empty() || !store::set_enrolled(&state.db, state.municipality(), &id, enrolled).await? {
        if errors.is_empty() {
            errors.add("enrolled", "place-error-over-capacity");
        }
        let form = FacilityForm { enrolled: form.enrolled, ..FacilityForm::from_facility(&f) };
        return render_with_status(axum::http::StatusCode::UNPROCESSABLE_ENTITY, &form_page(&visitor, f, form, errors));
    }
    if let Some(updated) = store::get(&state.db, state.municipality(), &id).await? {
        state.places.upsert_facility(updated);
    }
    Ok(Redirect::to("/provider/facilities").into_response())
}

/// The form as typed; hours are `07:30-19:30` per day (0 Monday … 6 Sunday, 7 holidays), empty when closed.
#[derive(Deserialize, Default, Clone)]
pub struct FacilityForm {
    #[serde(default)]
    capacity: String,
    #[serde(default)]
    enrolled: String,
    #[serde(default)]
    min_age: String,
    #[serde(default)]
    max_age: String,
    #[serde(default)]
    hours: Vec<String>,
    #[serde(default)]
    programmes: String,
    #[serde(default)]
    languages: Vec<String>,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    website: String,
    #[serde(default)]
    photos: String,
    /// `1` when the person saving says the hours are right (they may only have changed the enrolment).
    #[serde(default)]
    hours_confirmed: String,
}

impl FacilityForm {
    pub fn from_facility(f: &Facility) -> FacilityForm {
        FacilityForm {
            capacity: f.capacity.map(|c| c.to_string()).unwrap_or_default(),
            enrolled: f.enrolled.map(|c| c.to_string()).unwrap_or_default(),
            min_age: (f.min_age_months / 12).to_string(),
            max_age: (f.max_age_months / 12).to_string(),
            hours: hour_rows(&f.hours).into_iter().map(|(_, h)| h.unwrap_or_default().replace('–', "-")).collect(),
            programmes: f.programmes.join("\n"),
            languages: f.languages.clone(),
            phone: f.phone.clone().unwrap_or_default(),
            website: f.website.clone().unwrap_or_default(),
            photos: f.photos.join("\n"),
            hours_confirmed: if f.hours_confirmed { "1".into() } else { String::new() },
        }
    }

    fn hour(&self, day: &usize) -> &str {
        self.hours.get(*day).map(String::as_str).unwrap_or_default()
    }

    fn speaks(&self, code: &str) -> bool {
        self.languages.iter().any(|l| l == code)
    }
}

fn count(errors: &mut FieldErrors, field: &'static str, text: &str) -> Option<i32> {
    match text.trim() {
        "" => None,
        t => match t.replace(',', "").parse::<i32>() {
            Ok(n) if (0..=10_000).contains(&n) => Some(n),
            _ => {
                errors.add(field, "field-number-invalid");
                None
            }
        },
    }
}

/// The facility as the form would leave it, or every field that is wrong.
fn apply(form: &FacilityForm, current: &Facility) -> Result<Facility, FieldErrors> {
    let mut errors = FieldErrors::default();
    let mut f = current.clone();
    f.capacity = count(&mut errors, "capacity", &form.capacity);
    f.enrolled = count(&mut errors, "enrolled", &form.enrolled);
    let min = count(&mut errors, "min_age", &form.min_age).unwrap_or(0);
    let max = count(&mut errors, "max_age", &form.max_age).unwrap_or(min);
    f.min_age_months = min * 12;
    f.max_age_months = max * 12 + 11;
    for day in 0..DAYS {
        let text = form.hours.get(day).map(|h| h.trim()).unwrap_or_default();
        f.hours.0[day] = if text.is_empty() {
            None
        } else {
            match Span::parse(text) {
                Ok(span) => Some(span),
                Err(_) => {
                    errors.add(format!("hours-{day}"), "place-error-hours");
                    None
                }
            }
        };
    }
    let lines = |text: &str| text.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect();
    f.programmes = lines(&form.programmes);
    f.photos = lines(&form.photos);
    f.languages = form.languages.iter().filter(|l| !l.is_empty()).cloned().collect();
    let text = |t: &str| Some(t.trim().to_string()).filter(|t| !t.is_empty());
    f.phone = text(&form.phone);
    f.website = text(&form.website);
    // Hours count as the centre's own once someone confirms them or types different ones.
    f.hours_confirmed = form.hours_confirmed == "1" || f.hours != current.hours;
    for e in f.check().0 {
        let field = if e.field == "max_age_months" { "max_age".into() } else { e.field };
        errors.add(field, e.code);
    }
    errors.into_result(f)
}

#[derive(Template)]
#[template(path = "places/provider_form.html")]
pub(super) struct FormPage {
    page: Page,
    f: Facility,
    form: FacilityForm,
    errors: FieldErrors,
    days: Vec<(usize, String)>,
    languages: Vec<&'static str>,
}

pub(super) fn form_page(visitor: &Visitor, f: Facility, form: FacilityForm, errors: FieldErrors) -> FormPage {
    let mut page = Page::new(visitor, "provider-edit-title");
    page.title = format!("{} · {}", page.title, f.name);
    let days = hour_rows(&f.hours).into_iter().enumerate().map(|(i, (key, _))| (i, key)).collect();
    FormPage { page, f, form, errors, days, languages: LANGUAGES.to_vec() }
}

pub(crate) async fn editable(state: &AppState, visitor: &Visitor, id: &str) -> AppResult<Facility> {
    let user = visitor.user.as_ref().ok_or(AppError::Unauthorized)?;
    let f = store::get(&state.db, state.municipality(), id).await?.ok_or(AppError::NotFound)?;
    if !may_edit(user, &f) {
        return Err(AppError::Forbidden);
    }
    Ok(f)
}

pub async fn edit_form(State(state): State<AppState>, visitor: Visitor, Path(id): Path<String>) -> AppResult<Response> {
    let f = editable(&state, &visitor, &id).await?;
    let form = FacilityForm::from_facility(&f);
    render(&form_page(&visitor, f, form, FieldErrors::default()))
}

pub async fn update(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<FacilityForm>,
) -> AppResult<Response> {
    let current = editable(&state, &visitor, &id).await?;
    match apply(&form, &current) {
        Ok(updated) => {
            store::upsert(&state.db, state.municipality(), &updated).await?;
            super::photo_store::delete_unlisted(&state.db, &updated).await?;
            state.places.upsert_facility(updated);
            Ok(Redirect::to(&format!("/places/facilities/{id}")).into_response())
        }
        Err(errors) => render_with_status(
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            &form_page(&visitor, current, form, errors),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn centre() -> Facility {
        Facility {
            kind: "community_care".into(),
            name: "센터".into(),
            address: "주소".into(),
            latitude: 37.65,
            longitude: 127.06,
            capacity: Some(20),
            enrolled: Some(10),
            languages: vec!["ko".into()],
            ..Facility::default()
        }
    }

    #[test]
    fn a_bad_form_names_every_wrong_field_and_changes_nothing() {
        let current = centre();
        let mut form = FacilityForm::from_facility(&current);
        form.enrolled = "25".into();
        form.hours = vec!["19:00-08:00".into(), "아침".into()];
        form.min_age = "10".into();
        form.max_age = "6".into();
        let errors = apply(&form, &current).unwrap_err();
        for field in ["hours-0", "hours-1", "enrolled", "max_age"] {
            assert!(errors.has(field), "{field}: {:?}", errors.0);
        }
        let mut good = FacilityForm::from_facility(&current);
        good.enrolled = "19".into();
        good.hours = vec!["13:00-19:00".into(); 5];
        let saved = apply(&good, &current).unwrap();
        assert_eq!((saved.vacancies(), saved.hours_confirmed), (Some(1), true), "changed hours are the centre's");
        let mut enrolment_only = FacilityForm::from_facility(&current);
        enrolment_only.enrolled = "11".into();
        assert!(!apply(&enrolment_only, &current).unwrap().hours_confirmed, "standard hours stay unconfirmed");
        enrolment_only.hours_confirmed = "1".into();
        assert!(apply(&enrolment_only, &current).unwrap().hours_confirmed);
        assert_eq!(saved.hours.0[0].map(|s| s.label()), Some("13:00–19:00".into()));
    }
}
