//! Officials run the best-practice contest: open one with its rubric (`/official/contests`), score each entry
//! with the grant review's sheets, and publish the results once every entry has a score.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::contest_routes::{Refusal, contest_of, contest_page, error_code};
use super::contest_store::{self, Contest, ContestError, NewContest};
use crate::app::AppState;
use crate::auth::{CsrfForm, CurrentUser, NoFields, Visitor};
use crate::error::{AppResult, FieldErrors};
use crate::subsidies::forms::{period, points, required, rubric, rubric_rows};
use crate::subsidies::official_routes::ReviewForm;
use crate::web::{Page, render_with_status};

#[derive(Clone, Debug, Default, Deserialize)]
pub struct ContestForm {
    #[serde(default)]
    contest_name: String,
    #[serde(default)]
    contest_description: String,
    #[serde(default)]
    opens_on: String,
    #[serde(default)]
    closes_on: String,
    #[serde(default)]
    criterion_name: Vec<String>,
    #[serde(default)]
    criterion_max: Vec<String>,
}

#[derive(Template)]
#[template(path = "contests/official.html")]
struct OfficialPage {
    page: Page,
    contests: Vec<Contest>,
    form: ContestForm,
    errors: FieldErrors,
}

impl OfficialPage {
    fn criterion_rows(&self) -> Vec<(String, String)> {
        rubric_rows(&self.form.criterion_name, &self.form.criterion_max)
    }
}

async fn official_page(
    state: &AppState,
    visitor: &Visitor,
    form: ContestForm,
    errors: FieldErrors,
) -> AppResult<Response> {
    let contests = contest_store::list(&state.db, state.municipality()).await?;
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    render_with_status(
        status,
        &OfficialPage { page: Page::new(visitor, "contest-official-title"), contests, form, errors },
    )
}

/// `GET /official/contests`
pub async fn list(State(state): State<AppState>, visitor: Visitor) -> AppResult<Response> {
    official_page(&state, &visitor, ContestForm::default(), FieldErrors::default()).await
}

/// `POST /official/contests`
pub async fn create(
    State(state): State<AppState>,
    visitor: Visitor,
    user: CurrentUser,
    CsrfForm(form): CsrfForm<ContestForm>,
) -> AppResult<Response> {
    let mut errors = FieldErrors::default();
    required(&mut errors, "contest_name", &form.contest_name, 100);
    if form.contest_description.chars().count() > 5000 {
        errors.add("contest_description", "field-text-too-long");
    }
    let dates = period(&form.opens_on, &form.closes_on, &mut errors);
    let criteria = rubric(&form.criterion_name, &form.criterion_max, &mut errors);
    let Some((opens_on, closes_on)) = dates.filter(|_| errors.is_empty()) else {
        return official_page(&state, &visitor, form, errors).await;
    };
    let c = NewContest {
        name: &form.contest_name,
        description: &form.contest_description,
        opens_on,
        closes_on,
        rubric: &criteria,
    };
    let id = contest_store::create(&state.db, state.municipality(), &user.id, &c).await?;
    Ok(Redirect::to(&format!("/contests/{id}")).into_response())
}

/// `POST /contests/{id}/entries/{item}/reviews`: this official's sheet for one entry.
pub async fn review(
    State(state): State<AppState>,
    visitor: Visitor,
    user: CurrentUser,
    Path((id, item)): Path<(String, String)>,
    CsrfForm(f): CsrfForm<ReviewForm>,
) -> AppResult<Response> {
    let c = contest_of(&state, &id).await?;
    let entries = contest_store::entries(&state.db, &c.id).await?;
    let entry = entries.iter().find(|e| e.id == item).ok_or(crate::error::AppError::NotFound)?;
    let errors = match points(&f.points, &c.criteria()) {
        Err(errors) => errors,
        Ok(p) => match contest_store::review(&state.db, &c, &entry.id, &user.id, &p, &f.comment).await {
            Ok(()) => return Ok(Redirect::to(&format!("/contests/{}#entry-{}", c.id, entry.id)).into_response()),
            Err(ContestError::Db(e)) => return Err(e.into()),
            Err(e) => {
                let mut errors = FieldErrors::default();
                errors.add("review", error_code(&e));
                errors
            }
        },
    };
    let refusal = Refusal { review: Some((entry.id.clone(), f.points, f.comment)), errors, ..Default::default() };
    contest_page(&state, &visitor, c, refusal).await
}

/// `POST /contests/{id}/publish`: the results go out on the contest's page and the hub.
pub async fn publish(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> AppResult<Response> {
    let c = contest_of(&state, &id).await?;
    match contest_store::publish(&state.db, &c).await {
        Ok(()) => Ok(Redirect::to(&format!("/contests/{}#results", c.id)).into_response()),
        Err(ContestError::Db(e)) => Err(e.into()),
        Err(e) => {
            let mut errors = FieldErrors::default();
            errors.add("publish", error_code(&e));
            contest_page(&state, &visitor, c, Refusal { errors, ..Default::default() }).await
        }
    }
}
