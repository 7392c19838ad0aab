//! The hub's reading side, open to everyone: the hub's front page (`/hub`), a section's list with its topics or
//! the story archive by year and theme (`/hub/{section}`), a page (`/hub/pages/{id}`) and its attachments.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::form::{SECTIONS, topics};
use super::store::{self, AttachmentInfo, ContentPage, Filter, PAGE_SIZE, Summary};
use crate::app::AppState;
use crate::auth::Visitor;
use crate::db::time::seoul_display;
use crate::error::{AppError, AppResult};
use crate::hub::contest_store::{self, Contest, Placed};
use crate::web::reads::Reads;
use crate::web::{Page, render};

#[derive(Template)]
#[template(path = "content/index.html")]
struct IndexPage {
    page: Page,
    sections: Vec<(&'static str, Vec<Summary>)>,
    contests: Vec<Contest>,
    /// The latest published contest with its first three places.
    winners: Option<(Contest, Vec<Placed>)>,
    /// The latest posts of the groups' boards.
    posts: Vec<crate::hub::board_store::Recent>,
}

impl IndexPage {
    fn score(&self, p: &Placed) -> String {
        crate::subsidies::grant_view::score_text(p.outcome.as_ref()).unwrap_or_default()
    }
}

/// The latest contest whose results are out, with its first three places.
async fn winners(state: &AppState, contests: &[Contest]) -> AppResult<Option<(Contest, Vec<Placed>)>> {
    let Some(c) = contests.iter().filter(|c| c.published_at.is_some()).max_by_key(|c| c.published_at) else {
        return Ok(None);
    };
    let entries = contest_store::entries(&state.db, &c.id).await?;
    let sheets = contest_store::sheets(&state.db, &c.id).await?;
    let mut placed = contest_store::standings(entries, &sheets);
    placed.retain(|p| p.place <= 3);
    Ok(Some((c.clone(), placed)))
}

/// `GET /hub`
pub async fn index(State(state): State<AppState>, visitor: Visitor) -> AppResult<Response> {
    let mut sections = Vec::new();
    for section in SECTIONS {
        let filter = Filter { section, page: 1, ..Default::default() };
        sections.push((section, store::list(&state.db, state.municipality(), &filter, 5).await?.0));
    }
    let contests = contest_store::list(&state.db, state.municipality()).await?;
    let winners = winners(&state, &contests).await?;
    let posts = crate::hub::board_store::recent(&state.db, state.municipality(), 5).await?;
    render(&IndexPage { page: Page::new(&visitor, "hub-title"), sections, contests, winners, posts })
}

#[derive(Deserialize, Default)]
pub struct SectionQuery {
    #[serde(default)]
    topic: String,
    #[serde(default)]
    year: String,
    #[serde(default)]
    page: String,
}

#[derive(Template)]
#[template(path = "content/section.html")]
struct SectionPage {
    page: Page,
    section: &'static str,
    topics: &'static [&'static str],
    topic: String,
    years: Vec<i32>,
    year: Option<i32>,
    pages: Vec<(Summary, String)>,
    page_no: i64,
    page_count: i64,
}

impl SectionPage {
    fn year_href(&self, year: &i32) -> String {
        self.href(&self.topic, &Some(*year), 1)
    }

    fn is_year(&self, year: &i32) -> bool {
        self.year == Some(*year)
    }

    fn href(&self, topic: &str, year: &Option<i32>, page: i64) -> String {
        let mut q = vec![];
        if !topic.is_empty() {
            q.push(format!("topic={topic}"));
        }
        if let Some(y) = year {
            q.push(format!("year={y}"));
        }
        if page > 1 {
            q.push(format!("page={page}"));
        }
        let q = if q.is_empty() { String::new() } else { format!("?{}", q.join("&")) };
        format!("/hub/{}{q}", self.section)
    }
}

/// `GET /hub/{section}?topic=&year=&page=`: a filter nobody could have meant is ignored, not refused.
pub async fn section(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(section): Path<String>,
    Query(q): Query<SectionQuery>,
) -> AppResult<Response> {
    let section = SECTIONS.iter().copied().find(|s| *s == section).ok_or(AppError::NotFound)?;
    let topics = topics(section);
    let topic = topics.iter().find(|t| **t == q.topic).map(|t| t.to_string()).unwrap_or_default();
    let years = if section == "story" { store::story_years(&state.db, state.municipality()).await? } else { vec![] };
    let year = q.year.parse::<i32>().ok().filter(|y| years.contains(y));
    let page_no = q.page.parse::<i64>().unwrap_or(1).clamp(1, 100_000);
    let filter = Filter { section, topic: &topic, year, page: page_no };
    let (pages, total) = store::list(&state.db, state.municipality(), &filter, PAGE_SIZE).await?;
    let pages = pages.into_iter().map(|p| (p.clone(), seoul_display(p.updated_at))).collect();
    let mut page = Page::new(&visitor, "hub-title");
    page.title = page.t(format!("hub-section-{section}"));
    let page_count = ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    render(&SectionPage { page, section, topics, topic, years, year, pages, page_no, page_count })
}

#[derive(Template)]
#[template(path = "content/page.html")]
struct ContentView {
    page: Page,
    content: ContentPage,
    at: String,
    attachments: Vec<AttachmentInfo>,
}

/// `GET /hub/pages/{id}`
pub async fn show(
    State(state): State<AppState>,
    Reads(db): Reads,
    visitor: Visitor,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let content = store::get(&db, state.municipality(), &id).await?.ok_or(AppError::NotFound)?;
    let attachments = store::attachments(&db, &content.id).await?;
    let mut page = Page::new(&visitor, "hub-title");
    page.title = content.title.clone();
    let at = seoul_display(content.updated_at);
    // The site's Content-Security-Policy (`web::headers`) is this page's third guard against what an official typed.
    render(&ContentView { page, content, at, attachments })
}

/// `GET /hub/files/{id}`: always a download, with the type decided at upload and a sandbox should it be opened.
pub async fn file(State(state): State<AppState>, Path(id): Path<String>) -> AppResult<Response> {
    let (name, kind, bytes) =
        store::attachment(&state.db, state.municipality(), &id).await?.ok_or(AppError::NotFound)?;
    let disposition = download_disposition(&name);
    let headers = [
        (header::CONTENT_TYPE, kind),
        (header::CONTENT_DISPOSITION, disposition),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
        (header::CONTENT_SECURITY_POLICY, "sandbox".to_string()),
    ];
    Ok((headers, bytes).into_response())
}

/// `attachment` with the name for every browser: an ASCII stand-in first, then the name itself (RFC 6266).
pub fn download_disposition(name: &str) -> String {
    let ascii: String =
        name.chars().map(|c| if c.is_ascii_graphic() && c != '"' && c != '\\' { c } else { '_' }).collect();
    let encoded = percent_encoding::utf8_percent_encode(name, percent_encoding::NON_ALPHANUMERIC);
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

/// Sizes as people read them: 12 KB, 3.4 MB.
pub fn size_text(bytes: &i64) -> String {
    match *bytes {
        b if b >= 1_000_000 => format!("{:.1} MB", b as f64 / 1_000_000.0),
        b => format!("{} KB", (b + 999) / 1000),
    }
}
