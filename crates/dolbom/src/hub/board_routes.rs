//! A group's board (`/groups/{id}/board`): posts of three kinds — 소식 (news, by the leader and organisers),
//! 우수사례 and 갤러리 (by any member) — with photos and comments. Anyone may read; members write. Photos go through
//! `media::process` off the async threads, so a 10 MB photo never stalls other requests.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::board_store::{self, KINDS, Member, NewPost, PAGE_SIZE, PostSummary, Standing};
use crate::app::AppState;
use crate::auth::upload::text_field;
use crate::auth::{CsrfForm, CsrfUpload, CurrentUser, Role, Visitor};
use crate::db::time::seoul_display;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::media::{self, MediaError, Processed};
use crate::places::group_store;
use crate::places::model::Group;
use crate::web::{Page, render_with_status};

pub const MAX_PHOTOS: usize = 4;
/// A post's request: four photos of the largest size taken, and the text.
pub const BODY_LIMIT: usize = MAX_PHOTOS * media::MAX_BYTES + 64 * 1024;

pub(super) async fn group_of(state: &AppState, id: &str) -> AppResult<Group> {
    group_store::get(&state.db, state.municipality(), id).await?.ok_or(AppError::NotFound)
}

/// Where this person stands in the group: a leader of its organization, or a member.
pub(super) async fn standing(state: &AppState, user: Option<&CurrentUser>, g: &Group) -> AppResult<Option<Standing>> {
    let Some(user) = user else { return Ok(None) };
    if user.role == Role::GroupLeader && user.organization_id.is_some() && user.organization_id == g.organization_id {
        return Ok(Some(Standing::Leader));
    }
    Ok(board_store::membership(&state.db, &g.id, &user.id).await?)
}

/// The post being written, as typed.
#[derive(Clone, Debug, Default)]
pub struct PostForm {
    pub kind: String,
    pub title: String,
    pub body: String,
}

#[derive(Template)]
#[template(path = "hub/board.html")]
struct BoardPage {
    page: Page,
    g: Group,
    posts: Vec<(PostSummary, String)>,
    kind: String,
    kinds: Vec<&'static str>,
    page_no: i64,
    pages: i64,
    standing: Option<Standing>,
    members: Vec<Member>,
    form: PostForm,
    errors: FieldErrors,
}

impl BoardPage {
    fn may_write(&self, kind: &str) -> bool {
        match self.standing {
            Some(s) => kind != "news" || s >= Standing::Organiser,
            None => false,
        }
    }

    fn is_leader(&self) -> bool {
        self.standing == Some(Standing::Leader)
    }

    fn href(&self, page: i64) -> String {
        let kind = if self.kind.is_empty() { String::new() } else { format!("kind={}&", self.kind) };
        format!("/groups/{}/board?{kind}page={page}", self.g.id)
    }
}

#[derive(Deserialize, Default)]
pub struct BoardQuery {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    page: Option<i64>,
}

async fn board(
    state: &AppState,
    visitor: &Visitor,
    g: Group,
    q: BoardQuery,
    form: PostForm,
    errors: FieldErrors,
) -> AppResult<Response> {
    let kind = if KINDS.contains(&q.kind.as_str()) { q.kind } else { String::new() };
    let page_no = q.page.unwrap_or(1).clamp(1, 100_000);
    let (posts, total) =
        board_store::page(&state.db, &g.id, (!kind.is_empty()).then_some(kind.as_str()), page_no).await?;
    let standing = standing(state, visitor.user.as_ref(), &g).await?;
    let members = if standing.is_some() { board_store::members(&state.db, &g.id).await? } else { Vec::new() };
    let mut page = Page::new(visitor, "board-title");
    page.title = format!("{} · {}", g.name, page.title);
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let posts = posts.into_iter().map(|p| (p.clone(), seoul_display(p.created_at))).collect();
    let pages = ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    let kinds = KINDS.to_vec();
    render_with_status(
        status,
        &BoardPage { page, g, posts, kind, kinds, page_no, pages, standing, members, form, errors },
    )
}

/// `GET /groups/{id}/board?kind=&page=`
pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
    Query(q): Query<BoardQuery>,
) -> AppResult<Response> {
    let g = group_of(&state, &id).await?;
    board(&state, &visitor, g, q, PostForm { kind: "practice".into(), ..Default::default() }, FieldErrors::default())
        .await
}

fn media_error_code(e: &MediaError) -> &'static str {
    match e {
        MediaError::Empty | MediaError::NotAnImage => "board-error-photo-type",
        MediaError::TooLarge { .. } => "board-error-photo-size",
        MediaError::Unreadable(_) => "board-error-photo-unreadable",
    }
}

/// The post typed, checked: a kind this person may write, a title, a body (a gallery post may have photos only).
fn check(form: &PostForm, standing: Standing, photos: usize) -> FieldErrors {
    let mut errors = FieldErrors::default();
    if !KINDS.contains(&form.kind.as_str()) {
        errors.add("kind", "field-choice-invalid");
    } else if form.kind == "news" && standing < Standing::Organiser {
        errors.add("kind", "board-error-news-organisers");
    }
    match form.title.trim().chars().count() {
        0 => errors.add("title", "field-required"),
        n if n > 100 => errors.add("title", "field-text-too-long"),
        _ => {}
    }
    let body = form.body.trim().chars().count();
    if body > 5_000 {
        errors.add("body", "field-text-too-long");
    } else if body == 0 && form.kind != "gallery" {
        errors.add("body", "field-required");
    }
    if form.kind == "gallery" && photos == 0 {
        errors.add("photos", "board-error-gallery-photo");
    }
    if photos > MAX_PHOTOS {
        errors.add("photos", "board-error-photo-count");
    }
    errors
}

/// `POST /groups/{id}/posts` (multipart): members write; photos are re-encoded without their metadata.
pub async fn create(
    State(state): State<AppState>,
    visitor: Visitor,
    user: CurrentUser,
    Path(id): Path<String>,
    CsrfUpload(files): CsrfUpload,
) -> AppResult<Response> {
    let g = group_of(&state, &id).await?;
    let standing = standing(&state, Some(&user), &g).await?.ok_or(AppError::Forbidden)?;
    let form = PostForm {
        kind: text_field(&files, "kind"),
        title: text_field(&files, "title"),
        body: text_field(&files, "body"),
    };
    let uploads: Vec<Vec<u8>> =
        files.into_iter().filter(|f| f.field == "photos" && !f.bytes.is_empty()).map(|f| f.bytes).collect();
    let mut errors = check(&form, standing, uploads.len());
    let mut photos: Vec<Processed> = Vec::new();
    if errors.is_empty() {
        let processed =
            tokio::task::spawn_blocking(move || uploads.iter().map(|b| media::process(b)).collect::<Vec<_>>())
                .await
                .map_err(|e| AppError::Internal(format!("photo task: {e}")))?;
        for p in processed {
            match p {
                Ok(p) => photos.push(p),
                Err(e) => errors.add("photos", media_error_code(&e)),
            }
        }
    }
    if !errors.is_empty() {
        return board(&state, &visitor, g, BoardQuery::default(), form, errors).await;
    }
    let new = NewPost { group_id: &g.id, author_id: &user.id, kind: &form.kind, title: &form.title, body: &form.body };
    let post = board_store::create(&state.db, &new, &photos).await?;
    Ok(Redirect::to(&format!("/groups/{}/posts/{post}", g.id)).into_response())
}

/// `GET /groups/photos/{id}` and `/groups/photos/{id}/thumb`: JPEGs made by `media::process`.
async fn serve(state: &AppState, id: &str, thumbnail: bool) -> AppResult<Response> {
    let bytes = board_store::photo(&state.db, id, thumbnail).await?.ok_or(AppError::NotFound)?;
    Ok(crate::places::photos::image_response("image/jpeg".into(), bytes))
}

pub async fn photo(State(state): State<AppState>, Path(id): Path<String>) -> AppResult<Response> {
    serve(&state, &id, false).await
}

pub async fn thumbnail(State(state): State<AppState>, Path(id): Path<String>) -> AppResult<Response> {
    serve(&state, &id, true).await
}

#[derive(Deserialize, Default)]
pub struct RoleForm {
    #[serde(default)]
    role: String,
}

/// `POST /leader/groups/{id}/members/{item}/role`: the leader makes a member an organiser, or a member again.
pub async fn set_role(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, member)): Path<(String, String)>,
    CsrfForm(f): CsrfForm<RoleForm>,
) -> AppResult<Response> {
    let g = group_of(&state, &id).await?;
    if standing(&state, Some(&user), &g).await? != Some(Standing::Leader) {
        return Err(AppError::Forbidden);
    }
    let organiser = match f.role.as_str() {
        "organiser" => true,
        "member" => false,
        _ => return Err(AppError::BadRequest("role_unknown")),
    };
    if !board_store::set_role(&state.db, &g.id, &member, organiser).await? {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::to(&format!("/groups/{}/board#members", g.id)).into_response())
}
