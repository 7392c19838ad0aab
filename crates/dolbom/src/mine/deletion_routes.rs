//! `/admin/deletion-requests`: administrators process residents' deletion requests, with the retention rules and
//! what each resident still has in progress in view.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::deletion::{self, DeletionError, InProgress, Outcome, RETENTION, Request};
use crate::app::AppState;
use crate::auth::{CsrfForm, CurrentUser, NoFields, Visitor};
use crate::db::time::{Millis, now_millis, seoul_display};
use crate::error::{AppError, AppResult};
use crate::web::{Page, render};

#[derive(Template)]
#[template(path = "mine/deletions.html")]
struct QueuePage {
    page: Page,
    /// Each request, with what its resident has in progress (open requests only).
    requests: Vec<(Request, Option<InProgress>)>,
    done: Option<String>,
}

impl QueuePage {
    fn at(&self, at: &Millis) -> String {
        seoul_display(*at)
    }

    fn retention(&self) -> &'static [(&'static str, &'static str, bool)] {
        &RETENTION
    }

    /// What processing did, as "kind: count" lines in the reader's language.
    fn outcome(&self, r: &Request) -> Vec<(String, String)> {
        let o: Outcome = serde_json::from_str(&r.outcome).unwrap_or_default();
        let lines = [
            ("deletion-done-notifications", o.notifications_deleted as i64),
            ("deletion-done-memberships", o.memberships_deleted as i64),
            ("deletion-done-posts", (o.posts_deleted + o.comments_deleted) as i64),
            ("deletion-done-children", o.children_deleted as i64),
            ("deletion-kept-children", o.children_kept_for_records as i64),
            ("deletion-kept-care", o.care_records_kept),
            ("deletion-kept-waitlist", o.waitlist_records_kept),
            ("deletion-kept-bookings", o.bookings_kept),
        ];
        lines.iter().map(|(key, n)| (self.page.t(key), n.to_string())).collect()
    }
}

#[derive(Deserialize, Default)]
pub struct QueueQuery {
    #[serde(default)]
    done: Option<String>,
}

pub async fn queue(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(q): Query<QueueQuery>,
) -> AppResult<Response> {
    let now = now_millis();
    let mut requests = Vec::new();
    for r in deletion::queue(&state.db, state.municipality()).await? {
        let open =
            if r.status == "requested" { Some(deletion::in_progress(&state.db, &r.user_id, now).await?) } else { None };
        requests.push((r, open));
    }
    render(&QueuePage { page: Page::new(&visitor, "deletion-queue-title"), requests, done: q.done })
}

pub async fn process(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> AppResult<Response> {
    match deletion::process(&state.db, state.municipality(), &id, &user.id).await {
        Ok(_) => Ok(Redirect::to(&format!("/admin/deletion-requests?done={id}")).into_response()),
        Err(DeletionError::NotFound) => Err(AppError::NotFound),
        Err(DeletionError::AlreadyDone) => Err(AppError::Conflict("deletion-error-done")),
        Err(DeletionError::InProgress(_)) => Err(AppError::Conflict("deletion-error-in-progress")),
        Err(DeletionError::Db(e)) => Err(e.into()),
    }
}
