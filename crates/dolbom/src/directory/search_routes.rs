//! The resident search page, a service's page, the search API, and the staff page of searches that found nothing.

use askama::Template;
use axum::Json;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::model::ServiceDetail;
use super::search::{SearchRequest, SearchResults};
use super::taxonomy::TAXONOMIES;
use super::{search_store, store};
use crate::app::AppState;
use crate::areas::Areas;
use crate::auth::{CsrfForm, Visitor};
use crate::db::time::seoul_display;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::web::reads::Reads;
use crate::web::{Page, render, render_with_status};

pub const PAGE_SIZE: usize = 20;

#[derive(Deserialize, Default, utoipa::IntoParams)]
pub struct SearchParams {
    /// What to look for: words, or 초성 such as `ㄷㅂ`.
    #[serde(default)]
    q: String,
    /// Facet paths to narrow by, e.g. `/theme/care`; repeat for several.
    #[serde(default)]
    facet: Vec<String>,
    #[serde(default)]
    page: Option<usize>,
}

fn parse(raw: Option<String>) -> Result<SearchParams, AppError> {
    serde_html_form::from_str(raw.as_deref().unwrap_or_default()).map_err(|_| AppError::BadRequest("query_malformed"))
}

/// Runs the search and counts a query that found nothing (the words only, not who asked).
async fn run(state: &AppState, params: &SearchParams) -> AppResult<SearchResults> {
    let page = params.page.unwrap_or(1).clamp(1, 500);
    let request = SearchRequest {
        query: params.q.clone(),
        facets: params.facet.iter().take(10).cloned().collect(),
        limit: PAGE_SIZE,
        offset: (page - 1) * PAGE_SIZE,
    };
    let results = state.search.search(&request).map_err(|e| AppError::Internal(e.to_string()))?;
    let query = request.normalized_query();
    if results.total == 0 && !query.is_empty() {
        search_store::record_miss(&state.db, state.municipality(), &query).await?;
    }
    Ok(results)
}

/// A facet value with its label and count, for the filter panel.
pub struct FacetChoice {
    pub path: String,
    pub label: String,
    pub count: u64,
    pub selected: bool,
}

pub struct FacetGroup {
    pub label: String,
    pub choices: Vec<FacetChoice>,
}

fn facet_groups(results: &SearchResults, selected: &[String], areas: &Areas, dong_label: String) -> Vec<FacetGroup> {
    let choice = |path: String, label: String| {
        let count = results.facets.iter().find(|(p, _)| *p == path).map(|(_, n)| *n)?;
        Some(FacetChoice { selected: selected.contains(&path), path, label, count })
    };
    let dongs = FacetGroup {
        label: dong_label,
        choices: areas.all().iter().filter_map(|a| choice(format!("/dong/{}", a.adm_cd2), a.name.clone())).collect(),
    };
    TAXONOMIES
        .iter()
        .filter(|t| ["provider", "life_stage", "household", "theme"].contains(&t.id))
        .map(|t| FacetGroup {
            label: t.name.to_string(),
            choices: t
                .terms
                .iter()
                .filter_map(|(code, name)| choice(format!("/{}/{}", t.id, code), name.to_string()))
                .collect(),
        })
        .chain(std::iter::once(dongs))
        .filter(|g| !g.choices.is_empty())
        .collect()
}

#[derive(Template)]
#[template(path = "directory/search.html")]
struct SearchPage {
    page: Page,
    q: String,
    selected: Vec<String>,
    results: Option<SearchResults>,
    groups: Vec<FacetGroup>,
    current_page: usize,
    pages: usize,
    /// The query was longer than the search takes; only its start was used.
    truncated: bool,
}

impl SearchPage {
    /// This search's address with a facet added or removed, or on another page.
    fn href(&self, toggle: Option<&str>, page: usize) -> String {
        let mut facets: Vec<&str> = self.selected.iter().map(String::as_str).collect();
        if let Some(path) = toggle {
            if facets.contains(&path) {
                facets.retain(|f| *f != path);
            } else {
                facets.push(path);
            }
        }
        let mut pairs = vec![("q", self.q.as_str())];
        pairs.extend(facets.into_iter().map(|f| ("facet", f)));
        let page = page.to_string();
        if page != "1" {
            pairs.push(("page", page.as_str()));
        }
        format!("/welfare?{}", serde_html_form::to_string(&pairs).unwrap_or_default())
    }
}

pub async fn search_page(
    State(state): State<AppState>,
    visitor: Visitor,
    RawQuery(raw): RawQuery,
) -> AppResult<Response> {
    let params = parse(raw)?;
    let searching = !params.q.trim().is_empty() || !params.facet.is_empty();
    let results = if searching { Some(run(&state, &params).await?) } else { None };
    let page = Page::new(&visitor, "search-title");
    let dong_label = page.t("search-facet-dong");
    let groups = results.as_ref().map(|r| facet_groups(r, &params.facet, &state.areas, dong_label)).unwrap_or_default();
    let pages = results.as_ref().map(|r| r.total.div_ceil(PAGE_SIZE)).unwrap_or(0);
    render(&SearchPage {
        page,
        q: params.q.chars().take(super::search::MAX_QUERY_CHARS).collect(),
        selected: params.facet,
        results,
        groups,
        current_page: params.page.unwrap_or(1).max(1),
        pages,
        truncated: params.q.chars().count() > super::search::MAX_QUERY_CHARS,
    })
}

/// `GET /api/v1/services/search`
#[utoipa::path(get, path = "/api/v1/services/search", tag = "directory", params(SearchParams),
    responses((status = 200, description = "Hits (20 a page), total, facet counts and a suggestion when the words were corrected"),
              (status = 400, description = "Malformed query string", body = crate::api::problem::Problem)))]
pub async fn search_api(State(state): State<AppState>, RawQuery(raw): RawQuery) -> AppResult<Json<SearchResults>> {
    let params = parse(raw)?;
    Ok(Json(run(&state, &params).await?))
}

#[derive(Template)]
#[template(path = "directory/service.html")]
struct ServicePage {
    page: Page,
    service: ServiceDetail,
    /// The 행정동 name of each place, in the order of `service.locations`.
    place_dongs: Vec<String>,
}

pub async fn service_page(
    State(state): State<AppState>,
    Reads(db): Reads,
    visitor: Visitor,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let service = store::service(&db, state.municipality(), &id).await?.ok_or(AppError::NotFound)?;
    let mut page = Page::new(&visitor, "service-title");
    page.title = service.name.clone();
    let place_dongs = service
        .locations
        .iter()
        .map(|l| l.adm_cd2.as_deref().and_then(|d| state.areas.name_of(d)).unwrap_or_default().to_string())
        .collect();
    render(&ServicePage { page, service, place_dongs })
}

#[derive(Template)]
#[template(path = "directory/misses.html")]
struct MissesPage {
    page: Page,
    misses: Vec<(String, i64, String)>,
    groups: Vec<String>,
    terms: String,
    errors: FieldErrors,
}

async fn misses_view(state: &AppState, visitor: &Visitor, terms: String, errors: FieldErrors) -> AppResult<MissesPage> {
    let misses = search_store::misses(&state.db, state.municipality(), 200).await?;
    let misses = misses.into_iter().map(|(q, n, at)| (q, n, seoul_display(at))).collect();
    let groups = search_store::synonym_groups(&state.db, state.municipality())
        .await?
        .into_iter()
        .map(|g| g.join(", "))
        .collect();
    Ok(MissesPage { page: Page::new(visitor, "misses-title"), misses, groups, terms, errors })
}

pub async fn misses_page(State(state): State<AppState>, visitor: Visitor) -> AppResult<Response> {
    render(&misses_view(&state, &visitor, String::new(), FieldErrors::default()).await?)
}

#[derive(Deserialize, Default)]
pub struct SynonymForm {
    #[serde(default)]
    terms: String,
}

/// Two to ten distinct normalised terms of at most 30 characters, separated by commas.
fn synonym_terms(text: &str) -> Result<Vec<String>, FieldErrors> {
    let mut terms: Vec<String> =
        text.split([',', '、', '，']).map(korean::normalize).filter(|t| !t.is_empty()).collect();
    terms.dedup();
    let mut errors = FieldErrors::default();
    if terms.len() < 2 || terms.len() > 10 || terms.iter().any(|t| t.chars().count() > 30) {
        errors.add("terms", "field-synonyms-invalid");
    }
    errors.into_result(terms)
}

pub async fn add_synonyms(
    State(state): State<AppState>,
    visitor: Visitor,
    CsrfForm(form): CsrfForm<SynonymForm>,
) -> AppResult<Response> {
    let terms = match synonym_terms(&form.terms) {
        Ok(terms) => terms,
        Err(errors) => {
            let page = misses_view(&state, &visitor, form.terms, errors).await?;
            return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    search_store::add_synonym_group(&state.db, state.municipality(), &terms).await?;
    state.sync_search().await.map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(Redirect::to("/staff/search-misses").into_response())
}
