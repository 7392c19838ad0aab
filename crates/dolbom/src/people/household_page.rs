//! The household page: who lives there, their consents, cases, visits, referrals and the services linked to them,
//! with the forms a welfare worker uses on each. Opening it is a logged read.

use askama::Template;

use super::consent::{self, Consent, PURPOSES};
use super::referrals::{self, DOMAINS, Referral};
use super::store;
use crate::app::AppState;
use crate::audit::{Purpose, Reader};
use crate::auth::{CurrentUser, Role, Visitor};
use crate::cases::store::{self as cases, Case};
use crate::error::{AppResult, FieldErrors};
use crate::ledger::model::LinkForm;
use crate::ledger::store as ledger;
use crate::outreach::store::{self as outreach, Visit};
use crate::web::Page;

#[derive(Template)]
#[template(path = "people/household.html")]
pub struct HouseholdPage {
    pub page: Page,
    pub id: String,
    pub members: Vec<(String, String, String)>,
    pub purpose: Purpose,
    pub consents: Vec<Consent>,
    pub cases: Vec<Case>,
    pub visits: Vec<Visit>,
    pub referrals: Vec<Referral>,
    /// The agencies the household can be referred to (id, name).
    pub agencies: Vec<(String, String)>,
    /// The services linked to the household, from any agency.
    pub links: Vec<ledger::Link>,
    /// Active services to link, id and name.
    pub services: Vec<(String, String)>,
    /// The link being entered, its errors, and the links it overlaps (a reason is then asked for).
    pub form: LinkForm,
    pub errors: FieldErrors,
    pub overlapping: Vec<ledger::Link>,
    /// Whether the user works cases: links services, records consents, opens cases, refers, visits.
    pub may_link: bool,
    /// Another form that was refused (`consent`, `case`, `referral`, `visit`), its errors and what was typed.
    pub failed: &'static str,
    pub form_errors: FieldErrors,
    pub typed: Vec<(&'static str, String)>,
    pub purposes: [&'static str; 4],
    pub domains: [&'static str; 8],
}

impl HouseholdPage {
    /// The household page as its reader sees it; the members' read is logged with the purpose.
    pub async fn load(
        state: &AppState,
        visitor: &Visitor,
        user: &CurrentUser,
        id: &str,
        purpose: Purpose,
    ) -> AppResult<HouseholdPage> {
        let db = &state.db;
        let members = store::household_members(db, &Reader::of(state, user, visitor), id, purpose).await?;
        let agency = user.organization_id.as_deref().unwrap_or_default();
        Ok(HouseholdPage {
            page: Page::new(visitor, "household-title"),
            id: id.to_string(),
            members,
            purpose,
            consents: consent::of_household(db, id).await?,
            cases: cases::of_household(db, id).await?,
            visits: outreach::of_household(db, id).await?,
            referrals: referrals::of_household(db, id).await?,
            agencies: referrals::agencies(db, state.municipality(), agency).await?,
            links: ledger::of_household(db, id).await?,
            services: ledger::active_services(db, state.municipality()).await?,
            form: LinkForm::default(),
            errors: FieldErrors::default(),
            overlapping: Vec::new(),
            may_link: user.role == Role::WelfareWorker,
            failed: "",
            form_errors: FieldErrors::default(),
            typed: Vec::new(),
            purposes: PURPOSES,
            domains: DOMAINS,
        })
    }

    /// Marks `form` refused with its errors, keeping what was typed.
    pub fn refuse(&mut self, form: &'static str, errors: FieldErrors, typed: &[(&'static str, String)]) {
        self.failed = form;
        self.form_errors = errors;
        self.typed = typed.to_vec();
    }

    pub fn errors_of(&self, form: &str) -> FieldErrors {
        if self.failed == form { self.form_errors.clone() } else { FieldErrors::default() }
    }

    pub fn typed(&self, field: &str) -> &str {
        self.typed.iter().find(|(f, _)| *f == field).map(|(_, v)| v.as_str()).unwrap_or_default()
    }

    pub fn member_name(&self, resident_id: &str) -> String {
        self.members.iter().find(|(id, _, _)| id == resident_id).map(|m| m.1.clone()).unwrap_or_default()
    }

    fn won(&self, amount: &Option<i64>) -> String {
        amount.map(|a| self.page.won(a)).unwrap_or_default()
    }

    fn when(&self, at: &crate::db::time::Millis) -> String {
        crate::db::time::seoul_display(*at)
    }
}
