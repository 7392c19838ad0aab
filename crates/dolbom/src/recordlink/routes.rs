//! Pages of record linkage: the upload and the agency's runs, a run's review queue, decisions, the result CSV.
//! A run is its agency's (officials see every run); opening its queue is a logged read of the records shown.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::store::{self, Pair, Run};
use crate::app::AppState;
use crate::audit::{self, Purpose, Reader, RecordKind};
use crate::auth::{CsrfForm, CsrfUpload, CurrentUser, Role, Visitor};
use crate::db::time::{Millis, seoul_display};
use crate::error::{AppError, AppResult};
use crate::files::{RowProblem, link_records};
use crate::web::{Page, render, render_with_status};

/// The pairs a reviewer sees at once.
const QUEUE_PAGE: i64 = 50;

fn agency_scope(user: &CurrentUser) -> Option<&str> {
    if user.role == Role::Official { None } else { Some(user.organization_id.as_deref().unwrap_or("-")) }
}

#[derive(Template)]
#[template(path = "recordlink/runs.html")]
struct RunsPage {
    page: Page,
    runs: Vec<Run>,
    problems: Vec<RowProblem>,
    refused: &'static str,
}

impl RunsPage {
    fn when(&self, at: &Millis) -> String {
        seoul_display(*at)
    }
}

async fn runs_page(state: &AppState, visitor: &Visitor, user: &CurrentUser) -> AppResult<RunsPage> {
    let runs = store::runs(&state.db, state.municipality(), agency_scope(user)).await?;
    Ok(RunsPage { page: Page::new(visitor, "linkage-title"), runs, problems: Vec::new(), refused: "" })
}

/// `GET /staff/linkage`
pub async fn runs(State(state): State<AppState>, visitor: Visitor, user: CurrentUser) -> AppResult<Response> {
    render(&runs_page(&state, &visitor, &user).await?)
}

/// `POST /staff/linkage`: links the uploaded list; broken rows are listed by line and nothing is kept.
pub async fn upload(
    State(state): State<AppState>,
    visitor: Visitor,
    user: CurrentUser,
    CsrfUpload(files): CsrfUpload,
) -> AppResult<Response> {
    let mut page = runs_page(&state, &visitor, &user).await?;
    let Some(file) = files.into_iter().find(|f| f.field == "list" && !f.bytes.is_empty()) else {
        page.refused = "linkage-error-no-file";
        return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    let records = match link_records(&file.bytes) {
        Ok(records) if records.len() >= 2 => records,
        Ok(_) => {
            page.refused = "linkage-error-too-few";
            return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
        Err(problems) => {
            (page.refused, page.problems) = ("linkage-error-broken", problems);
            return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    let (records, outcome) = tokio::task::spawn_blocking(move || {
        let outcome = linkage::link(&records);
        (records, outcome)
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?;
    let name = file.file_name.unwrap_or_default();
    let agency = user.organization_id.as_deref();
    let id = store::save_run(&state.db, state.municipality(), agency, &user.id, &name, &records, &outcome).await?;
    Ok(Redirect::to(&format!("/staff/linkage/{id}")).into_response())
}

/// The run, when the reader's agency made it (officials: any), or 404.
async fn reachable(state: &AppState, user: &CurrentUser, id: &str) -> AppResult<Run> {
    let run = store::run(&state.db, state.municipality(), id).await?.ok_or(AppError::NotFound)?;
    match agency_scope(user) {
        Some(agency) if run.agency_id.as_deref() != Some(agency) => Err(AppError::NotFound),
        _ => Ok(run),
    }
}

#[derive(Template)]
#[template(path = "recordlink/queue.html")]
struct QueuePage {
    page: Page,
    run: Run,
    pairs: Vec<Pair>,
}

impl QueuePage {
    fn percent(&self, p: &f64) -> String {
        format!("{:.0}", p * 100.0)
    }
}

/// `GET /staff/linkage/{id}`: the pairs still to review, likeliest first.
pub async fn queue(
    State(state): State<AppState>,
    visitor: Visitor,
    user: CurrentUser,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let run = reachable(&state, &user, &id).await?;
    let pairs = store::queue(&state.db, &run.id, QUEUE_PAGE).await?;
    let reader = Reader::of(&state, &user, &visitor);
    audit::record_read(&state.db, &reader, RecordKind::LinkageRun, &run.id, Purpose::CaseManagement).await?;
    render(&QueuePage { page: Page::new(&visitor, "linkage-queue-title"), run, pairs })
}

#[derive(Deserialize)]
pub struct Decision {
    a: i64,
    b: i64,
    decision: String,
}

/// `POST /staff/linkage/{id}/decisions`: one pair is the same person, or two people.
pub async fn decide(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    CsrfForm(d): CsrfForm<Decision>,
) -> AppResult<Response> {
    let run = reachable(&state, &user, &id).await?;
    let same = match d.decision.as_str() {
        "same" => true,
        "different" => false,
        _ => return Err(AppError::BadRequest("decision_unknown")),
    };
    if !store::decide(&state.db, &run.id, d.a, d.b, same, &user.id).await? {
        return Err(AppError::Conflict("linkage-error-decided"));
    }
    Ok(Redirect::to(&format!("/staff/linkage/{}", run.id)).into_response())
}

/// `GET /staff/linkage/{id}/result.csv`: `record_id,cluster_id,score` with the decisions taken.
pub async fn result(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> AppResult<Response> {
    let run = reachable(&state, &user, &id).await?;
    let rows = store::result(&state.db, &run.id).await?;
    let mut out = csv::Writer::from_writer(Vec::new());
    let written: Result<(), csv::Error> = (|| {
        out.write_record(["record_id", "cluster_id", "score"])?;
        for (id, cluster, score) in &rows {
            out.write_record([id.as_str(), cluster.as_str(), &format!("{score:.4}")])?;
        }
        Ok(())
    })();
    written.map_err(|e| AppError::Internal(e.to_string()))?;
    let body = out.into_inner().map_err(|e| AppError::Internal(e.to_string()))?;
    let disposition = format!("attachment; filename=\"linked-{}.csv\"", run.id);
    Ok((
        [(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()), (header::CONTENT_DISPOSITION, disposition)],
        body,
    )
        .into_response())
}
