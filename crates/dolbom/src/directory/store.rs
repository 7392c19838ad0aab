//! SQL of the directory. A service is written whole in one transaction (row, terms, phones, change log) or not
//! at all.

use super::model::{NewService, Phone, ServiceDetail, Term};
use super::taxonomy::{TAXONOMIES, term_id};
use crate::db::change_log::{self, Op};
use crate::db::time::now_millis;
use crate::db::{Db, Tx, new_id};
use crate::{db_run, tx_run};

/// Writes the Korean taxonomies and their terms; running it again changes nothing.
pub async fn seed_taxonomies(db: &Db) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    for t in TAXONOMIES {
        let sql = "INSERT INTO taxonomies (id, name, description, version) VALUES ($1, $2, $3, '1') \
                   ON CONFLICT (id) DO NOTHING";
        tx_run!(&mut tx, c => sqlx::query(sql).bind(t.id).bind(t.name).bind(t.description).execute(c).await.map(|_| ()))?;
        for (code, name) in t.terms {
            let sql = "INSERT INTO taxonomy_terms (id, taxonomy_id, code, name, description, language) \
                       VALUES ($1, $2, $3, $4, $4, 'ko') ON CONFLICT (id) DO NOTHING";
            tx_run!(&mut tx, c => sqlx::query(sql)
                .bind(term_id(t.id, code)).bind(t.id).bind(*code).bind(*name)
                .execute(c).await.map(|_| ()))?;
        }
    }
    tx.commit().await
}

async fn upsert_organization(
    tx: &mut Tx,
    municipality: &str,
    name: &str,
    description: &str,
) -> Result<String, sqlx::Error> {
    let sql = "INSERT INTO directory_organizations (id, municipality_code, name, description, updated_at) \
               VALUES ($1, $2, $3, $4, $5) \
               ON CONFLICT (municipality_code, name) DO UPDATE SET updated_at = excluded.updated_at \
               RETURNING id";
    let (id,): (String,) = tx_run!(tx, c => sqlx::query_as(sql)
        .bind(new_id()).bind(municipality).bind(name).bind(description).bind(now_millis())
        .fetch_one(c).await)?;
    Ok(id)
}

/// Creates or updates (by source id) a service with its organization, terms and phones, in one transaction.
pub async fn upsert_service(db: &Db, municipality: &str, service: &NewService) -> Result<String, sqlx::Error> {
    let mut tx = db.begin().await?;
    let org_id =
        upsert_organization(&mut tx, municipality, &service.organization, &service.organization_description).await?;
    let sql = "INSERT INTO services (id, municipality_code, organization_id, source_id, name, description, url, status, \
               application_process, eligibility_description, minimum_age, maximum_age, rules, last_modified) \
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) \
               ON CONFLICT (municipality_code, source_id) DO UPDATE SET organization_id = excluded.organization_id, \
               name = excluded.name, description = excluded.description, url = excluded.url, status = excluded.status, \
               application_process = excluded.application_process, \
               eligibility_description = excluded.eligibility_description, minimum_age = excluded.minimum_age, \
               maximum_age = excluded.maximum_age, rules = excluded.rules, last_modified = excluded.last_modified \
               RETURNING id";
    let (id,): (String,) = tx_run!(&mut tx, c => sqlx::query_as(sql)
        .bind(new_id())
        .bind(municipality)
        .bind(&org_id)
        .bind(&service.source_id)
        .bind(&service.name)
        .bind(&service.description)
        .bind(&service.url)
        .bind(&service.status)
        .bind(&service.application_process)
        .bind(&service.eligibility_description)
        .bind(service.minimum_age)
        .bind(service.maximum_age)
        .bind(&service.rules)
        .bind(now_millis())
        .fetch_one(c)
        .await)?;
    replace_details(&mut tx, municipality, &id, service).await?;
    change_log::append(&mut tx, municipality, "service", &id, Op::Upsert).await?;
    tx.commit().await?;
    Ok(id)
}

/// How a service written by id names its organization.
pub enum OrgRef<'a> {
    /// By id, which must exist already (HSDS imports bring their organizations first).
    Id(Option<&'a str>),
    /// By the service's `organization` name, created if missing (staff edits).
    Named,
}

/// Creates or updates a service under its id (HSDS imports, where ids merge across instances; staff edits of a
/// service they opened), with its organization, terms and phones, in one transaction.
pub async fn upsert_service_with_id(
    db: &Db,
    municipality: &str,
    id: &str,
    organization: OrgRef<'_>,
    service: &NewService,
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    let org_id = match organization {
        OrgRef::Id(id) => id.map(str::to_string),
        OrgRef::Named => Some(
            upsert_organization(&mut tx, municipality, &service.organization, &service.organization_description)
                .await?,
        ),
    };
    let sql = "INSERT INTO services (id, municipality_code, organization_id, name, description, url, status, \
               application_process, eligibility_description, minimum_age, maximum_age, rules, last_modified) \
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) \
               ON CONFLICT (id) DO UPDATE SET organization_id = excluded.organization_id, name = excluded.name, \
               description = excluded.description, url = excluded.url, status = excluded.status, \
               application_process = excluded.application_process, \
               eligibility_description = excluded.eligibility_description, minimum_age = excluded.minimum_age, \
               maximum_age = excluded.maximum_age, rules = excluded.rules, last_modified = excluded.last_modified";
    tx_run!(&mut tx, c => sqlx::query(sql)
        .bind(id)
        .bind(municipality)
        .bind(&org_id)
        .bind(&service.name)
        .bind(&service.description)
        .bind(&service.url)
        .bind(&service.status)
        .bind(&service.application_process)
        .bind(&service.eligibility_description)
        .bind(service.minimum_age)
        .bind(service.maximum_age)
        .bind(&service.rules)
        .bind(now_millis())
        .execute(c)
        .await
        .map(|_| ()))?;
    replace_details(&mut tx, municipality, id, service).await?;
    change_log::append(&mut tx, municipality, "service", id, Op::Upsert).await?;
    tx.commit().await
}

/// Creates or updates an organization under its own id (HSDS imports).
pub async fn upsert_organization_with_id(
    db: &Db,
    municipality: &str,
    org: &super::hsds_store::OrganizationRow,
) -> Result<(), sqlx::Error> {
    let sql = "INSERT INTO directory_organizations (id, municipality_code, name, alternate_name, description, email, \
               website, tax_status, tax_id, legal_status, uri, parent_organization_id, updated_at) \
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) \
               ON CONFLICT (id) DO UPDATE SET name = excluded.name, alternate_name = excluded.alternate_name, \
               description = excluded.description, email = excluded.email, website = excluded.website, \
               tax_status = excluded.tax_status, tax_id = excluded.tax_id, legal_status = excluded.legal_status, \
               uri = excluded.uri, parent_organization_id = excluded.parent_organization_id, updated_at = excluded.updated_at";
    db_run!(db, p => sqlx::query(sql)
        .bind(&org.id).bind(municipality).bind(&org.name).bind(&org.alternate_name).bind(&org.description)
        .bind(&org.email).bind(&org.website).bind(&org.tax_status).bind(&org.tax_id).bind(&org.legal_status)
        .bind(&org.uri).bind(&org.parent_organization_id).bind(now_millis())
        .execute(p).await.map(|_| ()))
}

/// Every service id of the municipality, whatever its status (exports).
pub async fn all_service_ids(db: &Db, municipality: &str) -> Result<Vec<String>, sqlx::Error> {
    let sql = "SELECT id FROM services WHERE municipality_code = $1 ORDER BY id";
    let rows: Vec<(String,)> = db_run!(db, p => sqlx::query_as(sql).bind(municipality).fetch_all(p).await)?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// Services for the staff list: the newest first, or those whose name contains `query`.
pub async fn staff_list(
    db: &Db,
    municipality: &str,
    query: &str,
    limit: i64,
) -> Result<Vec<(String, String, String, String)>, sqlx::Error> {
    let sql = "SELECT s.id, s.name, s.status, COALESCE(o.name, '') FROM services s \
               LEFT JOIN directory_organizations o ON o.id = s.organization_id \
               WHERE s.municipality_code = $1 AND lower(s.name) LIKE $2 ESCAPE '\\' \
               ORDER BY s.last_modified DESC, s.name LIMIT $3";
    db_run!(db, p => sqlx::query_as(sql).bind(municipality).bind(crate::db::like_contains(query)).bind(limit).fetch_all(p).await)
}

async fn replace_details(
    tx: &mut Tx,
    municipality: &str,
    service_id: &str,
    service: &NewService,
) -> Result<(), sqlx::Error> {
    if let Some(locations) = &service.locations {
        super::location_store::replace_locations(tx, municipality, service_id, locations).await?;
    }
    let clear_terms = "DELETE FROM attributes WHERE link_entity = 'service' AND link_id = $1";
    tx_run!(tx, c => sqlx::query(clear_terms).bind(service_id).execute(c).await.map(|_| ()))?;
    let clear_phones = "DELETE FROM phones WHERE service_id = $1";
    tx_run!(tx, c => sqlx::query(clear_phones).bind(service_id).execute(c).await.map(|_| ()))?;
    let plain = service.terms.iter().map(|t| (t, None));
    let valued = service.attribute_values.iter().map(|(t, v)| (t, Some(v)));
    for (term, value) in plain.chain(valued) {
        let sql = "INSERT INTO attributes (id, link_id, link_type, link_entity, taxonomy_term_id, value) \
                   VALUES ($1, $2, 'service', 'service', $3, $4) \
                   ON CONFLICT (link_entity, link_id, taxonomy_term_id) DO NOTHING";
        tx_run!(tx, c => sqlx::query(sql).bind(new_id()).bind(service_id).bind(term).bind(value)
            .execute(c).await.map(|_| ()))?;
    }
    for phone in &service.phones {
        let sql = "INSERT INTO phones (id, service_id, number, description) VALUES ($1, $2, $3, $4)";
        tx_run!(tx, c => sqlx::query(sql)
            .bind(new_id()).bind(service_id).bind(&phone.number).bind(&phone.description)
            .execute(c).await.map(|_| ()))?;
    }
    Ok(())
}

#[derive(sqlx::FromRow)]
struct ServiceRow {
    id: String,
    source_id: Option<String>,
    name: String,
    description: String,
    url: Option<String>,
    status: String,
    application_process: Option<String>,
    eligibility_description: Option<String>,
    minimum_age: Option<i32>,
    maximum_age: Option<i32>,
    rules: Option<String>,
    organization_id: Option<String>,
    organization_name: Option<String>,
}

pub async fn service(db: &Db, municipality: &str, id: &str) -> Result<Option<ServiceDetail>, sqlx::Error> {
    let sql = "SELECT s.id, s.source_id, s.name, s.description, s.url, s.status, s.application_process, \
               s.eligibility_description, s.minimum_age, s.maximum_age, s.rules, s.organization_id, \
               o.name AS organization_name FROM services s LEFT JOIN directory_organizations o ON o.id = s.organization_id \
               WHERE s.id = $1 AND s.municipality_code = $2";
    let row: Option<ServiceRow> =
        db_run!(db, p => sqlx::query_as(sql).bind(id).bind(municipality).fetch_optional(p).await)?;
    let Some(row) = row else { return Ok(None) };
    let terms_sql = "SELECT t.id, t.taxonomy_id, t.code, t.name, a.value FROM attributes a \
                     JOIN taxonomy_terms t ON t.id = a.taxonomy_term_id \
                     WHERE a.link_entity = 'service' AND a.link_id = $1 ORDER BY t.taxonomy_id, t.code, a.value";
    let terms: Vec<(String, String, String, String, Option<String>)> =
        db_run!(db, p => sqlx::query_as(terms_sql).bind(id).fetch_all(p).await)?;
    // Every column in the order: a tie would let PostgreSQL return rows as they lie, and an export must not change.
    let phones_sql = "SELECT number, description FROM phones WHERE service_id = $1 ORDER BY number, description";
    let phones: Vec<(String, Option<String>)> =
        db_run!(db, p => sqlx::query_as(phones_sql).bind(id).fetch_all(p).await)?;
    Ok(Some(ServiceDetail {
        id: row.id,
        source_id: row.source_id,
        name: row.name,
        description: row.description,
        url: row.url,
        status: row.status,
        application_process: row.application_process,
        eligibility_description: row.eligibility_description,
        minimum_age: row.minimum_age,
        maximum_age: row.maximum_age,
        rules: row.rules,
        organization_id: row.organization_id,
        organization_name: row.organization_name,
        terms: terms
            .into_iter()
            .map(|(id, taxonomy_id, code, name, value)| Term { id, taxonomy_id, code, name, value })
            .collect(),
        phones: phones.into_iter().map(|(number, description)| Phone { number, description }).collect(),
        locations: super::location_store::locations_of(db, id).await?,
    }))
}

pub async fn id_by_source(db: &Db, municipality: &str, source_id: &str) -> Result<Option<String>, sqlx::Error> {
    let sql = "SELECT id FROM services WHERE municipality_code = $1 AND source_id = $2";
    let row: Option<(String,)> =
        db_run!(db, p => sqlx::query_as(sql).bind(municipality).bind(source_id).fetch_optional(p).await)?;
    Ok(row.map(|(id,)| id))
}

pub async fn count_services(db: &Db, municipality: &str) -> Result<i64, sqlx::Error> {
    let sql = "SELECT COUNT(*) FROM services WHERE municipality_code = $1";
    let (n,): (i64,) = db_run!(db, p => sqlx::query_as(sql).bind(municipality).fetch_one(p).await)?;
    Ok(n)
}

/// How many services carry each term: the facet counts of the whole directory.
pub async fn term_counts(db: &Db, municipality: &str) -> Result<Vec<(String, i64)>, sqlx::Error> {
    let sql = "SELECT a.taxonomy_term_id, COUNT(*) FROM attributes a JOIN services s ON s.id = a.link_id \
               WHERE a.link_entity = 'service' AND s.municipality_code = $1 GROUP BY a.taxonomy_term_id \
               ORDER BY a.taxonomy_term_id";
    db_run!(db, p => sqlx::query_as(sql).bind(municipality).fetch_all(p).await)
}

/// A service with rules, as the eligibility check needs it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct RuledService {
    pub id: String,
    pub name: String,
    pub description: String,
    pub organization_name: Option<String>,
    pub rules: String,
}

pub async fn services_with_rules(db: &Db, municipality: &str) -> Result<Vec<RuledService>, sqlx::Error> {
    let sql = "SELECT s.id, s.name, s.description, o.name AS organization_name, s.rules FROM services s \
               LEFT JOIN directory_organizations o ON o.id = s.organization_id \
               WHERE s.municipality_code = $1 AND s.status = 'active' AND s.rules IS NOT NULL ORDER BY s.name";
    db_run!(db, p => sqlx::query_as(sql).bind(municipality).fetch_all(p).await)
}
