//! `/care`: the services, their rules and the places free right now, shown before anyone applies, so no one has
//! to phone around.

use askama::Template;
use axum::extract::State;
use axum::response::Response;

use super::rules::{Rules, SERVICES, Service, Window};
use crate::app::AppState;
use crate::auth::Visitor;
use crate::error::AppResult;
use crate::places::hours::clock;
use crate::places::index::PlaceQuery;
use crate::web::{Page, render};

pub struct ServiceCard {
    pub code: &'static str,
    pub rules: Rules,
    /// Free places now at the facilities that give it, and how many of those facilities publish theirs; `None`
    /// for care at home.
    pub free_now: Option<(i64, usize)>,
}

#[derive(Template)]
#[template(path = "care/services.html")]
struct ServicesPage {
    page: Page,
    cards: Vec<ServiceCard>,
}

/// `만 6세`, or `6개월` below a year.
fn age(page: &Page, months: u32) -> String {
    if months < 12 {
        page.t1("care-age-months", "months", months.to_string())
    } else {
        page.t1("child-age", "age", (months / 12).to_string())
    }
}

fn window(w: &Window) -> String {
    format!("{}–{}", clock(w.opens), clock(w.closes))
}

impl ServiceCard {
    /// `만 6세 – 만 12세`.
    pub fn ages(&self, page: &Page) -> String {
        format!("{} – {}", age(page, self.rules.min_age_months), age(page, self.rules.max_age_months))
    }

    pub fn weekday(&self) -> String {
        window(&self.rules.weekday)
    }

    pub fn day_off(&self) -> String {
        window(&self.rules.day_off)
    }
}

fn free_now(state: &AppState, service: Service) -> Option<(i64, usize)> {
    let kinds = service.rules().facility_kinds;
    if kinds.is_empty() {
        return None;
    }
    let query =
        PlaceQuery { kinds: kinds.iter().map(|k| k.to_string()).collect(), limit: usize::MAX, ..PlaceQuery::default() };
    let hits = state.places.facilities(&query);
    let published: Vec<i64> = hits.iter().filter_map(|h| h.place.vacancies()).map(i64::from).collect();
    Some((published.iter().sum(), published.len()))
}

/// Each service with its rules and the places free now.
pub fn service_cards(state: &AppState) -> Vec<ServiceCard> {
    SERVICES.iter().map(|s| ServiceCard { code: s.code(), rules: s.rules(), free_now: free_now(state, *s) }).collect()
}

pub async fn services(State(state): State<AppState>, visitor: Visitor) -> AppResult<Response> {
    render(&ServicesPage { page: Page::new(&visitor, "care-title"), cards: service_cards(&state) })
}
