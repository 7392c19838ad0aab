//! Officials write the hub's content (`/official/content`): a page of any section in Markdown, with attachments.
//! A refused save keeps every field typed and names the problem; files already attached stay attached.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::attachment::{self, Checked};
use super::form::{ContentForm, Draft, POLICY_TOPICS, SECTIONS, STORY_THEMES};
use super::markdown::to_safe_html;
use super::store::{self, AttachmentInfo, ContentPage, Filter, PageText, Summary};
use crate::app::AppState;
use crate::auth::{CsrfForm, CsrfUpload, CurrentUser, NoFields, UploadedFile, Visitor};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::places::group_store;
use crate::places::model::Group;
use crate::web::{Page, render_with_status};

/// A save's request: the most files of the largest size, and the text.
pub const BODY_LIMIT: usize = (attachment::MAX_FILES + 1) * attachment::MAX_BYTES;

#[derive(Template)]
#[template(path = "content/edit.html")]
struct EditPage {
    page: Page,
    /// The page being edited; `None` for a new one.
    editing: Option<ContentPage>,
    attachments: Vec<AttachmentInfo>,
    /// Every section's pages, for the list beside a new page.
    sections: Vec<(&'static str, Vec<Summary>)>,
    groups: Vec<Group>,
    form: ContentForm,
    errors: FieldErrors,
}

impl EditPage {
    fn section_choices(&self) -> [&'static str; 6] {
        SECTIONS
    }

    fn topic_choices(&self) -> Vec<(&'static str, &'static str)> {
        let policy = POLICY_TOPICS.iter().map(|t| ("policy", *t));
        policy.chain(STORY_THEMES.iter().map(|t| ("story", *t))).collect()
    }

    fn action(&self) -> String {
        match &self.editing {
            Some(c) => format!("/official/content/{}", c.id),
            None => "/official/content".into(),
        }
    }
}

async fn edit_page(
    state: &AppState,
    visitor: &Visitor,
    editing: Option<ContentPage>,
    form: ContentForm,
    errors: FieldErrors,
) -> AppResult<Response> {
    let municipality = state.municipality();
    let mut sections = Vec::new();
    if editing.is_none() {
        for section in SECTIONS {
            let filter = Filter { section, page: 1, ..Default::default() };
            sections.push((section, store::list(&state.db, municipality, &filter, 100).await?.0));
        }
    }
    let attachments = match &editing {
        Some(c) => store::attachments(&state.db, &c.id).await?,
        None => Vec::new(),
    };
    let groups = group_store::all(&state.db, municipality).await?;
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = Page::new(visitor, "content-official-title");
    render_with_status(status, &EditPage { page, editing, attachments, sections, groups, form, errors })
}

/// `GET /official/content`
pub async fn list(State(state): State<AppState>, visitor: Visitor) -> AppResult<Response> {
    let form = ContentForm { section: "policy".into(), ..Default::default() };
    edit_page(&state, &visitor, None, form, FieldErrors::default()).await
}

async fn page_of(state: &AppState, id: &str) -> AppResult<ContentPage> {
    store::get(&state.db, state.municipality(), id).await?.ok_or(AppError::NotFound)
}

/// `GET /official/content/{id}`: the page's form, filled in.
pub async fn edit(State(state): State<AppState>, visitor: Visitor, Path(id): Path<String>) -> AppResult<Response> {
    let c = page_of(&state, &id).await?;
    let form = ContentForm {
        section: c.section.clone(),
        topic: c.topic.clone(),
        year: c.year.map(|y| y.to_string()).unwrap_or_default(),
        group_id: c.group_id.clone().unwrap_or_default(),
        url: c.url.clone().unwrap_or_default(),
        title: c.title.clone(),
        body_md: c.body_md.clone(),
    };
    edit_page(&state, &visitor, Some(c), form, FieldErrors::default()).await
}

/// The form and its files, checked together, so every problem shows at once.
async fn read<'a>(
    state: &AppState,
    files: &'a [UploadedFile],
) -> AppResult<(ContentForm, Result<(Draft, Vec<Checked<'a>>), FieldErrors>)> {
    let form = ContentForm::from_parts(files);
    let groups: Vec<String> =
        group_store::all(&state.db, state.municipality()).await?.into_iter().map(|g| g.id).collect();
    let outcome = match (form.read(&groups), attachment::check(files)) {
        (Ok(draft), Ok(checked)) => Ok((draft, checked)),
        (draft, checked) => {
            let mut errors = draft.err().unwrap_or_default();
            errors.0.extend(checked.err().unwrap_or_default().0);
            Err(errors)
        }
    };
    Ok((form, outcome))
}

fn text<'a>(form: &'a ContentForm, d: &'a Draft, html: &'a str) -> PageText<'a> {
    PageText {
        section: d.section,
        topic: d.topic,
        year: d.year,
        group_id: d.group_id.as_deref(),
        url: d.url.as_deref(),
        title: &form.title,
        body_md: &form.body_md,
        body_html: html,
    }
}

/// `POST /official/content` (multipart, with attachments)
pub async fn create(
    State(state): State<AppState>,
    visitor: Visitor,
    user: CurrentUser,
    CsrfUpload(files): CsrfUpload,
) -> AppResult<Response> {
    let (form, outcome) = read(&state, &files).await?;
    let (d, checked) = match outcome {
        Ok(read) => read,
        Err(errors) => return edit_page(&state, &visitor, None, form, errors).await,
    };
    let html = to_safe_html(&form.body_md);
    let id = store::create(&state.db, state.municipality(), &user.id, &text(&form, &d, &html), &checked).await?;
    Ok(Redirect::to(&format!("/hub/pages/{id}")).into_response())
}

/// `POST /official/content/{id}` (multipart): the page rewritten; new files are added to the ones it has.
pub async fn update(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
    CsrfUpload(files): CsrfUpload,
) -> AppResult<Response> {
    let c = page_of(&state, &id).await?;
    let (form, outcome) = read(&state, &files).await?;
    let (d, checked) = match outcome {
        Ok(read) => read,
        Err(errors) => return edit_page(&state, &visitor, Some(c), form, errors).await,
    };
    let html = to_safe_html(&form.body_md);
    store::update(&state.db, state.municipality(), &c.id, &text(&form, &d, &html), &checked).await?;
    Ok(Redirect::to(&format!("/hub/pages/{}", c.id)).into_response())
}

/// `POST /official/content/{id}/delete`
pub async fn delete(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> AppResult<Response> {
    let c = page_of(&state, &id).await?;
    store::delete(&state.db, state.municipality(), &c.id).await?;
    Ok(Redirect::to("/official/content").into_response())
}

/// `POST /official/content/{id}/files/{item}/delete`
pub async fn delete_file(
    State(state): State<AppState>,
    Path((id, item)): Path<(String, String)>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> AppResult<Response> {
    let c = page_of(&state, &id).await?;
    if !store::delete_attachment(&state.db, &c.id, &item).await? {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::to(&format!("/official/content/{}#attachments", c.id)).into_response())
}
