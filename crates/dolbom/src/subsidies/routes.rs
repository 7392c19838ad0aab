//! Residents and group leaders meet the subsidy programmes: the list (with the leader's own applications), a
//! programme's page, and the application with its budget plan.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use grants::plan::Plan;
use grants::review::{Criterion, Outcome};

use super::forms::{LinesForm, PlanForm};
use super::messages::describe;
use super::queries::{self, Application};
use super::store::{self, NewApplication, Programme, SubsidyError};
use crate::app::AppState;
use crate::auth::{CsrfForm, CurrentUser, Role, Visitor};
use crate::db::time::seoul_today;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::web::{Page, render, render_with_status};

#[derive(Template)]
#[template(path = "subsidies/list.html")]
struct ListPage {
    page: Page,
    today: NaiveDate,
    programmes: Vec<Programme>,
    mine: Vec<Application>,
}

/// `GET /subsidies`
pub async fn list(State(state): State<AppState>, visitor: Visitor) -> AppResult<Response> {
    let programmes = queries::programmes(&state.db, state.municipality()).await?;
    let mine = match leader_group(visitor.user.as_ref()) {
        Some(group) => queries::applications_of(&state.db, group).await?,
        None => Vec::new(),
    };
    render(&ListPage { page: Page::new(&visitor, "subsidy-list-title"), today: seoul_today(), programmes, mine })
}

/// The group a leader acts for.
pub(crate) fn leader_group(user: Option<&CurrentUser>) -> Option<&str> {
    user.filter(|u| u.role == Role::GroupLeader).and_then(|u| u.organization_id.as_deref())
}

pub(super) async fn programme_of(state: &AppState, id: &str) -> AppResult<Programme> {
    store::programme(&state.db, state.municipality(), id).await?.ok_or(AppError::NotFound)
}

#[derive(Template)]
#[template(path = "subsidies/programme.html")]
struct ProgrammePage {
    page: Page,
    p: Programme,
    open: bool,
    criteria: Vec<Criterion>,
    /// The leader's group's application to it.
    mine: Option<Application>,
    /// For officials: every application with its result so far.
    applications: Vec<(Application, Option<Outcome>)>,
}

impl ProgrammePage {
    fn score(&self, o: &Option<Outcome>) -> String {
        super::grant_view::score_text(o.as_ref()).unwrap_or_else(|| "—".into())
    }
}

/// `GET /subsidies/{id}`
pub async fn show(State(state): State<AppState>, visitor: Visitor, Path(id): Path<String>) -> AppResult<Response> {
    let p = programme_of(&state, &id).await?;
    let user = visitor.user.as_ref();
    let mine = match leader_group(user) {
        Some(group) => queries::applications_of(&state.db, group).await?.into_iter().find(|a| a.programme_id == p.id),
        None => None,
    };
    let mut applications = Vec::new();
    if user.is_some_and(|u| u.role == Role::Official) {
        for a in queries::applications_to(&state.db, &p.id).await? {
            let outcome = store::outcome(&state.db, &a.id).await?;
            applications.push((a, outcome));
        }
    }
    let today = seoul_today();
    let mut page = Page::new(&visitor, "subsidy-programme-title");
    page.title = p.name.clone();
    let open = p.opens_on <= today && today <= p.closes_on;
    render(&ProgrammePage { page, criteria: p.criteria(), open, p, mine, applications })
}

#[derive(Template)]
#[template(path = "subsidies/apply.html")]
struct ApplyPage {
    page: Page,
    p: Programme,
    form: PlanForm,
    errors: FieldErrors,
    problems: Vec<String>,
}

fn apply_page(
    visitor: &Visitor,
    p: Programme,
    form: PlanForm,
    errors: FieldErrors,
    problems: Vec<String>,
) -> ApplyPage {
    let mut page = Page::new(visitor, "subsidy-apply-title");
    page.title = format!("{} · {}", page.title, p.name);
    ApplyPage { page, p, form, errors, problems }
}

/// `GET /subsidies/{id}/apply`
pub async fn apply_form(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let p = programme_of(&state, &id).await?;
    let form = PlanForm::with_lines(LinesForm::from_plan(&Plan { lines: Vec::new() }, 5));
    render(&apply_page(&visitor, p, form, FieldErrors::default(), Vec::new()))
}

/// `POST /subsidies/{id}/apply`: the plan's total is what the group asks for.
pub async fn apply(
    State(state): State<AppState>,
    visitor: Visitor,
    user: CurrentUser,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<PlanForm>,
) -> AppResult<Response> {
    let p = programme_of(&state, &id).await?;
    let group = leader_group(Some(&user)).ok_or(AppError::Forbidden)?;
    let plan = match form.read_application() {
        Ok(plan) => plan,
        Err(errors) => {
            return render_with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &apply_page(&visitor, p, form, errors, vec![]),
            );
        }
    };
    let a = NewApplication {
        group_id: group,
        applicant_id: &user.id,
        title: &form.title,
        summary: &form.summary,
        plan: &plan,
    };
    match store::apply(&state.db, &p, &a, seoul_today()).await {
        Ok(application) => Ok(Redirect::to(&format!("/grants/{application}")).into_response()),
        Err(SubsidyError::Db(e)) => Err(e.into()),
        Err(e) => {
            let name = |code: &str| plan.line(code).map(|l| l.name.clone()).unwrap_or_else(|| code.to_string());
            let problems = describe(visitor.locale, &e, &name);
            render_with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &apply_page(&visitor, p, form, FieldErrors::default(), problems),
            )
        }
    }
}
