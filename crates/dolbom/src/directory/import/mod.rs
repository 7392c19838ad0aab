//! Importers of the directory: each turns a source into whole services, reporting every bad row by its number.

pub mod bokjiro;
pub mod gov24;
pub mod ihue;
pub mod phones;
pub mod services_csv;

use serde::Serialize;

use super::model::NewService;
use super::store;
use crate::db::Db;

/// A row that could not become a service, by its line in the source (1 is the header).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RowError {
    pub line: u64,
    pub message: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    pub imported: usize,
    pub errors: Vec<RowError>,
}

/// Writes every parsed service (each whole, in its own transaction) and collects the rows that failed to parse.
pub async fn write(
    db: &Db,
    municipality: &str,
    rows: Vec<Result<NewService, RowError>>,
) -> Result<ImportReport, sqlx::Error> {
    write_with_progress(db, municipality, rows, &indicatif::ProgressBar::hidden()).await
}

/// [`write`], advancing `progress` row by row (the CLI shows it as a bar on a terminal).
pub async fn write_with_progress(
    db: &Db,
    municipality: &str,
    rows: Vec<Result<NewService, RowError>>,
    progress: &indicatif::ProgressBar,
) -> Result<ImportReport, sqlx::Error> {
    let mut report = ImportReport::default();
    progress.set_length(rows.len() as u64);
    for row in rows {
        progress.inc(1);
        match row {
            Ok(mut service) => {
                if service.rules.is_none() {
                    service.rules = with_rules(&service);
                }
                store::upsert_service(db, municipality, &service).await?;
                report.imported += 1;
            }
            Err(error) => report.errors.push(error),
        }
    }
    Ok(report)
}

const NOWON: &str = "11350";
const BOKJIRO_CENTRAL: &str = include_str!("../../../data/welfare/bokjiro-central.csv");
const BOKJIRO_TAGS: &str = include_str!("../../../data/welfare/bokjiro-central-tags.csv");
const NOWON_LOCAL: &str = include_str!("../../../data/welfare/nowon-local.csv");
const NOWON_DEMO: &str = include_str!("../../../data/welfare/nowon-demo-services.csv");
const IHUE_NOWON: &str = include_str!("../../../data/childcare/ihue-nowon.csv");

/// The real services the binary ships: 복지로's central layer everywhere, and for 노원구 its 정부24 entries, its
/// 아이휴센터 and the demo's private layer (no other district's local layer ships yet).
pub async fn load_shipped(db: &Db, municipality: &str) -> Result<ImportReport, sqlx::Error> {
    store::seed_taxonomies(db).await?;
    let mut rows = bokjiro::parse(BOKJIRO_CENTRAL, BOKJIRO_TAGS);
    if municipality == NOWON {
        rows.extend(gov24::parse(NOWON_LOCAL));
        rows.extend(services_csv::parse(NOWON_DEMO));
        rows.extend(ihue::parse(IHUE_NOWON, &crate::areas::Areas::embedded(municipality)));
    }
    write(db, municipality, rows).await
}

/// The service's eligibility rules as JSON: hand-written for well-known services, else from its tags.
pub fn with_rules(service: &NewService) -> Option<String> {
    let rules = super::rules::for_service(service.source_id.as_deref(), &service.terms)?;
    serde_json::to_string(&rules).ok()
}

/// The text of a CSV field, or `None` when it is empty.
fn some(text: &str) -> Option<String> {
    let t = text.trim();
    (!t.is_empty()).then(|| t.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn most_shipped_services_get_rules() {
        let mut rows = bokjiro::parse(BOKJIRO_CENTRAL, BOKJIRO_TAGS);
        rows.extend(gov24::parse(NOWON_LOCAL));
        let with = rows.iter().flatten().filter(|s| with_rules(s).is_some()).count();
        assert!(with >= 300, "{with} of {} services have rules", rows.len());
    }
}
