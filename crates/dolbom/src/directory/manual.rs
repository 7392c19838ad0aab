//! The directory as a printed manual, as 노원구 printed its 복지자원 총조사 for every 동주민센터: services grouped by
//! 생애주기, then by 관심주제, with contacts and how to apply. A service with several stages or themes is listed
//! under each, as a reader looking up one stage expects.

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use serde::Deserialize;

use super::search_store::{self, ManualEntry};
use super::taxonomy::{LIFE_STAGE, TAXONOMIES, THEME, term_id};
use crate::app::AppState;
use crate::auth::Visitor;
use crate::db::time::seoul_today;
use crate::error::{AppError, AppResult};
use crate::web::{Page, render};

#[derive(Deserialize, Default)]
pub struct ManualQuery {
    /// Only services with this term, e.g. `theme:care` or `life_stage:senior`.
    #[serde(default)]
    term: String,
    /// The edition of one 행정동 (`adm_cd2`): services offered everywhere, and those with a place in it.
    #[serde(default)]
    dong: String,
}

pub struct Chapter {
    pub title: String,
    pub anchor: String,
    pub sections: Vec<(String, Vec<ManualEntry>)>,
    pub count: usize,
}

#[derive(Template)]
#[template(path = "directory/manual.html")]
struct ManualPage {
    page: Page,
    chapters: Vec<Chapter>,
    total: usize,
    date: String,
    term: String,
    term_name: Option<String>,
    choices: Vec<(String, String)>,
    dong: String,
    dong_name: Option<String>,
    dongs: Vec<(String, String)>,
}

/// The 행정동 edition: services without places are everyone's; place-bound ones stay when a place is in the 동,
/// and show only those places.
fn for_dong(entries: &mut Vec<ManualEntry>, dong: &str) {
    entries.retain_mut(|e| {
        if e.places.is_empty() {
            return true;
        }
        e.places.retain(|p| p.adm_cd2.as_deref() == Some(dong));
        !e.places.is_empty()
    });
}

fn terms_of(taxonomy: &str) -> Vec<(String, &'static str)> {
    TAXONOMIES
        .iter()
        .find(|t| t.id == taxonomy)
        .map(|t| t.terms.iter().map(|(code, name)| (term_id(taxonomy, code), *name)).collect())
        .unwrap_or_default()
}

fn has(entry: &ManualEntry, term: &str) -> bool {
    entry.terms.iter().any(|t| t == term)
}

/// One chapter: its services split by theme, those without a theme last; `None` when it would be empty.
fn chapter(title: &str, anchor: String, members: Vec<&ManualEntry>, other_theme: &str) -> Option<Chapter> {
    if members.is_empty() {
        return None;
    }
    let themes = terms_of(THEME);
    let mut sections: Vec<(String, Vec<ManualEntry>)> = themes
        .iter()
        .map(|(id, name)| (name.to_string(), members.iter().filter(|e| has(e, id)).map(|e| (*e).clone()).collect()))
        .filter(|(_, listed): &(String, Vec<ManualEntry>)| !listed.is_empty())
        .collect();
    let unthemed: Vec<ManualEntry> =
        members.iter().filter(|e| !themes.iter().any(|(t, _)| has(e, t))).map(|e| (*e).clone()).collect();
    if !unthemed.is_empty() {
        sections.push((other_theme.to_string(), unthemed));
    }
    Some(Chapter { title: title.to_string(), anchor, count: members.len(), sections })
}

/// A chapter per 생애주기 and one for services without a stage, each split by 관심주제.
pub fn chapters(entries: &[ManualEntry], other_stage: &str, other_theme: &str) -> Vec<Chapter> {
    let stages = terms_of(LIFE_STAGE);
    let mut out: Vec<Chapter> = stages
        .iter()
        .filter_map(|(id, name)| {
            let members = entries.iter().filter(|e| has(e, id)).collect();
            chapter(name, id.replace(':', "-"), members, other_theme)
        })
        .collect();
    let ageless = entries.iter().filter(|e| !stages.iter().any(|(id, _)| has(e, id))).collect();
    out.extend(chapter(other_stage, "life_stage-all".into(), ageless, other_theme));
    out
}

pub async fn manual(State(state): State<AppState>, visitor: Visitor, RawQuery(raw): RawQuery) -> AppResult<Response> {
    let query: ManualQuery = serde_html_form::from_str(raw.as_deref().unwrap_or_default())
        .map_err(|_| AppError::BadRequest("query_malformed"))?;
    let choices: Vec<(String, String)> =
        terms_of(LIFE_STAGE).into_iter().chain(terms_of(THEME)).map(|(id, name)| (id, name.to_string())).collect();
    let term_name = choices.iter().find(|(id, _)| *id == query.term).map(|(_, n)| n.clone());
    if !query.term.is_empty() && term_name.is_none() {
        return Err(AppError::NotFound);
    }
    let dong_name = state.areas.name_of(&query.dong).map(str::to_string);
    if !query.dong.is_empty() && dong_name.is_none() {
        return Err(AppError::NotFound);
    }
    let mut entries = search_store::manual_entries(&state.db, state.municipality()).await?;
    if !query.term.is_empty() {
        entries.retain(|e| e.terms.contains(&query.term));
    }
    if !query.dong.is_empty() {
        for_dong(&mut entries, &query.dong);
    }
    let page = Page::new(&visitor, "manual-title");
    let chapters = chapters(&entries, &page.t("manual-all-ages"), &page.t("manual-other-theme"));
    render(&ManualPage {
        page,
        chapters,
        total: entries.len(),
        date: seoul_today().format("%Y-%m-%d").to_string(),
        term: query.term,
        term_name,
        choices,
        dong: query.dong,
        dong_name,
        dongs: state.areas.choices(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(name: &str, terms: &[&str]) -> ManualEntry {
        ManualEntry {
            id: name.into(),
            name: name.into(),
            description: String::new(),
            organization: String::new(),
            application_process: None,
            terms: terms.iter().map(|t| t.to_string()).collect(),
            phones: Vec::new(),
            places: Vec::new(),
        }
    }

    #[test]
    fn services_are_listed_under_each_stage_and_theme() {
        let entries = vec![
            entry("노인돌봄", &["life_stage:senior", "theme:care"]),
            entry("청년월세", &["life_stage:young_adult", "life_stage:senior", "theme:housing"]),
            entry("법률상담", &[]),
        ];
        let chapters = chapters(&entries, "전 생애", "기타");
        let titles: Vec<&str> = chapters.iter().map(|c| c.title.as_str()).collect();
        assert_eq!(titles, ["청년", "노년", "전 생애"]);
        let senior = &chapters[1];
        assert_eq!(senior.count, 2);
        let sections: Vec<&str> = senior.sections.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(sections, ["주거", "보호·돌봄"]);
        assert_eq!(chapters[2].sections[0].0, "기타");
    }

    #[test]
    fn a_dong_edition_keeps_everyones_services_and_its_own_places() {
        let place =
            |dong: &str| crate::directory::model::ServiceLocation { adm_cd2: Some(dong.into()), ..Default::default() };
        let mut centres = entry("센터 돌봄", &["theme:care"]);
        centres.places = vec![place("1135059500"), place("1135060000")];
        let mut elsewhere = entry("다른 동 돌봄", &["theme:care"]);
        elsewhere.places = vec![place("1135060000")];
        let mut entries = vec![entry("기초연금", &["life_stage:senior"]), centres, elsewhere];
        for_dong(&mut entries, "1135059500");
        let names: Vec<&str> = entries.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["기초연금", "센터 돌봄"]);
        assert_eq!(entries[1].places.len(), 1);
    }
}
