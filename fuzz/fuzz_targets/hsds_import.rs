//! The HSDS 3.0 importer on any text given as a services.json: read as JSON, each record checked against the
//! official schema and read as a service, or refused with the problems found; never a panic.
#![no_main]

use std::sync::LazyLock;

use dolbom::areas::Areas;
use dolbom::directory::{hsds_io, hsds_schema};
use libfuzzer_sys::fuzz_target;

static AREAS: LazyLock<Areas> = LazyLock::new(|| Areas::embedded("11350"));
static SERVICE: LazyLock<jsonschema::Validator> =
    LazyLock::new(|| hsds_schema::validator("service").expect("the embedded service schema"));

fuzz_target!(|text: &str| {
    if let Ok(records) = hsds_io::read_services("services.json", text, &SERVICE, &AREAS) {
        for record in records {
            if let Err(problems) = record {
                assert!(!problems.is_empty());
                assert!(problems.iter().all(|p| p.pointer.starts_with("services.json#/")), "{problems:?}");
            }
        }
    }
});
