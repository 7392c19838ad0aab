//! The best-practice contest as groups and the public meet it: the contests (`/contests`), a contest's page with
//! its rubric, a leader's entry, and — once published — the results for everyone. Officials score on the same
//! page (`contest_official`).

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use grants::review::{Criterion, Sheet};
use serde::Deserialize;

use super::contest_store::{self, Contest, ContestError, Placed};
use crate::app::AppState;
use crate::auth::{CsrfForm, CurrentUser, Permission, Visitor};
use crate::db::time::seoul_today;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::subsidies::forms::required;
use crate::subsidies::routes::leader_group;
use crate::web::{Page, render, render_with_status};

#[derive(Template)]
#[template(path = "contests/list.html")]
struct ListPage {
    page: Page,
    today: NaiveDate,
    contests: Vec<Contest>,
}

/// `GET /contests`
pub async fn list(State(state): State<AppState>, visitor: Visitor) -> AppResult<Response> {
    let contests = contest_store::list(&state.db, state.municipality()).await?;
    render(&ListPage { page: Page::new(&visitor, "contest-list-title"), today: seoul_today(), contests })
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct EntryForm {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub body: String,
}

/// What was refused on the page, and where: the entry form, or an entry's sheet, or publishing.
#[derive(Default)]
pub(super) struct Refusal {
    pub entry: EntryForm,
    /// The entry whose sheet was refused, with the points as typed.
    pub review: Option<(String, Vec<String>, String)>,
    pub errors: FieldErrors,
}

#[derive(Template)]
#[template(path = "contests/contest.html")]
struct ContestPage {
    page: Page,
    contest: Contest,
    criteria: Vec<Criterion>,
    open: bool,
    /// Everyone sees the standings once published; officials see them as the scores stand.
    standings: Vec<Placed>,
    /// Officials' own sheets, by entry.
    my_sheets: Vec<(String, Sheet)>,
    /// The leader's group's entry.
    mine: Option<contest_store::Entry>,
    may_enter: bool,
    refusal: Refusal,
}

impl ContestPage {
    fn score(&self, p: &Placed) -> String {
        crate::subsidies::grant_view::score_text(p.outcome.as_ref()).unwrap_or_default()
    }

    /// What to show in an entry's sheet: what was just typed, else this reviewer's points, else blank.
    /// The points of the `n`th criterion (from 1).
    fn typed_point(&self, entry: &str, n: &usize) -> String {
        let criterion = n.saturating_sub(1);
        if let Some((id, typed, _)) = &self.refusal.review
            && id == entry
        {
            return typed.get(criterion).cloned().unwrap_or_default();
        }
        let sheet = self.my_sheets.iter().find(|(id, _)| id == entry).map(|(_, s)| s);
        sheet.and_then(|s| s.points.get(criterion)).map(|p| p.to_string()).unwrap_or_default()
    }

    fn refused_here(&self, entry: &str) -> bool {
        self.refusal.review.as_ref().is_some_and(|(id, _, _)| id == entry)
    }
}

pub(super) async fn contest_of(state: &AppState, id: &str) -> AppResult<Contest> {
    contest_store::get(&state.db, state.municipality(), id).await?.ok_or(AppError::NotFound)
}

pub(super) async fn contest_page(
    state: &AppState,
    visitor: &Visitor,
    c: Contest,
    refusal: Refusal,
) -> AppResult<Response> {
    let user = visitor.user.as_ref();
    let reviewer = Permission::RunSubsidies.allows(user.map(|u| u.role));
    let entries = contest_store::entries(&state.db, &c.id).await?;
    let group = leader_group(user);
    let mine = group.and_then(|g| entries.iter().find(|e| e.group_id == g)).cloned();
    let (standings, my_sheets) = if reviewer || c.published_at.is_some() {
        let sheets = contest_store::sheets(&state.db, &c.id).await?;
        let me = user.map(|u| u.id.as_str()).unwrap_or_default();
        let mine: Vec<(String, Sheet)> = sheets.iter().filter(|(_, s)| s.reviewer == me).cloned().collect();
        (contest_store::standings(entries, &sheets), mine)
    } else {
        (Vec::new(), Vec::new())
    };
    let open = c.open_on(seoul_today());
    let may_enter = open && group.is_some() && mine.is_none();
    let mut page = Page::new(visitor, "contest-list-title");
    page.title = c.name.clone();
    let status = if refusal.errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let criteria = c.criteria();
    render_with_status(
        status,
        &ContestPage { page, contest: c, criteria, open, standings, my_sheets, mine, may_enter, refusal },
    )
}

/// `GET /contests/{id}`
pub async fn show(State(state): State<AppState>, visitor: Visitor, Path(id): Path<String>) -> AppResult<Response> {
    let c = contest_of(&state, &id).await?;
    contest_page(&state, &visitor, c, Refusal::default()).await
}

/// The catalog's message for a refused step.
pub(super) fn error_code(e: &ContestError) -> &'static str {
    match e {
        ContestError::Closed => "contest-error-closed",
        ContestError::EnteredAlready => "contest-error-entered",
        ContestError::Published => "contest-error-published",
        ContestError::Unscored(_) => "contest-error-unscored",
        ContestError::NoEntries => "contest-error-no-entries",
        ContestError::Sheet(_) => "subsidy-error-points",
        ContestError::Db(_) => "error-title-500",
    }
}

/// `POST /contests/{id}/entries`: a leader enters the group's best practice.
pub async fn enter(
    State(state): State<AppState>,
    visitor: Visitor,
    user: CurrentUser,
    Path(id): Path<String>,
    CsrfForm(f): CsrfForm<EntryForm>,
) -> AppResult<Response> {
    let c = contest_of(&state, &id).await?;
    let group = leader_group(Some(&user)).ok_or(AppError::Forbidden)?.to_string();
    let mut errors = FieldErrors::default();
    required(&mut errors, "title", &f.title, 100);
    required(&mut errors, "body", &f.body, 5000);
    if errors.is_empty() {
        match contest_store::enter(&state.db, &c, seoul_today(), &group, &user.id, &f.title, &f.body).await {
            Ok(_) => return Ok(Redirect::to(&format!("/contests/{}#mine", c.id)).into_response()),
            Err(ContestError::Db(e)) => return Err(e.into()),
            Err(e) => errors.add("entry", error_code(&e)),
        }
    }
    contest_page(&state, &visitor, c, Refusal { entry: f, errors, ..Default::default() }).await
}
