//! Officials' monitoring of care: applications by status, each provider's and caregiver's response time,
//! acceptance, hours of care, satisfaction and incidents, and caregivers' credentials near or past expiry.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use chrono::{Duration, NaiveDate};

use super::monitor_store::{self, Expiring, ProviderFigures};
use crate::app::AppState;
use crate::auth::Visitor;
use crate::db::time::seoul_today;
use crate::error::AppResult;
use crate::web::{Page, render};

/// Credentials expiring within this many days are flagged.
pub const WARN_DAYS: i64 = 30;

#[derive(Template)]
#[template(path = "care/monitoring.html")]
struct MonitorPage {
    page: Page,
    statuses: Vec<(String, i64)>,
    providers: Vec<ProviderFigures>,
    expiring: Vec<Expiring>,
    today: NaiveDate,
}

impl MonitorPage {
    fn one(&self, value: &Option<f64>) -> String {
        value.map_or_else(|| "–".to_string(), |v| format!("{v:.1}"))
    }

    fn acceptance(&self, p: &ProviderFigures) -> String {
        self.one(&p.acceptance())
    }

    fn expired(&self, e: &Expiring) -> bool {
        e.expires_on < self.today
    }
}

pub async fn page(State(state): State<AppState>, visitor: Visitor) -> AppResult<Response> {
    let today = seoul_today();
    let municipality = state.municipality();
    let page = MonitorPage {
        page: Page::new(&visitor, "care-monitoring-title"),
        statuses: monitor_store::per_status(&state.db, municipality).await?,
        providers: monitor_store::per_provider(&state.db, municipality).await?,
        expiring: monitor_store::credentials_expiring(&state.db, municipality, today + Duration::days(WARN_DAYS))
            .await?,
        today,
    };
    render(&page)
}
