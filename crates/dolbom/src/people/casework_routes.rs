//! The household page's forms for consents and referrals, and the agency's referral list with its steps.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::consent::{self, ConsentError, NewConsent, RecordError};
use super::referrals::{self, NewReferral, Referral, ReferralError, Step};
use super::routes::HouseholdPage;
use crate::app::AppState;
use crate::audit::Purpose;
use crate::auth::{CsrfForm, CurrentUser, NoFields, Visitor};
use crate::cases::model::date;
use crate::db::time::{Millis, seoul_display};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::web::{Page, render, render_with_status};

fn back_to(household: &str, anchor: &str) -> Response {
    Redirect::to(&format!("/staff/households/{household}?purpose=case_management#{anchor}")).into_response()
}

fn no_agency(field: &'static str) -> FieldErrors {
    let mut errors = FieldErrors::default();
    errors.add(field, "ledger-error-no-agency");
    errors
}

#[derive(Deserialize, Default)]
pub struct ConsentForm {
    #[serde(default)]
    resident_id: String,
    #[serde(default)]
    purpose: String,
    /// Empty: every agency of the consortium.
    #[serde(default)]
    agency_id: String,
    #[serde(default)]
    given_on: String,
    #[serde(default)]
    expires_on: String,
}

/// `POST /staff/households/{id}/consents`: records a member's consent as given on paper or in person.
pub async fn record_consent(
    State(state): State<AppState>,
    visitor: Visitor,
    user: CurrentUser,
    Path(id): Path<String>,
    CsrfForm(f): CsrfForm<ConsentForm>,
) -> AppResult<Response> {
    let mut page = HouseholdPage::load(&state, &visitor, &user, &id, Purpose::CaseManagement).await?;
    let mut errors = FieldErrors::default();
    if !page.members.iter().any(|(m, _, _)| *m == f.resident_id) {
        errors.add("resident_id", "field-choice-invalid");
    }
    if !f.agency_id.is_empty()
        && !page.agencies.iter().any(|(a, _)| *a == f.agency_id)
        && user.organization_id.as_deref() != Some(f.agency_id.as_str())
    {
        errors.add("agency_id", "field-choice-invalid");
    }
    let (given, expires) = (date(&f.given_on), date(&f.expires_on));
    for (field, day) in [("given_on", given), ("expires_on", expires)] {
        if day.is_none() {
            errors.add(field, "field-date-invalid");
        }
    }
    if let (true, Some(given_on), Some(expires_on)) = (errors.is_empty(), given, expires) {
        let c = NewConsent {
            resident_id: &f.resident_id,
            purpose: &f.purpose,
            agency_id: Some(f.agency_id.as_str()).filter(|a| !a.is_empty()),
            given_on,
            expires_on,
        };
        match consent::record(&state.db, state.municipality(), &c, &user.id).await {
            Ok(_) => return Ok(back_to(&id, "consents")),
            Err(RecordError::Invalid(ConsentError::Reversed)) => errors.add("expires_on", "consent-error-reversed"),
            Err(RecordError::Invalid(ConsentError::UnknownPurpose)) => errors.add("purpose", "field-choice-invalid"),
            Err(RecordError::Invalid(ConsentError::UnknownResident)) => {
                errors.add("resident_id", "field-choice-invalid")
            }
            Err(RecordError::Db(e)) => return Err(e.into()),
        }
    }
    let typed = [
        ("resident_id", f.resident_id),
        ("purpose", f.purpose),
        ("agency_id", f.agency_id),
        ("given_on", f.given_on),
        ("expires_on", f.expires_on),
    ];
    page.refuse("consent", errors, &typed);
    render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

/// `POST /staff/consents/{id}/withdraw`: the resident withdrew it; sharing stops at once.
pub async fn withdraw_consent(
    State(state): State<AppState>,
    visitor: Visitor,
    user: CurrentUser,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> AppResult<Response> {
    let household = consent::household_of(&state.db, state.municipality(), &id).await?.ok_or(AppError::NotFound)?;
    HouseholdPage::load(&state, &visitor, &user, &household, Purpose::CaseManagement).await?;
    consent::withdraw(&state.db, &id).await?;
    Ok(back_to(&household, "consents"))
}

#[derive(Deserialize, Default)]
pub struct ReferralForm {
    #[serde(default)]
    to_agency: String,
    #[serde(default)]
    domain: String,
    #[serde(default)]
    need: String,
}

/// `POST /staff/households/{id}/referrals`: refers the household to another agency, with the household's consent.
pub async fn refer(
    State(state): State<AppState>,
    visitor: Visitor,
    user: CurrentUser,
    Path(id): Path<String>,
    CsrfForm(f): CsrfForm<ReferralForm>,
) -> AppResult<Response> {
    let mut page = HouseholdPage::load(&state, &visitor, &user, &id, Purpose::CaseManagement).await?;
    let errors = match user.organization_id.as_deref() {
        None => no_agency("to_agency"),
        Some(from) => {
            let r = NewReferral {
                household_id: &id,
                from_agency: from,
                to_agency: &f.to_agency,
                domain: &f.domain,
                need: &f.need,
            };
            let mut errors = FieldErrors::default();
            match referrals::send(&state.db, state.municipality(), &r, &user.id).await {
                Ok(_) => return Ok(back_to(&id, "referrals")),
                Err(ReferralError::UnknownDomain) => errors.add("domain", "field-choice-invalid"),
                Err(ReferralError::EmptyNeed) => errors.add("need", "field-required"),
                Err(ReferralError::ToItself | ReferralError::Unknown) => {
                    errors.add("to_agency", "field-choice-invalid")
                }
                Err(ReferralError::NoConsent) => errors.add("to_agency", "referral-error-no-consent"),
                Err(ReferralError::OutOfOrder) => return Err(AppError::Conflict("referral-error-out-of-order")),
                Err(ReferralError::Db(e)) => return Err(e.into()),
            }
            errors
        }
    };
    page.refuse("referral", errors, &[("to_agency", f.to_agency), ("domain", f.domain), ("need", f.need)]);
    render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

#[derive(Template)]
#[template(path = "people/referrals.html")]
struct ReferralsPage {
    page: Page,
    agency: String,
    referrals: Vec<Referral>,
}

impl ReferralsPage {
    fn when(&self, at: &Millis) -> String {
        seoul_display(*at)
    }
}

/// `GET /staff/referrals`: the agency's referrals, received and sent.
pub async fn list(State(state): State<AppState>, visitor: Visitor, user: CurrentUser) -> AppResult<Response> {
    let agency = user.organization_id.clone().unwrap_or_default();
    let referrals = referrals::of_agency(&state.db, &agency).await?;
    render(&ReferralsPage { page: Page::new(&visitor, "referrals-title"), agency, referrals })
}

#[derive(Deserialize, Default)]
pub struct StepForm {
    #[serde(default)]
    step: String,
    #[serde(default)]
    outcome: String,
}

/// `POST /staff/referrals/{id}/step`: the receiving agency accepts, declines, serves or closes.
pub async fn step(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    CsrfForm(f): CsrfForm<StepForm>,
) -> AppResult<Response> {
    let step = match f.step.as_str() {
        "accept" => Step::Accept,
        "decline" => Step::Decline,
        "serve" => Step::Serve,
        "close" => Step::Close,
        _ => return Err(AppError::BadRequest("step_unknown")),
    };
    if step == Step::Close && f.outcome.trim().is_empty() {
        return Err(AppError::Conflict("referral-error-outcome-needed"));
    }
    let agency = user.organization_id.as_deref().unwrap_or_default();
    match referrals::step(&state.db, &id, agency, step, &f.outcome).await {
        Ok(()) => Ok(Redirect::to("/staff/referrals").into_response()),
        Err(ReferralError::Db(e)) => Err(e.into()),
        Err(_) => Err(AppError::Conflict("referral-error-out-of-order")),
    }
}
