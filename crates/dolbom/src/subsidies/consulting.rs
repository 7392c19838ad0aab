//! Consulting (컨설팅) for grant holders: a group leader asks (`/consulting`), officials answer
//! (`/official/consulting`) and the leader is told. Questions waiting longest come first for officials.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::consulting_store::{self, Request, TOPICS};
use super::forms::required;
use super::routes::leader_group;
use crate::app::AppState;
use crate::auth::{CsrfForm, CurrentUser, Visitor};
use crate::db::time::seoul_display;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::notify;
use crate::web::{Page, render_with_status};

#[derive(Clone, Debug, Default, Deserialize)]
pub struct QuestionForm {
    #[serde(default)]
    topic: String,
    #[serde(default)]
    question: String,
}

#[derive(Template)]
#[template(path = "subsidies/consulting.html")]
struct LeaderPage {
    page: Page,
    topics: [&'static str; 5],
    requests: Vec<(Request, String, String)>,
    form: QuestionForm,
    errors: FieldErrors,
}

/// Each request with when it was asked and answered, as read in Seoul.
fn dated(requests: Vec<Request>) -> Vec<(Request, String, String)> {
    requests
        .into_iter()
        .map(|r| {
            let (asked, answered) = (seoul_display(r.created_at), r.answered_at.map(seoul_display).unwrap_or_default());
            (r, asked, answered)
        })
        .collect()
}

fn status(errors: &FieldErrors) -> StatusCode {
    if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY }
}

async fn leader_page(
    state: &AppState,
    visitor: &Visitor,
    group: &str,
    form: QuestionForm,
    errors: FieldErrors,
) -> AppResult<Response> {
    let requests = dated(consulting_store::of_group(&state.db, group).await?);
    let page = Page::new(visitor, "consulting-title");
    render_with_status(status(&errors), &LeaderPage { page, topics: TOPICS, requests, form, errors })
}

fn group_of(user: &CurrentUser) -> AppResult<String> {
    leader_group(Some(user)).map(str::to_string).ok_or(AppError::Forbidden)
}

/// `GET /consulting`
pub async fn page(State(state): State<AppState>, visitor: Visitor, user: CurrentUser) -> AppResult<Response> {
    let group = group_of(&user)?;
    leader_page(&state, &visitor, &group, QuestionForm::default(), FieldErrors::default()).await
}

/// `POST /consulting`
pub async fn ask(
    State(state): State<AppState>,
    visitor: Visitor,
    user: CurrentUser,
    CsrfForm(f): CsrfForm<QuestionForm>,
) -> AppResult<Response> {
    let group = group_of(&user)?;
    let mut errors = FieldErrors::default();
    if !TOPICS.contains(&f.topic.as_str()) {
        errors.add("topic", "field-choice-invalid");
    }
    required(&mut errors, "question", &f.question, 2000);
    if !errors.is_empty() {
        return leader_page(&state, &visitor, &group, f, errors).await;
    }
    let id = consulting_store::ask(&state.db, &group, &user.id, &f.topic, &f.question).await?;
    Ok(Redirect::to(&format!("/consulting#request-{id}")).into_response())
}

#[derive(Template)]
#[template(path = "subsidies/consulting_official.html")]
struct OfficialPage {
    page: Page,
    requests: Vec<(Request, String, String)>,
    /// The request whose answer was refused, with the answer as typed.
    refused: Option<(String, String)>,
    errors: FieldErrors,
}

impl OfficialPage {
    fn refused_here(&self, r: &Request) -> bool {
        self.refused.as_ref().is_some_and(|(id, _)| *id == r.id)
    }

    fn typed(&self, r: &Request) -> String {
        match &self.refused {
            Some((id, typed)) if *id == r.id => typed.clone(),
            _ => r.answer.clone().unwrap_or_default(),
        }
    }
}

async fn official_page(
    state: &AppState,
    visitor: &Visitor,
    refused: Option<(String, String)>,
    errors: FieldErrors,
) -> AppResult<Response> {
    let requests = dated(consulting_store::all(&state.db, state.municipality()).await?);
    let page = Page::new(visitor, "consulting-official-title");
    render_with_status(status(&errors), &OfficialPage { page, requests, refused, errors })
}

/// `GET /official/consulting`
pub async fn official(State(state): State<AppState>, visitor: Visitor) -> AppResult<Response> {
    official_page(&state, &visitor, None, FieldErrors::default()).await
}

#[derive(Deserialize, Default)]
pub struct AnswerForm {
    #[serde(default)]
    answer: String,
}

/// `POST /official/consulting/{id}/answer`: the leader who asked is told.
pub async fn answer(
    State(state): State<AppState>,
    visitor: Visitor,
    user: CurrentUser,
    Path(id): Path<String>,
    CsrfForm(f): CsrfForm<AnswerForm>,
) -> AppResult<Response> {
    let mut errors = FieldErrors::default();
    required(&mut errors, "answer", &f.answer, 4000);
    if !errors.is_empty() {
        let known = consulting_store::all(&state.db, state.municipality()).await?.iter().any(|r| r.id == id);
        if !known {
            return Err(AppError::NotFound);
        }
        return official_page(&state, &visitor, Some((id, f.answer)), errors).await;
    }
    let asker = consulting_store::answer(&state.db, state.municipality(), &id, &user.id, &f.answer).await?;
    let asker = asker.ok_or(AppError::NotFound)?;
    let link = format!("/consulting#request-{id}");
    notify::send(&state.db, &[asker], "notify-consulting-answered", &serde_json::json!({}), &link).await?;
    Ok(Redirect::to(&format!("/official/consulting#request-{id}")).into_response())
}
