//! `GET|POST /official/waitlist/rules`: the municipality's priority rules as JSON, edited by an official. A save is
//! checked whole (`PriorityRules::parse`) and refused with what is wrong, the text kept as typed; the rules apply to
//! the next round and the next offer, not to results already given.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::priority::{PriorityRules, RulesError};
use super::rules_store;
use crate::app::AppState;
use crate::auth::{CsrfForm, CurrentUser, Visitor};
use crate::db::time::seoul_display;
use crate::error::AppResult;
use crate::web::{Page, render, render_with_status};

#[derive(Template)]
#[template(path = "waitlist/rules.html")]
struct RulesPage {
    page: Page,
    text: String,
    /// When the municipality last saved its own rules; `None`: the default is in force.
    saved_at: Option<String>,
    problem: Option<String>,
}

fn pretty(rules: &PriorityRules) -> String {
    serde_json::to_string_pretty(rules).unwrap_or_default()
}

pub async fn page(State(state): State<AppState>, visitor: Visitor) -> AppResult<Response> {
    let stored = rules_store::stored(&state.db, state.municipality()).await?;
    let rules = rules_store::rules(&state.db, state.municipality()).await?;
    render(&RulesPage {
        page: Page::new(&visitor, "waitlist-rules-title"),
        text: pretty(&rules),
        saved_at: stored.map(|(_, at)| seoul_display(at)),
        problem: None,
    })
}

#[derive(Deserialize)]
pub struct RulesForm {
    #[serde(default)]
    rules: String,
}

/// The catalog's sentence for what is wrong with the rules.
fn problem(page: &Page, e: &RulesError) -> String {
    match e {
        RulesError::Malformed(detail) => page.t1("waitlist-rules-malformed", "detail", detail),
        RulesError::DuplicateClass(class) => page.t1("waitlist-rules-duplicate-class", "class", class.to_string()),
        RulesError::NoDocument(fact) => page.t1("waitlist-rules-no-document", "fact", fact),
        RulesError::NegativePoints(fact) => page.t1("waitlist-rules-negative-points", "fact", fact),
        RulesError::OfferHours(hours) => page.t1("waitlist-rules-offer-hours", "hours", hours.to_string()),
    }
}

pub async fn save(
    State(state): State<AppState>,
    visitor: Visitor,
    user: CurrentUser,
    CsrfForm(form): CsrfForm<RulesForm>,
) -> AppResult<Response> {
    match PriorityRules::parse(&form.rules) {
        Ok(rules) => {
            rules_store::save(&state.db, state.municipality(), &pretty(&rules), &user.id).await?;
            Ok(Redirect::to("/official/waitlist/rules").into_response())
        }
        Err(e) => {
            let page = Page::new(&visitor, "waitlist-rules-title");
            let problem = Some(problem(&page, &e));
            let saved_at = rules_store::stored(&state.db, state.municipality()).await?.map(|(_, at)| seoul_display(at));
            render_with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &RulesPage { page, text: form.rules, saved_at, problem },
            )
        }
    }
}
