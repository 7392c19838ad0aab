//! One post of a group's board with its photos and comments; members comment, the author or a leader removes it.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::board_routes::{group_of, standing};
use super::board_store::{self, Comment, Post, Standing};
use crate::app::AppState;
use crate::auth::{CsrfForm, CurrentUser, NoFields, Visitor};
use crate::db::time::seoul_display;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::places::model::Group;
use crate::web::{Page, render_with_status};

#[derive(Template)]
#[template(path = "hub/post.html")]
struct PostPage {
    page: Page,
    g: Group,
    post: Post,
    at: String,
    photos: Vec<(String, i32, i32)>,
    comments: Vec<(Comment, String)>,
    may_comment: bool,
    may_delete: bool,
    comment: String,
    errors: FieldErrors,
}

async fn post_page(
    state: &AppState,
    visitor: &Visitor,
    g: Group,
    post: Post,
    comment: String,
    errors: FieldErrors,
) -> AppResult<Response> {
    let user = visitor.user.as_ref();
    let standing = standing(state, user, &g).await?;
    let photos = board_store::photos(&state.db, &post.id).await?;
    let comments = board_store::comments(&state.db, &post.id).await?;
    let comments = comments.into_iter().map(|c| (c.clone(), seoul_display(c.created_at))).collect();
    let may_delete = standing == Some(Standing::Leader) || user.is_some_and(|u| u.id == post.author_id);
    let mut page = Page::new(visitor, "board-title");
    page.title = format!("{} · {}", post.title, g.name);
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let at = seoul_display(post.created_at);
    let may_comment = standing.is_some();
    render_with_status(
        status,
        &PostPage { page, g, post, at, photos, comments, may_comment, may_delete, comment, errors },
    )
}

async fn post_of(state: &AppState, g: &Group, id: &str) -> AppResult<Post> {
    board_store::post(&state.db, &g.id, id).await?.ok_or(AppError::NotFound)
}

/// `GET /groups/{id}/posts/{item}`
pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((id, item)): Path<(String, String)>,
) -> AppResult<Response> {
    let g = group_of(&state, &id).await?;
    let post = post_of(&state, &g, &item).await?;
    post_page(&state, &visitor, g, post, String::new(), FieldErrors::default()).await
}

#[derive(Deserialize, Default)]
pub struct CommentForm {
    #[serde(default)]
    body: String,
}

/// `POST /groups/{id}/posts/{item}/comments`: members only.
pub async fn comment(
    State(state): State<AppState>,
    visitor: Visitor,
    user: CurrentUser,
    Path((id, item)): Path<(String, String)>,
    CsrfForm(f): CsrfForm<CommentForm>,
) -> AppResult<Response> {
    let g = group_of(&state, &id).await?;
    let post = post_of(&state, &g, &item).await?;
    standing(&state, Some(&user), &g).await?.ok_or(AppError::Forbidden)?;
    let mut errors = FieldErrors::default();
    match f.body.trim().chars().count() {
        0 => errors.add("body", "field-required"),
        n if n > 1_000 => errors.add("body", "field-text-too-long"),
        _ => {}
    }
    if !errors.is_empty() {
        return post_page(&state, &visitor, g, post, f.body, errors).await;
    }
    board_store::comment(&state.db, &post.id, &user.id, &f.body).await?;
    Ok(Redirect::to(&format!("/groups/{}/posts/{}#comments", g.id, post.id)).into_response())
}

/// `POST /groups/{id}/posts/{item}/delete`: its author, or a leader of the group.
pub async fn delete(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, item)): Path<(String, String)>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> AppResult<Response> {
    let g = group_of(&state, &id).await?;
    let post = post_of(&state, &g, &item).await?;
    let leads = standing(&state, Some(&user), &g).await? == Some(Standing::Leader);
    if !leads && post.author_id != user.id {
        return Err(AppError::Forbidden);
    }
    board_store::delete(&state.db, &g.id, &post.id).await?;
    Ok(Redirect::to(&format!("/groups/{}/board", g.id)).into_response())
}
