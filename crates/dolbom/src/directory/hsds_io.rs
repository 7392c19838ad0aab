//! `dolbom export hsds DIR` and `dolbom import hsds PATH`: HSDS 3.0 JSON files (`services.json`,
//! `organizations.json`, `taxonomies.json`, `taxonomy_terms.json`, each an array of objects or an HSDS page), or on
//! import a tabular data package (`datapackage.json` with CSV files, see [`super::hsds_tabular`]).
//! Every record is validated against the official schemas; valid ones are imported whole, invalid ones reported
//! with a JSON pointer (`services.json#/3/phones/0/number`) and the reason. Import → export → import gives the
//! same files.

use std::path::Path;

use serde::Serialize;
use serde_json::Value;

use super::hsds::{service_json, without_nulls};
use super::hsds_schema::{problems, validator};
use super::hsds_store::{self, OrganizationRow};
use super::hsds_tabular::{self, Origin, Record};
use super::import::with_rules;
use super::model::{Address, NewPhone, NewService, ServiceLocation};
use super::store;
use crate::areas::Areas;
use crate::db::Db;

#[derive(Debug, thiserror::Error)]
pub enum HsdsError {
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    Db(#[from] sqlx::Error),
    #[error("{file} is not JSON: {reason}")]
    NotJson { file: String, reason: String },
    #[error("schema: {0}")]
    Schema(String),
    #[error("no services.json in {0}")]
    NoServices(String),
}

#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub struct Invalid {
    /// `file#/index/path`
    pub pointer: String,
    pub reason: String,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct HsdsReport {
    pub services: usize,
    pub organizations: usize,
    pub invalid: Vec<Invalid>,
}

fn write_json(dir: &Path, name: &str, items: Vec<Value>) -> Result<(), HsdsError> {
    let text = serde_json::to_string_pretty(&Value::Array(items)).unwrap_or_default();
    std::fs::write(dir.join(name), text + "\n")?;
    Ok(())
}

/// Writes the municipality's directory as HSDS files; every service written is checked against the schema first.
pub async fn export(db: &Db, municipality: &str, dir: &Path) -> Result<HsdsReport, HsdsError> {
    std::fs::create_dir_all(dir)?;
    let service_validator = validator("service").map_err(HsdsError::Schema)?;
    let mut services = Vec::new();
    let mut report = HsdsReport::default();
    for id in store::all_service_ids(db, municipality).await? {
        let Some(detail) = store::service(db, municipality, &id).await? else { continue };
        let record = without_nulls(service_json(&detail, None));
        for (pointer, reason) in problems(&service_validator, &record) {
            report.invalid.push(Invalid { pointer: format!("services.json#/{}{pointer}", services.len()), reason });
        }
        services.push(record);
    }
    let (_, orgs) = hsds_store::organizations_page(db, municipality, "", i64::MAX, 0).await?;
    report.services = services.len();
    report.organizations = orgs.len();
    let to_values = |rows: Vec<Value>| rows.into_iter().map(without_nulls).collect::<Vec<_>>();
    write_json(dir, "services.json", services)?;
    write_json(
        dir,
        "organizations.json",
        to_values(orgs.iter().map(|o| serde_json::to_value(o).unwrap_or(Value::Null)).collect()),
    )?;
    let taxonomies = hsds_store::taxonomies(db).await?;
    write_json(
        dir,
        "taxonomies.json",
        to_values(taxonomies.iter().map(|t| serde_json::to_value(t).unwrap_or(Value::Null)).collect()),
    )?;
    let terms = hsds_store::terms(db, None, None, false).await?;
    write_json(
        dir,
        "taxonomy_terms.json",
        to_values(terms.iter().map(|t| serde_json::to_value(t).unwrap_or(Value::Null)).collect()),
    )?;
    Ok(report)
}

/// The records of a file: an array, an HSDS page (`contents`), or one object.
fn records(path: &Path) -> Result<Vec<Value>, HsdsError> {
    let text = std::fs::read_to_string(path)?;
    let file = path.file_name().map(|f| f.to_string_lossy().to_string()).unwrap_or_default();
    records_of(&file, &text)
}

/// The records in the text of file `file`.
pub fn records_of(file: &str, text: &str) -> Result<Vec<Value>, HsdsError> {
    let value: Value =
        serde_json::from_str(text).map_err(|e| HsdsError::NotJson { file: file.to_string(), reason: e.to_string() })?;
    Ok(match value {
        Value::Array(items) => items,
        Value::Object(ref map) if map.get("contents").is_some_and(Value::is_array) => {
            map["contents"].as_array().cloned().unwrap_or_default()
        }
        other => vec![other],
    })
}

fn text(record: &Value, field: &str) -> Option<String> {
    record.get(field).and_then(Value::as_str).map(str::to_string)
}

/// The places of an HSDS service (`service_at_locations[].location`, its first address), each placed in its 행정동.
fn locations_from(record: &Value, areas: &Areas) -> Vec<ServiceLocation> {
    let links = record.get("service_at_locations").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
    links
        .iter()
        .filter_map(|link| {
            let location = link.get("location")?;
            let coordinate = |field| location.get(field).and_then(Value::as_f64);
            let (latitude, longitude) = (coordinate("latitude"), coordinate("longitude"));
            let address =
                location.get("addresses").and_then(Value::as_array).and_then(|a| a.first()).map(|a| Address {
                    id: text(a, "id").unwrap_or_default(),
                    address_1: text(a, "address_1").unwrap_or_default(),
                    city: text(a, "city").unwrap_or_default(),
                    state_province: text(a, "state_province").unwrap_or_default(),
                    postal_code: text(a, "postal_code").unwrap_or_default(),
                    country: text(a, "country").unwrap_or_default(),
                });
            Some(ServiceLocation {
                id: text(link, "id")?,
                location_id: text(location, "id").or_else(|| text(link, "location_id"))?,
                location_type: text(location, "location_type").unwrap_or_else(|| "physical".into()),
                name: text(location, "name"),
                description: text(location, "description"),
                latitude,
                longitude,
                adm_cd2: latitude
                    .zip(longitude)
                    .and_then(|(lat, lon)| areas.locate(lat, lon))
                    .map(|a| a.adm_cd2.clone()),
                address,
            })
        })
        .collect()
}

fn service_from(record: &Value, areas: &Areas) -> NewService {
    let phones = record
        .get("phones")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(|p| Some(NewPhone { number: text(p, "number")?, description: text(p, "description") }))
                .collect()
        })
        .unwrap_or_default();
    let attributes: Vec<&Value> =
        record.get("attributes").and_then(Value::as_array).map(|l| l.iter().collect()).unwrap_or_default();
    let terms =
        attributes.iter().filter(|a| text(a, "value").is_none()).filter_map(|a| text(a, "taxonomy_term_id")).collect();
    let attribute_values =
        attributes.iter().filter_map(|a| Some((text(a, "taxonomy_term_id")?, text(a, "value")?))).collect();
    let age = |field| record.get(field).and_then(Value::as_f64).map(|a| a as i32);
    let mut service = NewService {
        organization: String::new(),
        name: text(record, "name").unwrap_or_default(),
        description: text(record, "description").unwrap_or_default(),
        url: text(record, "url"),
        status: text(record, "status").unwrap_or_else(|| "active".into()),
        application_process: text(record, "application_process"),
        eligibility_description: text(record, "eligibility_description"),
        minimum_age: age("minimum_age"),
        maximum_age: age("maximum_age"),
        terms,
        attribute_values,
        phones,
        locations: Some(locations_from(record, areas)),
        ..NewService::default()
    };
    service.rules = with_rules(&service);
    service
}

/// The organizations and services to import: a tabular data package (`datapackage.json` with CSV files), or JSON
/// files (a folder with `services.json` and maybe `organizations.json`, or one services file).
fn sources(path: &Path) -> Result<(Vec<Record>, Vec<Record>), HsdsError> {
    if path.is_dir() && !path.join("services.json").exists() && hsds_tabular::is_package(path) {
        return hsds_tabular::load(path);
    }
    let (dir, services_file) = if path.is_dir() {
        (path.to_path_buf(), path.join("services.json"))
    } else {
        (path.parent().map(Path::to_path_buf).unwrap_or_default(), path.to_path_buf())
    };
    if !services_file.exists() {
        return Err(HsdsError::NoServices(path.display().to_string()));
    }
    let json_records = |file: &Path| -> Result<Vec<Record>, HsdsError> {
        let name = file.file_name().map(|f| f.to_string_lossy().to_string()).unwrap_or_default();
        Ok(records(file)?
            .into_iter()
            .enumerate()
            .map(|(index, value)| Record { value, origin: Origin::Json { file: name.clone(), index } })
            .collect())
    };
    let orgs_file = dir.join("organizations.json");
    let orgs = if orgs_file.exists() { json_records(&orgs_file)? } else { Vec::new() };
    Ok((orgs, json_records(&services_file)?))
}

/// What the importer makes of a services file before it meets the database: each record checked against the HSDS
/// schema, then read as a service, or the problems found with their pointers. Any text at all gets an answer.
pub fn read_services(
    file: &str,
    text: &str,
    validator: &jsonschema::Validator,
    areas: &Areas,
) -> Result<Vec<Result<NewService, Vec<Invalid>>>, HsdsError> {
    let checked = records_of(file, text)?.into_iter().enumerate().map(|(index, record)| {
        let origin = Origin::Json { file: file.to_string(), index };
        let found = service_problems(validator, &record, &origin, None);
        if found.is_empty() { Ok(service_from(&record, areas)) } else { Err(found) }
    });
    Ok(checked.collect())
}

/// Everything wrong with a service record: the schema's findings and, given the taxonomy terms the database knows,
/// attributes naming any other term.
fn service_problems(
    validator: &jsonschema::Validator,
    record: &Value,
    origin: &Origin,
    known_terms: Option<&[String]>,
) -> Vec<Invalid> {
    let mut found: Vec<Invalid> = invalid(origin, problems(validator, record)).collect();
    let attributes = record.get("attributes").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
    for (j, a) in attributes.iter().enumerate() {
        if let Some(term) = text(a, "taxonomy_term_id").filter(|t| known_terms.is_some_and(|k| !k.contains(t))) {
            found.push(Invalid {
                pointer: origin.locate(&format!("/attributes/{j}/taxonomy_term_id")),
                reason: format!("unknown taxonomy term {term}"),
            });
        }
    }
    found
}

fn invalid(origin: &Origin, found: Vec<(String, String)>) -> impl Iterator<Item = Invalid> + '_ {
    found.into_iter().map(|(p, reason)| Invalid { pointer: origin.locate(&p), reason })
}

/// Imports HSDS data (see [`sources`]): organizations first, then services; each valid record whole, each invalid
/// one reported where it sits in the files.
pub async fn import(db: &Db, municipality: &str, path: &Path) -> Result<HsdsReport, HsdsError> {
    import_with_progress(db, municipality, path, &indicatif::ProgressBar::hidden()).await
}

/// [`import`], advancing `progress` record by record (the CLI shows it as a bar on a terminal).
pub async fn import_with_progress(
    db: &Db,
    municipality: &str,
    path: &Path,
    progress: &indicatif::ProgressBar,
) -> Result<HsdsReport, HsdsError> {
    store::seed_taxonomies(db).await?;
    let (orgs, services) = sources(path)?;
    progress.set_length((orgs.len() + services.len()) as u64);
    let mut report = HsdsReport::default();
    let known_terms: Vec<String> = hsds_store::terms(db, None, None, false).await?.into_iter().map(|t| t.id).collect();

    let org_validator = validator("organization").map_err(HsdsError::Schema)?;
    for Record { value, origin } in orgs {
        progress.inc(1);
        let found = problems(&org_validator, &value);
        if !found.is_empty() {
            report.invalid.extend(invalid(&origin, found));
            continue;
        }
        match serde_json::from_value::<OrganizationRow>(value) {
            Ok(org) => match store::upsert_organization_with_id(db, municipality, &org).await {
                Ok(()) => report.organizations += 1,
                Err(e) if crate::db::is_unique_violation(&e) => report.invalid.push(Invalid {
                    pointer: origin.locate("/name"),
                    reason: "another organization already has this name".into(),
                }),
                Err(sqlx::Error::Database(e)) if e.is_foreign_key_violation() => report.invalid.push(Invalid {
                    pointer: origin.locate("/parent_organization_id"),
                    reason: "no such parent organization (list it before its children)".into(),
                }),
                Err(e) => return Err(e.into()),
            },
            Err(e) => report.invalid.push(Invalid { pointer: origin.locate(""), reason: e.to_string() }),
        }
    }

    let service_validator = validator("service").map_err(HsdsError::Schema)?;
    let areas = Areas::embedded(municipality);
    for Record { value: record, origin } in services {
        progress.inc(1);
        let found = service_problems(&service_validator, &record, &origin, Some(&known_terms));
        if !found.is_empty() {
            report.invalid.extend(found);
            continue;
        }
        let id = text(&record, "id").unwrap_or_default();
        let org_id = text(&record, "organization_id");
        match store::upsert_service_with_id(
            db,
            municipality,
            &id,
            store::OrgRef::Id(org_id.as_deref()),
            &service_from(&record, &areas),
        )
        .await
        {
            Ok(()) => report.services += 1,
            Err(sqlx::Error::Database(e)) if e.is_foreign_key_violation() => report.invalid.push(Invalid {
                pointer: origin.locate("/organization_id"),
                reason: "no such organization (import organizations.json with it)".into(),
            }),
            Err(e) => return Err(e.into()),
        }
    }
    Ok(report)
}
