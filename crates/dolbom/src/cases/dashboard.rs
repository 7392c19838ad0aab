//! `GET /staff/dashboard`: per 행정동, the numbers of the casework: open cases, visits made and households at risk,
//! referrals open and closed, services linked, duplicates gone ahead with a reason and duplicates prevented (a
//! warning the agency did not go ahead from). Flows count the last [`WINDOW_DAYS`] days. Officials see every
//! 행정동, welfare workers their own. Counts only: no one's record is read.

use std::collections::HashMap;

use askama::Template;
use axum::extract::State;
use axum::response::Response;

use crate::app::AppState;
use crate::auth::{CurrentUser, Visitor};
use crate::db::Db;
use crate::db::time::{Millis, now_millis};
use crate::db_run;
use crate::error::AppResult;
use crate::web::{Page, render};

pub const WINDOW_DAYS: i64 = 90;

/// The figures, in the order of the table's columns: (catalog key, SQL over `$1` municipality and `$2` since).
/// Figures of what is open now take no window: they compare with `$2 - $2` (0), as every query binds both.
const FIGURES: [(&str, &str); 9] = [
    (
        "dashboard-open-cases",
        "SELECT h.adm_cd2, COUNT(*) FROM cases k JOIN households h ON h.id = k.household_id \
        WHERE k.municipality_code = $1 AND k.status = 'open' AND k.opened_at >= $2 - $2 GROUP BY h.adm_cd2",
    ),
    (
        "dashboard-visits",
        "SELECT v.adm_cd2, COUNT(*) FROM outreach_visits v WHERE v.municipality_code = $1 \
        AND v.status = 'done' AND v.visited_at >= $2 GROUP BY v.adm_cd2",
    ),
    (
        "dashboard-scheduled",
        "SELECT v.adm_cd2, COUNT(*) FROM outreach_visits v WHERE v.municipality_code = $1 \
        AND v.status = 'scheduled' AND v.created_at >= $2 - $2 GROUP BY v.adm_cd2",
    ),
    (
        "dashboard-at-risk",
        "SELECT v.adm_cd2, COUNT(*) FROM outreach_visits v WHERE v.municipality_code = $1 \
        AND v.status = 'done' AND v.risk_level > 0 AND v.visited_at >= $2 - $2 AND v.visited_at = (SELECT MAX(w.visited_at) \
        FROM outreach_visits w WHERE w.household_id = v.household_id AND w.status = 'done') GROUP BY v.adm_cd2",
    ),
    (
        "dashboard-referrals-open",
        "SELECT h.adm_cd2, COUNT(*) FROM referrals f JOIN households h ON h.id = f.household_id \
        WHERE f.municipality_code = $1 AND f.status IN ('sent', 'accepted', 'served') AND f.sent_at >= $2 - $2 GROUP BY h.adm_cd2",
    ),
    (
        "dashboard-referrals-closed",
        "SELECT h.adm_cd2, COUNT(*) FROM referrals f JOIN households h ON h.id = f.household_id \
        WHERE f.municipality_code = $1 AND f.status = 'closed' AND f.closed_at >= $2 GROUP BY h.adm_cd2",
    ),
    (
        "dashboard-links",
        "SELECT h.adm_cd2, COUNT(*) FROM resource_links l JOIN households h ON h.id = l.household_id \
        WHERE l.municipality_code = $1 AND l.created_at >= $2 GROUP BY h.adm_cd2",
    ),
    (
        "dashboard-went-ahead",
        "SELECT h.adm_cd2, COUNT(*) FROM resource_links l JOIN households h ON h.id = l.household_id \
        WHERE l.municipality_code = $1 AND l.reason <> '' AND l.created_at >= $2 GROUP BY h.adm_cd2",
    ),
    (
        "dashboard-prevented",
        "SELECT h.adm_cd2, COUNT(DISTINCT a.household_id || ':' || a.agency_id || ':' || a.category) \
        FROM duplicate_alerts a JOIN households h ON h.id = a.household_id WHERE a.municipality_code = $1 AND a.at >= $2 \
        AND NOT EXISTS (SELECT 1 FROM resource_links l WHERE l.household_id = a.household_id \
        AND l.agency_id = a.agency_id AND l.category = a.category AND l.created_at >= a.at) GROUP BY h.adm_cd2",
    ),
];

/// One 행정동's figures, in the order of [`FIGURES`].
pub struct AreaFigures {
    pub adm_cd2: String,
    pub name: String,
    pub values: Vec<i64>,
}

/// The figures per 행정동 of `areas` (each with its name), and the total of each figure.
pub async fn figures(
    db: &Db,
    municipality: &str,
    areas: &[(String, String)],
    since: Millis,
) -> Result<(Vec<AreaFigures>, Vec<i64>), sqlx::Error> {
    let mut by_figure: Vec<HashMap<String, i64>> = Vec::new();
    for (_, sql) in FIGURES {
        let rows: Vec<(String, i64)> =
            db_run!(db, p => sqlx::query_as(sql).bind(municipality).bind(since).fetch_all(p).await)?;
        by_figure.push(rows.into_iter().collect());
    }
    let rows: Vec<AreaFigures> = areas
        .iter()
        .map(|(code, name)| AreaFigures {
            adm_cd2: code.clone(),
            name: name.clone(),
            values: by_figure.iter().map(|f| f.get(code).copied().unwrap_or(0)).collect(),
        })
        .collect();
    let totals = (0..FIGURES.len()).map(|i| rows.iter().map(|r| r.values[i]).sum()).collect();
    Ok((rows, totals))
}

#[derive(Template)]
#[template(path = "cases/dashboard.html")]
struct DashboardPage {
    page: Page,
    columns: Vec<&'static str>,
    rows: Vec<AreaFigures>,
    totals: Vec<i64>,
    days: i64,
}

pub async fn show(State(state): State<AppState>, visitor: Visitor, user: CurrentUser) -> AppResult<Response> {
    let areas = crate::people::reach::area_choices(&state.areas, &user);
    let since = now_millis() - WINDOW_DAYS * 86_400_000;
    let (rows, totals) = figures(&state.db, state.municipality(), &areas, since).await?;
    let columns = FIGURES.iter().map(|(key, _)| *key).collect();
    render(&DashboardPage { page: Page::new(&visitor, "dashboard-title"), columns, rows, totals, days: WINDOW_DAYS })
}
