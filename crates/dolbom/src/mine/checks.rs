//! Saved eligibility checks: a resident keeps a "나에게 맞는 복지 찾기" result, finds it on 내 돌봄, sees what
//! they answered and what was found that day, asks the same again against today's rules, or deletes it.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::{Deserialize, Serialize};

use super::checks_store::{self, SavedCheck};
use crate::app::AppState;
use crate::auth::{CsrfForm, CurrentUser, NoFields, Visitor};
use crate::db::Db;
use crate::db::time::seoul_display;
use crate::directory::check::{CheckForm, Checked, benefit_key, fact_key};
use crate::error::{AppError, AppResult};
use crate::web::{Page, render};

/// A service as the check named it.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct ServiceRef {
    pub id: String,
    pub name: String,
}

/// What a check found.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct Found {
    pub eligible: Vec<ServiceRef>,
    pub unknown: Vec<ServiceRef>,
    pub ruled_out: usize,
}

impl Found {
    pub fn of(saved: &SavedCheck) -> Found {
        serde_json::from_str(&saved.results).unwrap_or_default()
    }
}

fn refs(list: &[Checked]) -> Vec<ServiceRef> {
    list.iter().map(|c| ServiceRef { id: c.service.id.clone(), name: c.service.name.clone() }).collect()
}

/// Keeps a check the resident just ran; returns its id.
pub async fn keep(
    db: &Db,
    user_id: &str,
    answers: &CheckForm,
    eligible: &[Checked],
    unknown: &[Checked],
    ruled_out: usize,
) -> AppResult<String> {
    let found = Found { eligible: refs(eligible), unknown: refs(unknown), ruled_out };
    let json = |v: serde_json::Result<String>| v.map_err(|e| AppError::Internal(format!("saved check: {e}")));
    let (answers, results) = (json(serde_json::to_string(answers))?, json(serde_json::to_string(&found))?);
    Ok(checks_store::save(db, user_id, &answers, &results).await?)
}

#[derive(Template)]
#[template(path = "mine/check.html")]
struct SavedPage {
    page: Page,
    saved: SavedCheck,
    answers: CheckForm,
    found: Found,
    /// The 행정동 answered, by name.
    area: Option<String>,
}

impl SavedPage {
    fn when(&self) -> String {
        seoul_display(self.saved.created_at)
    }

    /// What was answered, as (question, answer) in the reader's language.
    fn said(&self) -> Vec<(String, String)> {
        let t = |key: String| self.page.t(key);
        self.answers
            .answered()
            .into_iter()
            .map(|(name, value)| match (name, value.as_str()) {
                ("area", _) => (t("label-area".into()), self.area.clone().unwrap_or(value)),
                ("benefits", "none") => (t("check-benefits".into()), t("check-benefit-none".into())),
                ("benefits", code) => (t("check-benefits".into()), t(benefit_key(code))),
                (fact, "yes" | "no") => (t(fact_key(fact)), t(format!("check-{value}"))),
                (field, _) => (t(format!("label-{field}")), value),
            })
            .collect()
    }
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    user: CurrentUser,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let saved = checks_store::find(&state.db, &user.id, &id).await?.ok_or(AppError::NotFound)?;
    let answers: CheckForm = serde_json::from_str(&saved.answers).unwrap_or_default();
    let area = state.areas.name_of(&answers.area).map(str::to_string);
    let found = Found::of(&saved);
    render(&SavedPage { page: Page::new(&visitor, "saved-check-title"), saved, answers, found, area })
}

pub async fn delete(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> AppResult<Response> {
    if !checks_store::delete(&state.db, &user.id, &id).await? {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::to("/my#my-checks").into_response())
}

/// The demo resident's saved check: a grandmother raising two grandchildren on a small income.
pub async fn seed_demo(state: &AppState, resident: &str) -> AppResult<()> {
    let answers = CheckForm {
        birth_date: "1958-03-02".into(),
        area: state.areas.choices().first().map(|(code, _)| code.clone()).unwrap_or_default(),
        household_size: "3".into(),
        monthly_income: "1,800,000".into(),
        children: "2".into(),
        youngest_child_age: "8".into(),
        grandparent_family: "yes".into(),
        employed: "no".into(),
        benefits: vec!["basic_pension".into()],
        ..CheckForm::default()
    };
    let today = crate::db::time::seoul_today();
    let profile = answers.profile(today, |code| state.areas.get(code).is_some()).map_err(AppError::Invalid)?;
    let (eligible, unknown, ruled_out) =
        crate::directory::check::check_services(&state.db, state.municipality(), &profile).await?;
    keep(&state.db, resident, &answers, &eligible, &unknown, ruled_out).await.map(|_| ())
}
