//! Reports, as CSV or XLSX: a programme's applications with their scores and money (officials), and a group's
//! grants line by line (the group's leader for their own, officials for any). Headers are in the reader's language.

use axum::extract::{Path, State};
use axum::response::Response;

use super::ledger_store;
use super::queries::{self, Application};
use super::routes::{leader_group, programme_of};
use super::store;
use crate::app::AppState;
use crate::auth::Visitor;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::i18n::{self, Locale};
use crate::web::export::{Cell, Table, download};

fn headers(locale: Locale, keys: &[&str]) -> Vec<String> {
    keys.iter().map(|k| i18n::t(locale, k)).collect()
}

/// Money of one application: granted, disbursed, spent, remaining (zeros before approval).
async fn money(db: &Db, a: &Application) -> Result<[i64; 4], sqlx::Error> {
    Ok(match ledger_store::balance(db, &a.id).await? {
        Some((b, _)) => [b.granted, b.disbursed, b.spent, b.remaining],
        None => [0; 4],
    })
}

pub async fn programme_table(db: &Db, locale: Locale, programme_id: &str) -> Result<Table, sqlx::Error> {
    let keys = [
        "subsidy-group",
        "label-title",
        "subsidy-status",
        "subsidy-requested",
        "subsidy-score",
        "subsidy-granted",
        "subsidy-disbursed",
        "subsidy-spent",
        "subsidy-remaining",
    ];
    let mut table = Table { headers: headers(locale, &keys), rows: Vec::new() };
    for a in queries::applications_to(db, programme_id).await? {
        let score = super::grant_view::score_text(store::outcome(db, &a.id).await?.as_ref());
        let [granted, disbursed, spent, remaining] = money(db, &a).await?;
        table.rows.push(vec![
            a.group_name.as_str().into(),
            a.title.as_str().into(),
            i18n::t(locale, &format!("subsidy-status-{}", a.status)).into(),
            a.requested_krw.into(),
            score.unwrap_or_default().into(),
            granted.into(),
            disbursed.into(),
            spent.into(),
            remaining.into(),
        ]);
    }
    Ok(table)
}

pub async fn group_table(db: &Db, locale: Locale, group_id: &str) -> Result<Table, sqlx::Error> {
    let keys = [
        "subsidy-programme-title",
        "label-title",
        "subsidy-line",
        "subsidy-planned",
        "subsidy-spent",
        "subsidy-remaining",
    ];
    let mut table = Table { headers: headers(locale, &keys), rows: Vec::new() };
    for a in queries::applications_of(db, group_id).await? {
        let Some((b, _)) = ledger_store::balance(db, &a.id).await? else { continue };
        for l in b.lines {
            let row: Vec<Cell> = vec![
                a.programme_name.as_str().into(),
                a.title.as_str().into(),
                l.name.into(),
                l.planned.into(),
                l.spent.into(),
                l.remaining.into(),
            ];
            table.rows.push(row);
        }
    }
    Ok(table)
}

async fn programme(state: &AppState, locale: Locale, id: &str, format: &str) -> AppResult<Response> {
    let p = programme_of(state, id).await?;
    let table = programme_table(&state.db, locale, &p.id).await?;
    download(&table, format, &format!("subsidy-{}", p.id), "report")
}

/// `GET /official/subsidies/{id}/report.csv`
pub async fn programme_csv(State(s): State<AppState>, v: Visitor, Path(id): Path<String>) -> AppResult<Response> {
    programme(&s, v.locale, &id, "csv").await
}

/// `GET /official/subsidies/{id}/report.xlsx`
pub async fn programme_xlsx(State(s): State<AppState>, v: Visitor, Path(id): Path<String>) -> AppResult<Response> {
    programme(&s, v.locale, &id, "xlsx").await
}

async fn group(state: &AppState, visitor: &Visitor, id: &str, format: &str) -> AppResult<Response> {
    let table = group_table(&state.db, visitor.locale, id).await?;
    download(&table, format, &format!("group-{id}"), "report")
}

fn own_group(visitor: &Visitor) -> AppResult<String> {
    leader_group(visitor.user.as_ref()).map(str::to_string).ok_or(AppError::Forbidden)
}

/// `GET /leader/subsidies/report.csv`: the leader's own group.
pub async fn own_csv(State(s): State<AppState>, v: Visitor) -> AppResult<Response> {
    group(&s, &v, &own_group(&v)?, "csv").await
}

/// `GET /leader/subsidies/report.xlsx`
pub async fn own_xlsx(State(s): State<AppState>, v: Visitor) -> AppResult<Response> {
    group(&s, &v, &own_group(&v)?, "xlsx").await
}

/// `GET /official/subsidies/groups/{id}/report.csv`: any group.
pub async fn group_csv(State(s): State<AppState>, v: Visitor, Path(id): Path<String>) -> AppResult<Response> {
    group(&s, &v, &id, "csv").await
}

/// `GET /official/subsidies/groups/{id}/report.xlsx`
pub async fn group_xlsx(State(s): State<AppState>, v: Visitor, Path(id): Path<String>) -> AppResult<Response> {
    group(&s, &v, &id, "xlsx").await
}
