//! Resident pages of the directory.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use eligibility::Status;

use super::check::{BENEFIT_CODES, CheckForm, Checked, FACT_FIELDS, benefit_key, check_services, fact_key};
use super::explain;
use crate::app::AppState;
use crate::auth::{CsrfForm, Permission, Visitor};
use crate::db::time::seoul_today;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::web::{Page, render, render_with_status};

/// One line of "why": the condition, its status, and what would change it.
pub struct ReasonLine {
    pub status: Status,
    pub status_label: String,
    pub condition: String,
    pub what_if: Option<String>,
}

pub struct ResultCard {
    pub id: String,
    pub name: String,
    pub description: String,
    pub organization: String,
    pub reasons: Vec<ReasonLine>,
}

#[derive(Template)]
#[template(path = "directory/check.html")]
struct CheckPage {
    page: Page,
    form: CheckForm,
    errors: FieldErrors,
    areas: Vec<(String, String)>,
    facts: Vec<&'static str>,
    benefits: Vec<&'static str>,
    results: Option<CheckResults>,
}

/// The results: (catalog key of the heading, cards) for eligible and to-be-checked services, and how many
/// services were ruled out.
pub struct CheckResults {
    pub sections: Vec<(&'static str, Vec<ResultCard>)>,
    pub ruled_out: usize,
}

impl CheckPage {
    fn new(state: &AppState, visitor: &Visitor, form: CheckForm, errors: FieldErrors) -> CheckPage {
        CheckPage {
            page: Page::new(visitor, "check-title"),
            form,
            errors,
            areas: state.areas.choices(),
            facts: FACT_FIELDS.iter().map(|(name, _)| *name).collect(),
            benefits: BENEFIT_CODES.iter().map(|(code, _)| *code).collect(),
            results: None,
        }
    }

    fn fact_label(&self, name: &str) -> String {
        self.page.t(fact_key(name))
    }

    fn benefit_label(&self, code: &str) -> String {
        self.page.t(benefit_key(code))
    }
}

fn card(page: &Page, checked: Checked) -> ResultCard {
    let reasons = checked
        .verdict
        .reasons
        .iter()
        .map(|r| ReasonLine {
            status: r.status,
            status_label: page.t(explain::status_key(r.status)),
            condition: explain::criterion(page.locale, &r.criterion),
            what_if: r.what_if.as_ref().map(|w| explain::what_if(page.locale, w)),
        })
        .collect();
    ResultCard {
        id: checked.service.id,
        name: checked.service.name,
        description: checked.service.description,
        organization: checked.service.organization_name.unwrap_or_default(),
        reasons,
    }
}

pub async fn check_form(State(state): State<AppState>, visitor: Visitor) -> AppResult<Response> {
    render(&CheckPage::new(&state, &visitor, CheckForm::default(), FieldErrors::default()))
}

/// Evaluates the form against every service with rules; stores it only when a resident asks to keep it.
pub async fn check(
    State(state): State<AppState>,
    visitor: Visitor,
    CsrfForm(form): CsrfForm<CheckForm>,
) -> AppResult<Response> {
    let profile = match form.profile(seoul_today(), |code| state.areas.get(code).is_some()) {
        Ok(profile) => profile,
        Err(errors) => {
            let page = CheckPage::new(&state, &visitor, form, errors);
            return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    let (eligible, unknown, ruled_out) = check_services(&state.db, state.municipality(), &profile).await?;
    if !form.save.is_empty() {
        let resident = visitor.user.as_ref().filter(|u| Permission::RegisterChildren.allows(Some(u.role)));
        let user = resident.ok_or(AppError::Forbidden)?;
        let id = crate::mine::checks::keep(&state.db, &user.id, &form, &eligible, &unknown, ruled_out).await?;
        return Ok(Redirect::to(&format!("/my/checks/{id}")).into_response());
    }
    let mut page = CheckPage::new(&state, &visitor, form, FieldErrors::default());
    let cards = |list: Vec<Checked>| list.into_iter().map(|c| card(&page.page, c)).collect::<Vec<_>>();
    let sections = vec![("check-eligible", cards(eligible)), ("check-unknown", cards(unknown))];
    page.results = Some(CheckResults { sections, ruled_out });
    render(&page)
}
