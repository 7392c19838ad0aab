//! SQL the search index, the manual and the synonym pages read (kept apart from the services' own store).

use std::collections::HashMap;

use super::location_store;
use super::model::{Phone, ServiceLocation};
use super::search::SearchDoc;
use crate::db::change_log::{self, Op};
use crate::db::time::now_millis;
use crate::db::{Db, new_id};
use crate::{db_run, tx_run};

const SEARCH_DOC_SQL: &str = "SELECT s.id, s.name, s.description, COALESCE(o.name, '') AS organization \
    FROM services s LEFT JOIN directory_organizations o ON o.id = s.organization_id \
    WHERE s.municipality_code = $1 AND s.status = 'active'";

fn search_doc(
    (id, name, description, organization): (String, String, String, String),
    terms: Vec<String>,
) -> SearchDoc {
    SearchDoc { id, name, description, organization, terms }
}

/// Active services as the search index keeps them, a batch at a time in id order after `after` (two queries per
/// batch, so building a large index never holds every service in memory at once).
pub async fn search_docs_after(
    db: &Db,
    municipality: &str,
    after: &str,
    limit: i64,
) -> Result<Vec<SearchDoc>, sqlx::Error> {
    let sql = format!("{SEARCH_DOC_SQL} AND s.id > $2 ORDER BY s.id LIMIT $3");
    let rows: Vec<(String, String, String, String)> =
        db_run!(db, p => sqlx::query_as(&sql).bind(municipality).bind(after).bind(limit).fetch_all(p).await)?;
    let (Some(first), Some(last)) = (rows.first(), rows.last()) else { return Ok(Vec::new()) };
    let terms_sql = "SELECT a.link_id, a.taxonomy_term_id FROM attributes a JOIN services s ON s.id = a.link_id \
                     WHERE a.link_entity = 'service' AND s.municipality_code = $1 AND s.id >= $2 AND s.id <= $3";
    let terms: Vec<(String, String)> =
        db_run!(db, p => sqlx::query_as(terms_sql).bind(municipality).bind(&first.0).bind(&last.0).fetch_all(p).await)?;
    let mut by_service: HashMap<String, Vec<String>> = HashMap::new();
    for (service, term) in terms {
        by_service.entry(service).or_default().push(term);
    }
    for (service, dongs) in location_store::dongs_between(db, municipality, &first.0, &last.0).await? {
        by_service.entry(service).or_default().extend(dongs.iter().map(|d| dong_term(d)));
    }
    Ok(rows
        .into_iter()
        .map(|row| {
            let terms = by_service.remove(&row.0).unwrap_or_default();
            search_doc(row, terms)
        })
        .collect())
}

/// One service as the search index keeps it; `None` when it is gone or no longer active.
pub async fn one_search_doc(db: &Db, municipality: &str, id: &str) -> Result<Option<SearchDoc>, sqlx::Error> {
    let sql = format!("{SEARCH_DOC_SQL} AND s.id = $2");
    let row: Option<(String, String, String, String)> =
        db_run!(db, p => sqlx::query_as(&sql).bind(municipality).bind(id).fetch_optional(p).await)?;
    let Some(row) = row else { return Ok(None) };
    let terms_sql = "SELECT taxonomy_term_id FROM attributes WHERE link_entity = 'service' AND link_id = $1";
    let terms: Vec<(String,)> = db_run!(db, p => sqlx::query_as(terms_sql).bind(id).fetch_all(p).await)?;
    let dongs = location_store::dongs_between(db, municipality, id, id).await?.remove(id).unwrap_or_default();
    let terms = terms.into_iter().map(|(t,)| t).chain(dongs.iter().map(|d| dong_term(d))).collect();
    Ok(Some(search_doc(row, terms)))
}

/// The 행정동 a service is delivered in, as the search facet `/dong/{adm_cd2}`.
pub fn dong_term(adm_cd2: &str) -> String {
    format!("dong:{adm_cd2}")
}

/// Counts a search that found nothing (the query only, never who asked).
pub async fn record_miss(db: &Db, municipality: &str, query: &str) -> Result<(), sqlx::Error> {
    let sql = "INSERT INTO search_misses (municipality_code, query, count, last_at) VALUES ($1, $2, 1, $3) \
               ON CONFLICT (municipality_code, query) DO UPDATE SET count = search_misses.count + 1, last_at = $3";
    db_run!(db, p => sqlx::query(sql).bind(municipality).bind(query).bind(now_millis()).execute(p).await.map(|_| ()))
}

/// The searches that found nothing, most frequent first.
pub async fn misses(db: &Db, municipality: &str, limit: i64) -> Result<Vec<(String, i64, i64)>, sqlx::Error> {
    let sql = "SELECT query, count, last_at FROM search_misses WHERE municipality_code = $1 \
               ORDER BY count DESC, last_at DESC LIMIT $2";
    db_run!(db, p => sqlx::query_as(sql).bind(municipality).bind(limit).fetch_all(p).await)
}

/// A service as the printed manual lists it.
#[derive(Clone, Debug)]
pub struct ManualEntry {
    pub id: String,
    pub name: String,
    pub description: String,
    pub organization: String,
    pub application_process: Option<String>,
    pub terms: Vec<String>,
    pub phones: Vec<Phone>,
    /// Where it is delivered; empty for services one applies to from anywhere in the district.
    pub places: Vec<ServiceLocation>,
}

/// Every active service with its terms, phones and places, in four queries, sorted by name.
pub async fn manual_entries(db: &Db, municipality: &str) -> Result<Vec<ManualEntry>, sqlx::Error> {
    let sql = "SELECT s.id, s.name, s.description, COALESCE(o.name, ''), s.application_process FROM services s \
               LEFT JOIN directory_organizations o ON o.id = s.organization_id \
               WHERE s.municipality_code = $1 AND s.status = 'active' ORDER BY s.name";
    let rows: Vec<(String, String, String, String, Option<String>)> =
        db_run!(db, p => sqlx::query_as(sql).bind(municipality).fetch_all(p).await)?;
    let terms_sql = "SELECT a.link_id, a.taxonomy_term_id FROM attributes a JOIN services s ON s.id = a.link_id \
                     WHERE a.link_entity = 'service' AND s.municipality_code = $1";
    let terms: Vec<(String, String)> =
        db_run!(db, p => sqlx::query_as(terms_sql).bind(municipality).fetch_all(p).await)?;
    let phones_sql = "SELECT p.service_id, p.number, p.description FROM phones p JOIN services s ON s.id = p.service_id \
                      WHERE s.municipality_code = $1 ORDER BY p.number";
    let phones: Vec<(String, String, Option<String>)> =
        db_run!(db, p => sqlx::query_as(phones_sql).bind(municipality).fetch_all(p).await)?;
    let mut terms_of: HashMap<String, Vec<String>> = HashMap::new();
    for (service, term) in terms {
        terms_of.entry(service).or_default().push(term);
    }
    let mut places_of = location_store::all_by_service(db, municipality).await?;
    let mut phones_of: HashMap<String, Vec<Phone>> = HashMap::new();
    for (service, number, description) in phones {
        phones_of.entry(service).or_default().push(Phone { number, description });
    }
    Ok(rows
        .into_iter()
        .map(|(id, name, description, organization, application_process)| ManualEntry {
            terms: terms_of.remove(&id).unwrap_or_default(),
            phones: phones_of.remove(&id).unwrap_or_default(),
            places: places_of.remove(&id).unwrap_or_default(),
            id,
            name,
            description,
            organization,
            application_process,
        })
        .collect())
}

/// Synonym groups staff added, each a list of normalised terms.
pub async fn synonym_groups(db: &Db, municipality: &str) -> Result<Vec<Vec<String>>, sqlx::Error> {
    let sql = "SELECT terms FROM search_synonyms WHERE municipality_code = $1 ORDER BY created_at, id";
    let rows: Vec<(String,)> = db_run!(db, p => sqlx::query_as(sql).bind(municipality).fetch_all(p).await)?;
    Ok(rows.into_iter().map(|(t,)| t.split(',').map(str::to_string).collect()).collect())
}

/// Adds a synonym group (already normalised and checked); `false` when the same group exists. Every process's
/// index picks it up through the change log.
pub async fn add_synonym_group(db: &Db, municipality: &str, terms: &[String]) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin().await?;
    let id = new_id();
    let sql = "INSERT INTO search_synonyms (id, municipality_code, terms, created_at) VALUES ($1, $2, $3, $4) \
               ON CONFLICT (municipality_code, terms) DO NOTHING";
    let added = tx_run!(&mut tx, c => sqlx::query(sql).bind(&id).bind(municipality).bind(terms.join(",")).bind(now_millis())
        .execute(c).await.map(|r| r.rows_affected() == 1))?;
    if added {
        change_log::append(&mut tx, municipality, "synonyms", &id, Op::Upsert).await?;
    }
    tx.commit().await?;
    Ok(added)
}
