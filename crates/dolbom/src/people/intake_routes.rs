//! `GET/POST /staff/intake`: a welfare worker registers a person met at the counter or on a visit. The form is
//! checked field by field (a 주민등록번호 with a wrong check digit is named as such); the person is then checked
//! against everyone known: the same 주민등록번호 is refused with where they are, likely matches are shown and
//! registering anyway needs the worker to confirm it is someone else. Then household and person are saved together.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use serde::Deserialize;

use super::model::mask_name;
use super::store::{self, NewHousehold, NewResident};
use crate::app::AppState;
use crate::auth::{CsrfForm, CurrentUser, Visitor};
use crate::cases::model::{date, text};
use crate::db::new_id;
use crate::db::time::seoul_today;
use crate::error::{AppResult, FieldErrors};
use crate::keys::{Rrn, RrnError};
use crate::web::{Page, render, render_with_status};

#[derive(Clone, Debug, Default, Deserialize)]
pub struct IntakeForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub birth_date: String,
    #[serde(default)]
    pub sex: String,
    #[serde(default)]
    pub rrn: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub area: String,
    /// `yes` once the worker has seen the likely matches and says this is someone else.
    #[serde(default)]
    pub confirm_new: String,
    /// The household the person joins, when adding a member; empty for a new household.
    #[serde(default)]
    pub household: String,
    /// The person's relation to the household's head, when joining one.
    #[serde(default)]
    pub relation: String,
}

/// The relations a member joining a household may have (the head is who starts one).
pub const RELATIONS: [&str; 4] = ["spouse", "child", "grandchild", "parent"];

pub struct Person {
    pub name: String,
    pub birth_date: NaiveDate,
    pub sex: &'static str,
    pub rrn: Option<Rrn>,
    pub phone: Option<String>,
    pub address: String,
    pub area: String,
    pub relation: &'static str,
}

impl IntakeForm {
    /// Checks every field; `areas` are the 행정동s the worker may register in.
    pub fn check(&self, areas: &[String], today: NaiveDate) -> Result<Person, FieldErrors> {
        let mut errors = FieldErrors::default();
        let name = text(&mut errors, "name", &self.name);
        if name.chars().count() > 40 {
            errors.add("name", "field-name-invalid");
        }
        let birth_date = date(&self.birth_date);
        match birth_date {
            None => errors.add("birth_date", "field-date-invalid"),
            Some(d) if d > today => errors.add("birth_date", "field-birth-date-future"),
            Some(_) => {}
        }
        let sex = match self.sex.as_str() {
            "F" => "F",
            "M" => "M",
            _ => {
                errors.add("sex", "field-choice-invalid");
                "F"
            }
        };
        let rrn = match self.rrn.trim() {
            "" => None,
            given => match Rrn::parse_checked(given) {
                Ok(rrn) if birth_date.is_some_and(|d| rrn.birth_date() != Some(d)) || rrn.sex().to_string() != sex => {
                    errors.add("rrn", "intake-error-rrn-mismatch");
                    None
                }
                Ok(rrn) => Some(rrn),
                Err(RrnError::CheckDigit) => {
                    errors.add("rrn", "rrn-error-check-digit");
                    None
                }
                Err(RrnError::Shape) => {
                    errors.add("rrn", "child-error-rrn-invalid");
                    None
                }
            },
        };
        let phone = Some(self.phone.trim()).filter(|p| !p.is_empty());
        if phone.is_some_and(|p| linkage::phone(p).is_none()) {
            errors.add("phone", "intake-error-phone");
        }
        let joining = !self.household.is_empty();
        let address =
            if joining { self.address.trim().to_string() } else { text(&mut errors, "address", &self.address) };
        if !joining && !areas.contains(&self.area) {
            errors.add("area", "field-choice-invalid");
        }
        let relation = match RELATIONS.iter().find(|r| **r == self.relation) {
            Some(r) if joining => r,
            None if joining => {
                errors.add("relation", "field-choice-invalid");
                "child"
            }
            _ => "head",
        };
        let Some(birth_date) = birth_date else { return Err(errors) };
        errors.into_result(Person {
            name,
            birth_date,
            sex,
            rrn,
            phone: phone.map(str::to_string),
            address,
            area: self.area.clone(),
            relation,
        })
    }
}

/// A resident the person may be, as the form shows them: masked.
pub struct Likely {
    pub household_id: String,
    pub name: String,
    pub birth_year: i32,
    pub area: String,
    pub percent: u32,
}

#[derive(Template)]
#[template(path = "people/intake.html")]
struct IntakePage {
    page: Page,
    form: IntakeForm,
    errors: FieldErrors,
    areas: Vec<(String, String)>,
    likely: Vec<Likely>,
    relations: [&'static str; 4],
}

#[derive(Deserialize, Default)]
pub struct Joining {
    /// `/staff/intake?household=ID`: adding a member to that household.
    #[serde(default)]
    household: String,
}

pub async fn form(
    State(state): State<AppState>,
    visitor: Visitor,
    user: CurrentUser,
    Query(q): Query<Joining>,
) -> AppResult<Response> {
    let areas = super::reach::area_choices(&state.areas, &user);
    if !q.household.is_empty() {
        joined_household(&state, &visitor, &user, &q.household).await?;
    }
    let area = areas.first().map(|a| a.0.clone()).unwrap_or_default();
    let form = IntakeForm { area, household: q.household, ..IntakeForm::default() };
    let page = Page::new(&visitor, "intake-title");
    render(&IntakePage { page, form, errors: FieldErrors::default(), areas, likely: Vec::new(), relations: RELATIONS })
}

/// The household a member joins: within the worker's reach (a logged read), with its address and 행정동.
async fn joined_household(
    state: &AppState,
    visitor: &Visitor,
    user: &CurrentUser,
    id: &str,
) -> AppResult<(String, String)> {
    let reader = crate::audit::Reader::of(state, user, visitor);
    store::household_members(&state.db, &reader, id, crate::audit::Purpose::CaseManagement).await?;
    Ok(store::household_place(&state.db, id).await?)
}

pub async fn register(
    State(state): State<AppState>,
    visitor: Visitor,
    user: CurrentUser,
    CsrfForm(form): CsrfForm<IntakeForm>,
) -> AppResult<Response> {
    let areas = super::reach::area_choices(&state.areas, &user);
    let codes: Vec<String> = areas.iter().map(|a| a.0.clone()).collect();
    let refuse = |form: IntakeForm, errors: FieldErrors, likely: Vec<Likely>| {
        let page = Page::new(&visitor, "intake-title");
        let page = IntakePage { page, form, errors, areas: areas.clone(), likely, relations: RELATIONS };
        render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
    };
    let joining = match form.household.as_str() {
        "" => None,
        id => Some((id.to_string(), joined_household(&state, &visitor, &user, id).await?)),
    };
    let mut person = match form.check(&codes, seoul_today()) {
        Ok(p) => p,
        Err(errors) => return refuse(form, errors, Vec::new()),
    };
    if let Some((_, (address, area))) = &joining {
        (person.address, person.area) = (address.clone(), area.clone());
    }
    let municipality = state.municipality();
    let hashed = person.rrn.as_ref().map(|r| (state.keys.rrn_hash(r), state.keys.seal_rrn(r)));
    if let Some((hash, _)) = &hashed
        && let Some(known) = store::find_by_rrn_hash(&state.db, municipality, hash).await?
    {
        let mut errors = FieldErrors::default();
        errors.add("rrn", "intake-error-registered");
        return refuse(form, errors, likely(&state, &[(known, 1.0)]).await?);
    }
    if form.confirm_new != "yes" {
        let record = linkage::Record {
            record_id: String::new(),
            source: "intake".into(),
            name: person.name.clone(),
            birth_date: person.birth_date.format("%Y-%m-%d").to_string(),
            phone: person.phone.clone().unwrap_or_default(),
            address: person.address.clone(),
        };
        let candidates = state.people_index.check(&state.db, municipality, &record).await?;
        if !candidates.is_empty() {
            let found: Vec<(String, f64)> =
                candidates.into_iter().take(5).map(|c| (c.record_id, c.probability)).collect();
            let mut errors = FieldErrors::default();
            errors.add("confirm_new", "intake-error-likely-known");
            return refuse(form, errors, likely(&state, &found).await?);
        }
    }
    let household = save(&state, &person, hashed, joining.map(|(id, _)| id)).await?;
    Ok(Redirect::to(&format!("/staff/households/{household}?purpose=case_management")).into_response())
}

/// Saves the person into `joining`, or a new household with them as its head, in one transaction; returns the
/// household's id.
async fn save(
    state: &AppState,
    p: &Person,
    hashed: Option<(String, String)>,
    joining: Option<String>,
) -> Result<String, sqlx::Error> {
    let resident = new_id();
    let municipality = state.municipality();
    let mut tx = state.db.begin().await?;
    let household = match joining {
        Some(id) => id,
        None => {
            let id = new_id();
            let (lat, lon) = state.areas.inner_point(&p.area).unwrap_or_else(|| state.areas.center());
            let (adm_cd2, address) = (p.area.as_str(), p.address.as_str());
            let h = NewHousehold { id: &id, municipality_code: municipality, adm_cd2, address, lat, lon };
            store::insert_household(&mut tx, &h).await?;
            id
        }
    };
    let (rrn_hmac, rrn_sealed) = hashed.map_or((None, None), |(h, s)| (Some(h), Some(s)));
    let r = NewResident {
        id: &resident,
        municipality_code: municipality,
        household_id: &household,
        name: &p.name,
        birth_date: p.birth_date,
        sex: p.sex,
        relation: p.relation,
        phone: p.phone.as_deref(),
        rrn_hmac,
        rrn_sealed,
    };
    store::insert_resident(&mut tx, &r).await?;
    tx.commit().await?;
    Ok(household)
}

/// The residents behind the candidates, masked, in the candidates' order.
async fn likely(state: &AppState, found: &[(String, f64)]) -> Result<Vec<Likely>, sqlx::Error> {
    let mut out = Vec::new();
    for (id, probability) in found {
        if let Some((household_id, name, birth, adm_cd2)) = store::resident_place(&state.db, id).await? {
            use chrono::Datelike;
            out.push(Likely {
                household_id,
                name: mask_name(&name),
                birth_year: birth.year(),
                area: state.areas.name_of(&adm_cd2).unwrap_or_default().to_string(),
                percent: (probability * 100.0).round() as u32,
            });
        }
    }
    Ok(out)
}
