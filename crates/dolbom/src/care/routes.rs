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

impl ServicesPage {
    /// `만 6세`, or `6개월` below a year.
    fn age(&self, months: &u32) -> String {
        if *months < 12 {
            self.page.t1("care-age-months", "months", months.to_string())
        } else {
            self.page.t1("child-age", "age", (months / 12).to_string())
        }
    }

    fn window(&self, w: &Window) -> String {
        format!("{}–{}", clock(w.opens), clock(w.closes))
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

pub async fn services(State(state): State<AppState>, visitor: Visitor) -> AppResult<Response> {
    let cards = SERVICES
        .iter()
        .map(|s| ServiceCard { code: s.code(), rules: s.rules(), free_now: free_now(&state, *s) })
        .collect();
    render(&ServicesPage { page: Page::new(&visitor, "care-title"), cards })
}
