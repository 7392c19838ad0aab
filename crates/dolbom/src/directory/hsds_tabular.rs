//! HSDS 3.0 tabular data packages: `datapackage.json` beside one CSV file per table. Rows are joined back into the
//! nested records the JSON import takes (a service with its phones, attributes and service_at_locations, each
//! location with its addresses), typed by the package's own field list, and every record remembers which CSV rows
//! it came from, so a schema problem is reported as `phones.csv#row=3/number` (RFC 7111 row, then the field).

use std::collections::HashMap;
use std::path::Path;

use serde_json::{Map, Value};

use super::hsds_io::HsdsError;

/// One nested record and the rows it was built from.
#[derive(Debug)]
pub struct Record {
    pub value: Value,
    pub origin: Origin,
}

/// Where a record came from: a JSON file's index, or CSV rows (the record's own row and its children's).
#[derive(Debug)]
pub enum Origin {
    Json { file: String, index: usize },
    Csv { file: String, line: u64, children: Vec<(String, String, u64)> },
}

impl Origin {
    /// Where `pointer` (a JSON pointer inside the nested record) points in the files that were read.
    pub fn locate(&self, pointer: &str) -> String {
        match self {
            Origin::Json { file, index } => format!("{file}#/{index}{pointer}"),
            Origin::Csv { file, line, children } => {
                let deepest = children
                    .iter()
                    .filter(|(prefix, _, _)| pointer == prefix || pointer.starts_with(&format!("{prefix}/")))
                    .max_by_key(|(prefix, _, _)| prefix.len());
                match deepest {
                    Some((prefix, file, line)) => format!("{file}#row={line}{}", &pointer[prefix.len()..]),
                    None => format!("{file}#row={line}{pointer}"),
                }
            }
        }
    }
}

/// The tables of a package, each row typed and numbered by its line (1 is the header).
struct Table {
    file: String,
    rows: Vec<(u64, Map<String, Value>)>,
}

impl Table {
    fn linked<'a>(&'a self, key: &'a str, id: &'a str) -> impl Iterator<Item = &'a (u64, Map<String, Value>)> + 'a {
        self.rows.iter().filter(move |(_, row)| row.get(key).and_then(Value::as_str) == Some(id))
    }
}

pub fn is_package(dir: &Path) -> bool {
    dir.join("datapackage.json").is_file()
}

/// A cell as the field's declared type wants it; text that does not parse stays text, so the schema reports it.
fn typed(kind: &str, cell: &str) -> Value {
    let number = || cell.parse::<f64>().ok().and_then(serde_json::Number::from_f64).map(Value::Number);
    match kind {
        "integer" => cell.parse::<i64>().map(Value::from).ok(),
        "number" => cell.parse::<i64>().map(Value::from).ok().or_else(number),
        "boolean" => match cell {
            "true" => Some(Value::Bool(true)),
            "false" => Some(Value::Bool(false)),
            _ => None,
        },
        _ => None,
    }
    .unwrap_or_else(|| Value::String(cell.to_string()))
}

fn read_table(dir: &Path, path: &str, types: &HashMap<String, String>) -> Result<Table, HsdsError> {
    let file = dir.join(path);
    let mut table = Table { file: path.to_string(), rows: Vec::new() };
    if !file.is_file() {
        return Ok(table);
    }
    let mut reader = csv::Reader::from_path(&file).map_err(|e| csv_error(path, e))?;
    let headers = reader.headers().map_err(|e| csv_error(path, e))?.clone();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| csv_error(path, e))?;
        let row = headers
            .iter()
            .zip(record.iter())
            .filter(|(_, cell)| !cell.is_empty())
            .map(|(name, cell)| {
                let kind = types.get(name).map(String::as_str).unwrap_or("string");
                (name.to_string(), typed(kind, cell))
            })
            .collect();
        table.rows.push((i as u64 + 2, row));
    }
    Ok(table)
}

fn csv_error(file: &str, e: csv::Error) -> HsdsError {
    HsdsError::NotJson { file: file.to_string(), reason: e.to_string() }
}

/// Every table the package lists, by resource name (`service`, `phone`, …).
fn tables(dir: &Path) -> Result<HashMap<String, Table>, HsdsError> {
    let text = std::fs::read_to_string(dir.join("datapackage.json"))?;
    let package: Value = serde_json::from_str(&text)
        .map_err(|e| HsdsError::NotJson { file: "datapackage.json".into(), reason: e.to_string() })?;
    let mut out = HashMap::new();
    for resource in package["resources"].as_array().map(Vec::as_slice).unwrap_or_default() {
        let (Some(name), Some(path)) = (resource["name"].as_str(), resource["path"].as_str()) else { continue };
        let types = resource["schema"]["fields"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .filter_map(|f| Some((f["name"].as_str()?.to_string(), f["type"].as_str()?.to_string())))
            .collect();
        out.insert(name.to_string(), read_table(dir, path, &types)?);
    }
    Ok(out)
}

fn empty(name: &str) -> Table {
    Table { file: format!("{name}.csv"), rows: Vec::new() }
}

/// Nests the rows of `child` linked to `id` under `field`, noting each child's row.
fn nest(
    record: &mut Map<String, Value>,
    children: &mut Vec<(String, String, u64)>,
    field: &str,
    child: &Table,
    key: &str,
    id: &str,
) {
    let linked: Vec<Value> = child
        .linked(key, id)
        .enumerate()
        .map(|(j, (line, row))| {
            children.push((format!("/{field}/{j}"), child.file.clone(), *line));
            Value::Object(row.clone())
        })
        .collect();
    if !linked.is_empty() {
        record.insert(field.to_string(), Value::Array(linked));
    }
}

/// The package's organizations and its services (nested), in file order.
pub fn load(dir: &Path) -> Result<(Vec<Record>, Vec<Record>), HsdsError> {
    let mut tables = tables(dir)?;
    let mut take = |name: &str| tables.remove(name).unwrap_or_else(|| empty(name));
    let (organizations, services) = (take("organization"), take("service"));
    let (phones, attributes, links) = (take("phone"), take("attribute"), take("service_at_location"));
    let (locations, addresses) = (take("location"), take("address"));

    let orgs = organizations
        .rows
        .iter()
        .map(|(line, row)| Record {
            value: Value::Object(row.clone()),
            origin: Origin::Csv { file: organizations.file.clone(), line: *line, children: Vec::new() },
        })
        .collect();
    let mut out = Vec::with_capacity(services.rows.len());
    for (line, row) in &services.rows {
        let id = row.get("id").and_then(Value::as_str).unwrap_or_default().to_string();
        let mut record = row.clone();
        let mut children = Vec::new();
        nest(&mut record, &mut children, "phones", &phones, "service_id", &id);
        nest(&mut record, &mut children, "attributes", &attributes, "link_id", &id);
        let mut nested_links = Vec::new();
        for (j, (link_line, link)) in links.linked("service_id", &id).enumerate() {
            let prefix = format!("/service_at_locations/{j}");
            children.push((prefix.clone(), links.file.clone(), *link_line));
            let mut link = link.clone();
            let location_id = link.get("location_id").and_then(Value::as_str).unwrap_or_default().to_string();
            if let Some((location_line, location)) = locations.linked("id", &location_id).next() {
                children.push((format!("{prefix}/location"), locations.file.clone(), *location_line));
                let mut location = location.clone();
                let mut address_rows = Vec::new();
                nest(&mut location, &mut address_rows, "addresses", &addresses, "location_id", &location_id);
                children.extend(address_rows.into_iter().map(|(p, f, l)| (format!("{prefix}/location{p}"), f, l)));
                link.insert("location".into(), Value::Object(location));
            }
            nested_links.push(Value::Object(link));
        }
        if !nested_links.is_empty() {
            record.insert("service_at_locations".into(), Value::Array(nested_links));
        }
        let origin = Origin::Csv { file: services.file.clone(), line: *line, children };
        out.push(Record { value: Value::Object(record), origin });
    }
    Ok((orgs, out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_land_on_the_row_they_came_from() {
        let origin = Origin::Csv {
            file: "services.csv".into(),
            line: 4,
            children: vec![
                ("/phones/0".into(), "phones.csv".into(), 7),
                ("/service_at_locations/0".into(), "service_at_location.csv".into(), 2),
                ("/service_at_locations/0/location".into(), "locations.csv".into(), 9),
            ],
        };
        assert_eq!(origin.locate("/name"), "services.csv#row=4/name");
        assert_eq!(origin.locate("/phones/0/number"), "phones.csv#row=7/number");
        assert_eq!(origin.locate("/service_at_locations/0/location/latitude"), "locations.csv#row=9/latitude");
        assert_eq!(origin.locate("/service_at_locations/0"), "service_at_location.csv#row=2");
        assert_eq!(origin.locate(""), "services.csv#row=4");
    }

    #[test]
    fn cells_take_their_declared_types() {
        assert_eq!(typed("number", "12"), Value::from(12));
        assert_eq!(typed("number", "37.5"), serde_json::json!(37.5));
        assert_eq!(typed("number", "twelve"), Value::from("twelve"));
        assert_eq!(typed("string", "12"), Value::from("12"));
    }
}
