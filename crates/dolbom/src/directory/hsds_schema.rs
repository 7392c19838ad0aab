//! Validation of HSDS 3.0 records against the official schemas (compiled in; their relative `$ref`s resolve to
//! the embedded files, so it works offline).

use jsonschema::{Retrieve, Uri, Validator};
use serde_json::Value;

const BASE: &str = "https://hsds.openreferral.org/schema/";

const SCHEMAS: [(&str, &str); 21] = [
    ("accessibility.json", include_str!("../../data/hsds-schema/accessibility.json")),
    ("address.json", include_str!("../../data/hsds-schema/address.json")),
    ("attribute.json", include_str!("../../data/hsds-schema/attribute.json")),
    ("contact.json", include_str!("../../data/hsds-schema/contact.json")),
    ("cost_option.json", include_str!("../../data/hsds-schema/cost_option.json")),
    ("funding.json", include_str!("../../data/hsds-schema/funding.json")),
    ("language.json", include_str!("../../data/hsds-schema/language.json")),
    ("location.json", include_str!("../../data/hsds-schema/location.json")),
    ("meta_table_description.json", include_str!("../../data/hsds-schema/meta_table_description.json")),
    ("metadata.json", include_str!("../../data/hsds-schema/metadata.json")),
    ("organization.json", include_str!("../../data/hsds-schema/organization.json")),
    ("organization_identifier.json", include_str!("../../data/hsds-schema/organization_identifier.json")),
    ("phone.json", include_str!("../../data/hsds-schema/phone.json")),
    ("program.json", include_str!("../../data/hsds-schema/program.json")),
    ("required_document.json", include_str!("../../data/hsds-schema/required_document.json")),
    ("schedule.json", include_str!("../../data/hsds-schema/schedule.json")),
    ("service.json", include_str!("../../data/hsds-schema/service.json")),
    ("service_area.json", include_str!("../../data/hsds-schema/service_area.json")),
    ("service_at_location.json", include_str!("../../data/hsds-schema/service_at_location.json")),
    ("taxonomy.json", include_str!("../../data/hsds-schema/taxonomy.json")),
    ("taxonomy_term.json", include_str!("../../data/hsds-schema/taxonomy_term.json")),
];

struct Embedded;

impl Retrieve for Embedded {
    fn retrieve(&self, uri: &Uri<String>) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        let name = uri.path().as_str().rsplit('/').next().unwrap_or_default().to_string();
        let text = SCHEMAS.iter().find(|(n, _)| *n == name).map(|(_, t)| *t).ok_or(format!("no HSDS schema {name}"))?;
        Ok(serde_json::from_str(text)?)
    }
}

/// A validator for one HSDS object type (`service`, `organization`, `taxonomy`, `taxonomy_term`, …).
pub fn validator(object: &str) -> Result<Validator, String> {
    let file = format!("{object}.json");
    let text = SCHEMAS.iter().find(|(n, _)| *n == file).map(|(_, t)| *t).ok_or(format!("no HSDS schema {file}"))?;
    let schema: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    jsonschema::options()
        .with_base_uri(format!("{BASE}{file}"))
        .with_retriever(Embedded)
        .build(&schema)
        .map_err(|e| e.to_string())
}

/// Every problem of a record: (JSON pointer inside the record, reason).
pub fn problems(validator: &Validator, record: &Value) -> Vec<(String, String)> {
    validator.iter_errors(record).map(|e| (e.instance_path.to_string(), e.to_string())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_official_example_service_validates_and_a_broken_one_does_not() {
        let example: Value = serde_json::from_str(include_str!("../../data/hsds-schema/service.json")).unwrap();
        assert!(example.get("properties").is_some());
        let v = validator("service").unwrap();
        let good = serde_json::json!({ "id": "s1", "name": "아동수당", "status": "active" });
        assert!(problems(&v, &good).is_empty(), "{:?}", problems(&v, &good));
        let bad = serde_json::json!({ "id": "s1", "status": "maybe", "phones": [{ "id": "p" }] });
        let found = problems(&v, &bad);
        let pointers: Vec<&str> = found.iter().map(|(p, _)| p.as_str()).collect();
        assert!(pointers.contains(&""), "missing name is reported at the root: {found:?}");
        assert!(pointers.contains(&"/status"), "{found:?}");
        assert!(pointers.iter().any(|p| p.starts_with("/phones/0")), "{found:?}");
    }
}
