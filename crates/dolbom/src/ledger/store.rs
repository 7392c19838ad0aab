//! SQL of the ledger. Saving a link first locks the household's row (PostgreSQL: a row lock; SQLite: the write
//! lock), so two agencies linking the same household at once see each other's link: one of them gets the warning.

use chrono::NaiveDate;

use super::model::NewLink;
use crate::db::time::now_millis;
use crate::db::{Db, Tx, new_id};
use crate::{db_run, tx_run};

#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    #[error("no such household")]
    UnknownHousehold,
    #[error("no such service")]
    UnknownService,
    /// The same household already receives support of this category in an overlapping period: going ahead needs
    /// a reason. Nothing was saved.
    #[error("{} overlapping links need a reason", .0.len())]
    NeedsReason(Vec<Link>),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// A link as the ledger shows it.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct Link {
    pub id: String,
    pub household_id: String,
    pub service_id: String,
    pub service_name: String,
    pub category: String,
    pub agency_id: String,
    pub agency_name: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub amount_krw: Option<i64>,
    pub in_kind: String,
    pub reason: String,
}

/// What saving did: the link, and the earlier links it was warned of (saved with a reason).
#[derive(Debug, PartialEq, Eq)]
pub struct Saved {
    pub id: String,
    pub warned_of: Vec<String>,
}

const LINK_COLUMNS: &str = "l.id, l.household_id, l.service_id, s.name AS service_name, l.category, l.agency_id, \
     o.name AS agency_name, l.starts_on, l.ends_on, CAST(l.amount_krw AS BIGINT) AS amount_krw, l.in_kind, l.reason";
const LINK_FROM: &str =
    "FROM resource_links l JOIN services s ON s.id = l.service_id JOIN organizations o ON o.id = l.agency_id";

/// What "the same support" means for a service: its first 관심주제, or the service itself when it has none.
async fn category_of(tx: &mut Tx, service_id: &str) -> Result<String, sqlx::Error> {
    let sql = "SELECT t.code FROM attributes a JOIN taxonomy_terms t ON t.id = a.taxonomy_term_id \
               WHERE a.link_entity = 'service' AND a.link_id = $1 AND t.taxonomy_id = 'theme' ORDER BY t.code LIMIT 1";
    let theme: Option<String> = tx_run!(tx, c => sqlx::query_scalar(sql).bind(service_id).fetch_optional(c).await)?;
    Ok(theme.unwrap_or_else(|| format!("service:{service_id}")))
}

/// The household's links of a category whose period overlaps the given one, from any agency.
async fn overlapping(
    tx: &mut Tx,
    household_id: &str,
    category: &str,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
) -> Result<Vec<Link>, sqlx::Error> {
    let sql = format!(
        "SELECT {LINK_COLUMNS} {LINK_FROM} WHERE l.household_id = $1 AND l.category = $2 \
         AND l.starts_on <= $4 AND l.ends_on >= $3 ORDER BY l.starts_on, l.id"
    );
    tx_run!(tx, c => sqlx::query_as(&sql).bind(household_id).bind(category).bind(starts_on).bind(ends_on)
        .fetch_all(c).await)
}

/// Saves a link for `agency` by `user`, after the duplicate check: an overlap without a reason is refused with
/// the links it overlaps (the warning shown is kept); with a reason the link is saved and each warning kept beside it.
pub async fn save(db: &Db, municipality: &str, link: &NewLink, agency: &str, user: &str) -> Result<Saved, LedgerError> {
    let mut tx = db.begin().await?;
    let saved = save_in(&mut tx, municipality, link, agency, user).await;
    if matches!(saved, Ok(_) | Err(LedgerError::NeedsReason(_))) {
        tx.commit().await?;
    }
    saved
}

/// [`save`] inside the caller's transaction, which the caller commits: on `NeedsReason` only the kept warning was
/// written, so committing keeps it and nothing else.
pub async fn save_in(
    tx: &mut Tx,
    municipality: &str,
    link: &NewLink,
    agency: &str,
    user: &str,
) -> Result<Saved, LedgerError> {
    let lock = "UPDATE households SET municipality_code = municipality_code WHERE id = $1 AND municipality_code = $2";
    let found = tx_run!(tx, c => sqlx::query(lock).bind(&link.household_id).bind(municipality).execute(c).await
        .map(|r| r.rows_affected()))?;
    if found == 0 {
        return Err(LedgerError::UnknownHousehold);
    }
    let service = "SELECT COUNT(*) FROM services WHERE id = $1 AND municipality_code = $2";
    let known: i64 = tx_run!(tx, c => sqlx::query_scalar(service).bind(&link.service_id).bind(municipality)
        .fetch_one(c).await)?;
    if known == 0 {
        return Err(LedgerError::UnknownService);
    }
    let category = category_of(tx, &link.service_id).await?;
    let earlier = overlapping(tx, &link.household_id, &category, link.starts_on, link.ends_on).await?;
    if !earlier.is_empty() && link.reason.is_empty() {
        alert(tx, municipality, &link.household_id, agency, &category).await?;
        return Err(LedgerError::NeedsReason(earlier));
    }
    let id = new_id();
    let now = now_millis();
    let insert = "INSERT INTO resource_links (id, municipality_code, household_id, service_id, category, agency_id, \
                  starts_on, ends_on, amount_krw, in_kind, reason, created_by, created_at) \
                  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)";
    let reason = if earlier.is_empty() { "" } else { link.reason.as_str() };
    tx_run!(tx, c => sqlx::query(insert).bind(&id).bind(municipality).bind(&link.household_id)
        .bind(&link.service_id).bind(&category).bind(agency).bind(link.starts_on).bind(link.ends_on)
        .bind(link.amount_krw).bind(&link.in_kind).bind(reason).bind(user).bind(now).execute(c).await.map(|_| ()))?;
    for e in &earlier {
        let warn = "INSERT INTO duplicate_warnings (link_id, duplicate_of, at) VALUES ($1, $2, $3)";
        tx_run!(tx, c => sqlx::query(warn).bind(&id).bind(&e.id).bind(now).execute(c).await.map(|_| ()))?;
    }
    Ok(Saved { id, warned_of: earlier.into_iter().map(|e| e.id).collect() })
}

/// Keeps the warning a worker was shown (the dashboards count the ones not gone ahead from).
async fn alert(
    tx: &mut Tx,
    municipality: &str,
    household: &str,
    agency: &str,
    category: &str,
) -> Result<(), sqlx::Error> {
    let sql = "INSERT INTO duplicate_alerts (id, municipality_code, household_id, agency_id, category, at) \
               VALUES ($1, $2, $3, $4, $5, $6)";
    tx_run!(tx, c => sqlx::query(sql).bind(new_id()).bind(municipality).bind(household).bind(agency).bind(category)
        .bind(now_millis()).execute(c).await.map(|_| ()))
}

/// A household's links, newest period first.
pub async fn of_household(db: &Db, household_id: &str) -> Result<Vec<Link>, sqlx::Error> {
    let sql = format!("SELECT {LINK_COLUMNS} {LINK_FROM} WHERE l.household_id = $1 ORDER BY l.starts_on DESC, l.id");
    db_run!(db, p => sqlx::query_as(&sql).bind(household_id).fetch_all(p).await)
}

/// How many links went ahead despite a warning, and how many warnings there were, in the municipality.
pub async fn warnings(db: &Db, municipality: &str) -> Result<(i64, i64), sqlx::Error> {
    let sql = "SELECT COUNT(DISTINCT w.link_id), COUNT(*) FROM duplicate_warnings w \
               JOIN resource_links l ON l.id = w.link_id WHERE l.municipality_code = $1";
    db_run!(db, p => sqlx::query_as(sql).bind(municipality).fetch_one(p).await)
}

/// The municipality's active services, to link: id and name.
pub async fn active_services(db: &Db, municipality: &str) -> Result<Vec<(String, String)>, sqlx::Error> {
    let sql = "SELECT id, name FROM services WHERE municipality_code = $1 AND status = 'active' ORDER BY name, id";
    db_run!(db, p => sqlx::query_as(sql).bind(municipality).fetch_all(p).await)
}
