//! SQL for the HSDS read API: pages of services, organizations, taxonomies and terms.

use super::store::service;
use crate::db::Db;
use crate::db_run;
use crate::directory::model::ServiceDetail;

#[derive(Clone, Debug, Default)]
pub struct ServiceFilter {
    pub taxonomy_term_id: Option<String>,
    pub taxonomy_id: Option<String>,
    pub organization_id: Option<String>,
    pub modified_after: Option<i64>,
}

/// A page of the municipality's services (with details), and how many there are in all.
pub async fn services_page(
    db: &Db,
    municipality: &str,
    filter: &ServiceFilter,
    ids: Option<&[String]>,
    limit: i64,
    offset: i64,
) -> Result<(i64, Vec<ServiceDetail>), sqlx::Error> {
    let conditions = "s.municipality_code = $1 \
        AND ($2 IS NULL OR EXISTS (SELECT 1 FROM attributes a WHERE a.link_entity = 'service' AND a.link_id = s.id \
             AND a.taxonomy_term_id = $2)) \
        AND ($3 IS NULL OR EXISTS (SELECT 1 FROM attributes a JOIN taxonomy_terms t ON t.id = a.taxonomy_term_id \
             WHERE a.link_entity = 'service' AND a.link_id = s.id AND t.taxonomy_id = $3)) \
        AND ($4 IS NULL OR s.organization_id = $4) AND ($5 IS NULL OR s.last_modified >= $5)";
    let ids_list: Vec<String> = ids.map(|i| i.to_vec()).unwrap_or_default();
    let (total, page): (i64, Vec<(String,)>) = if ids.is_some() {
        // Search results: the filters apply to the ids the index found, in its order.
        let mut kept = Vec::new();
        for id in &ids_list {
            let sql = format!("SELECT s.id FROM services s WHERE {conditions} AND s.id = $6");
            let row: Option<(String,)> = db_run!(db, p => sqlx::query_as(&sql)
                .bind(municipality).bind(&filter.taxonomy_term_id).bind(&filter.taxonomy_id)
                .bind(&filter.organization_id).bind(filter.modified_after).bind(id)
                .fetch_optional(p).await)?;
            kept.extend(row);
        }
        let total = kept.len() as i64;
        (total, kept.into_iter().skip(offset as usize).take(limit as usize).collect())
    } else {
        let count_sql = format!("SELECT COUNT(*) FROM services s WHERE {conditions}");
        let (total,): (i64,) = db_run!(db, p => sqlx::query_as(&count_sql)
            .bind(municipality).bind(&filter.taxonomy_term_id).bind(&filter.taxonomy_id)
            .bind(&filter.organization_id).bind(filter.modified_after)
            .fetch_one(p).await)?;
        let page_sql =
            format!("SELECT s.id FROM services s WHERE {conditions} ORDER BY s.name, s.id LIMIT $6 OFFSET $7");
        let rows: Vec<(String,)> = db_run!(db, p => sqlx::query_as(&page_sql)
            .bind(municipality).bind(&filter.taxonomy_term_id).bind(&filter.taxonomy_id)
            .bind(&filter.organization_id).bind(filter.modified_after).bind(limit).bind(offset)
            .fetch_all(p).await)?;
        (total, rows)
    };
    let mut details = Vec::with_capacity(page.len());
    for (id,) in page {
        details.extend(service(db, municipality, &id).await?);
    }
    Ok((total, details))
}

#[derive(Clone, Debug, sqlx::FromRow, serde::Serialize, serde::Deserialize)]
pub struct OrganizationRow {
    pub id: String,
    pub name: String,
    pub alternate_name: Option<String>,
    pub description: String,
    pub email: Option<String>,
    pub website: Option<String>,
    pub tax_status: Option<String>,
    pub tax_id: Option<String>,
    pub legal_status: Option<String>,
    pub uri: Option<String>,
    pub parent_organization_id: Option<String>,
}

const ORG_COLUMNS: &str = "id, name, alternate_name, description, email, website, tax_status, tax_id, legal_status, \
                           uri, parent_organization_id";

pub async fn organizations_page(
    db: &Db,
    municipality: &str,
    search: &str,
    limit: i64,
    offset: i64,
) -> Result<(i64, Vec<OrganizationRow>), sqlx::Error> {
    let like = crate::db::like_contains(search);
    let condition = "municipality_code = $1 AND lower(name) LIKE $2 ESCAPE '\\'";
    let count_sql = format!("SELECT COUNT(*) FROM directory_organizations WHERE {condition}");
    let (total,): (i64,) =
        db_run!(db, p => sqlx::query_as(&count_sql).bind(municipality).bind(&like).fetch_one(p).await)?;
    let sql = format!(
        "SELECT {ORG_COLUMNS} FROM directory_organizations WHERE {condition} ORDER BY name, id LIMIT $3 OFFSET $4"
    );
    let rows = db_run!(db, p => sqlx::query_as(&sql).bind(municipality).bind(&like).bind(limit).bind(offset).fetch_all(p).await)?;
    Ok((total, rows))
}

pub async fn organization(db: &Db, municipality: &str, id: &str) -> Result<Option<OrganizationRow>, sqlx::Error> {
    let sql = format!("SELECT {ORG_COLUMNS} FROM directory_organizations WHERE municipality_code = $1 AND id = $2");
    db_run!(db, p => sqlx::query_as(&sql).bind(municipality).bind(id).fetch_optional(p).await)
}

#[derive(Clone, Debug, sqlx::FromRow, serde::Serialize)]
pub struct TaxonomyRow {
    pub id: String,
    pub name: String,
    pub description: String,
    pub uri: Option<String>,
    pub version: Option<String>,
}

pub async fn taxonomies(db: &Db) -> Result<Vec<TaxonomyRow>, sqlx::Error> {
    let sql = "SELECT id, name, description, uri, version FROM taxonomies ORDER BY id";
    db_run!(db, p => sqlx::query_as(sql).fetch_all(p).await)
}

#[derive(Clone, Debug, sqlx::FromRow, serde::Serialize)]
pub struct TermRow {
    pub id: String,
    pub code: String,
    pub name: String,
    pub description: String,
    pub parent_id: Option<String>,
    pub taxonomy_id: String,
    pub language: Option<String>,
}

pub async fn terms(
    db: &Db,
    taxonomy_id: Option<&str>,
    parent_id: Option<&str>,
    top_only: bool,
) -> Result<Vec<TermRow>, sqlx::Error> {
    let sql = "SELECT id, code, name, description, parent_id, taxonomy_id, language FROM taxonomy_terms \
               WHERE ($1 IS NULL OR taxonomy_id = $1) AND ($2 IS NULL OR parent_id = $2) \
               AND (NOT $3 OR parent_id IS NULL) ORDER BY taxonomy_id, code";
    db_run!(db, p => sqlx::query_as(sql).bind(taxonomy_id).bind(parent_id).bind(top_only).fetch_all(p).await)
}
