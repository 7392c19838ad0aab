//! SQL of where services are delivered: HSDS `service_at_location`, `location` and `address`. A location keeps
//! the 행정동 its coordinates fall in, so search facets and per-동 manuals need no geometry at read time.

use std::collections::HashMap;

use super::model::{Address, ServiceLocation};
use crate::db::{Db, Tx};
use crate::{db_run, tx_run};

/// Replaces the places a service is delivered at (inside the service's own transaction). Locations are kept by
/// id, so one place shared by several services is written once and updated in place.
pub async fn replace_locations(
    tx: &mut Tx,
    municipality: &str,
    service_id: &str,
    locations: &[ServiceLocation],
) -> Result<(), sqlx::Error> {
    let clear = "DELETE FROM service_at_locations WHERE service_id = $1";
    tx_run!(tx, c => sqlx::query(clear).bind(service_id).execute(c).await.map(|_| ()))?;
    for l in locations {
        let location = "INSERT INTO locations (id, municipality_code, location_type, name, description, latitude, \
                        longitude, adm_cd2) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
                        ON CONFLICT (id) DO UPDATE SET location_type = excluded.location_type, name = excluded.name, description = excluded.description, \
                        latitude = excluded.latitude, longitude = excluded.longitude, adm_cd2 = excluded.adm_cd2";
        tx_run!(tx, c => sqlx::query(location)
            .bind(&l.location_id).bind(municipality).bind(&l.location_type).bind(&l.name).bind(&l.description)
            .bind(l.latitude).bind(l.longitude).bind(&l.adm_cd2)
            .execute(c).await.map(|_| ()))?;
        let clear_address = "DELETE FROM addresses WHERE location_id = $1";
        tx_run!(tx, c => sqlx::query(clear_address).bind(&l.location_id).execute(c).await.map(|_| ()))?;
        if let Some(a) = &l.address {
            let address = "INSERT INTO addresses (id, location_id, address_1, city, state_province, postal_code, \
                           country, address_type) VALUES ($1, $2, $3, $4, $5, $6, $7, 'physical')";
            tx_run!(tx, c => sqlx::query(address)
                .bind(&a.id).bind(&l.location_id).bind(&a.address_1).bind(&a.city).bind(&a.state_province)
                .bind(&a.postal_code).bind(&a.country)
                .execute(c).await.map(|_| ()))?;
        }
        let link = "INSERT INTO service_at_locations (id, service_id, location_id) VALUES ($1, $2, $3)";
        tx_run!(tx, c => sqlx::query(link).bind(&l.id).bind(service_id).bind(&l.location_id)
            .execute(c).await.map(|_| ()))?;
    }
    Ok(())
}

type LocationRow = (
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<f64>,
    Option<f64>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

const LOCATION_SQL: &str = "SELECT sal.service_id, sal.id, l.id, l.location_type, l.name, l.description, l.latitude, l.longitude, \
    l.adm_cd2, a.id, a.address_1, a.city, a.state_province, a.postal_code, a.country \
    FROM service_at_locations sal JOIN locations l ON l.id = sal.location_id \
    LEFT JOIN addresses a ON a.location_id = l.id";

fn from_row(row: LocationRow) -> (String, ServiceLocation) {
    let (
        service_id,
        id,
        location_id,
        location_type,
        name,
        description,
        latitude,
        longitude,
        adm_cd2,
        a_id,
        a1,
        city,
        state,
        post,
        c,
    ) = row;
    let address = match (a_id, a1) {
        (Some(id), Some(address_1)) => Some(Address {
            id,
            address_1,
            city: city.unwrap_or_default(),
            state_province: state.unwrap_or_default(),
            postal_code: post.unwrap_or_default(),
            country: c.unwrap_or_default(),
        }),
        _ => None,
    };
    let location =
        ServiceLocation { id, location_id, location_type, name, description, latitude, longitude, adm_cd2, address };
    (service_id, location)
}

/// The places of one service, by name.
pub async fn locations_of(db: &Db, service_id: &str) -> Result<Vec<ServiceLocation>, sqlx::Error> {
    let sql = format!("{LOCATION_SQL} WHERE sal.service_id = $1 ORDER BY l.name, sal.id");
    let rows: Vec<LocationRow> = db_run!(db, p => sqlx::query_as(&sql).bind(service_id).fetch_all(p).await)?;
    Ok(rows.into_iter().map(|r| from_row(r).1).collect())
}

/// Every place of the municipality's services, by service (the printed manual).
pub async fn all_by_service(db: &Db, municipality: &str) -> Result<HashMap<String, Vec<ServiceLocation>>, sqlx::Error> {
    let sql = format!(
        "{LOCATION_SQL} JOIN services s ON s.id = sal.service_id WHERE s.municipality_code = $1 ORDER BY l.name"
    );
    let rows: Vec<LocationRow> = db_run!(db, p => sqlx::query_as(&sql).bind(municipality).fetch_all(p).await)?;
    let mut by_service: HashMap<String, Vec<ServiceLocation>> = HashMap::new();
    for (service, location) in rows.into_iter().map(from_row) {
        by_service.entry(service).or_default().push(location);
    }
    Ok(by_service)
}

/// A page of service-at-location links of the municipality's services: `(total, [(service id, place)])`.
pub async fn service_at_locations_page(
    db: &Db,
    municipality: &str,
    limit: i64,
    offset: i64,
) -> Result<(i64, Vec<(String, ServiceLocation)>), sqlx::Error> {
    let count = "SELECT COUNT(*) FROM service_at_locations sal JOIN services s ON s.id = sal.service_id \
                 WHERE s.municipality_code = $1";
    let (total,): (i64,) = db_run!(db, p => sqlx::query_as(count).bind(municipality).fetch_one(p).await)?;
    let sql = format!(
        "{LOCATION_SQL} JOIN services s ON s.id = sal.service_id WHERE s.municipality_code = $1 \
         ORDER BY sal.id LIMIT $2 OFFSET $3"
    );
    let rows: Vec<LocationRow> =
        db_run!(db, p => sqlx::query_as(&sql).bind(municipality).bind(limit).bind(offset).fetch_all(p).await)?;
    Ok((total, rows.into_iter().map(from_row).collect()))
}

/// One service-at-location link by its id.
pub async fn service_at_location(
    db: &Db,
    municipality: &str,
    id: &str,
) -> Result<Option<(String, ServiceLocation)>, sqlx::Error> {
    let sql = format!(
        "{LOCATION_SQL} JOIN services s ON s.id = sal.service_id WHERE s.municipality_code = $1 AND sal.id = $2"
    );
    let row: Option<LocationRow> =
        db_run!(db, p => sqlx::query_as(&sql).bind(municipality).bind(id).fetch_optional(p).await)?;
    Ok(row.map(from_row))
}

/// `service id → 행정동 codes` it is delivered in, for services with ids in `first..=last`.
pub async fn dongs_between(
    db: &Db,
    municipality: &str,
    first: &str,
    last: &str,
) -> Result<HashMap<String, Vec<String>>, sqlx::Error> {
    let sql = "SELECT DISTINCT sal.service_id, l.adm_cd2 FROM service_at_locations sal \
               JOIN locations l ON l.id = sal.location_id JOIN services s ON s.id = sal.service_id \
               WHERE s.municipality_code = $1 AND sal.service_id >= $2 AND sal.service_id <= $3 \
               AND l.adm_cd2 IS NOT NULL";
    let rows: Vec<(String, String)> =
        db_run!(db, p => sqlx::query_as(sql).bind(municipality).bind(first).bind(last).fetch_all(p).await)?;
    let mut by_service: HashMap<String, Vec<String>> = HashMap::new();
    for (service, dong) in rows {
        by_service.entry(service).or_default().push(dong);
    }
    Ok(by_service)
}
