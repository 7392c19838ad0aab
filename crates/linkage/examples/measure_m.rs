//! Measures m (per field and level, the share among pairs known to be one person) on a generated list with its
//! truth: the figures `Model::MEASURED_M` holds for registers too clean to learn m from.
//!
//! `cargo run --release -p linkage --example measure_m -- RECORDS.csv TRUTH.csv`

use std::collections::HashMap;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let [_, records_path, truth_path] = args.as_slice() else {
        return Err("usage: measure_m RECORDS.csv TRUTH.csv".into());
    };
    let records: Vec<linkage::Record> =
        csv::Reader::from_path(records_path)?.deserialize().collect::<Result<_, _>>()?;
    let truth: HashMap<String, String> =
        csv::Reader::from_path(truth_path)?.deserialize::<(String, String)>().collect::<Result<_, _>>()?;
    let mut people: HashMap<&str, Vec<linkage::Prepared>> = HashMap::new();
    for r in &records {
        people.entry(truth[&r.record_id].as_str()).or_default().push(linkage::Prepared::of(r));
    }
    let mut counts: Vec<Vec<f64>> = linkage::FIELDS.iter().map(|n| vec![0.0; *n]).collect();
    for listed in people.values() {
        for (i, a) in listed.iter().enumerate() {
            for b in &listed[i + 1..] {
                for (field, level) in linkage::levels(linkage::pattern(a, b)).into_iter().enumerate() {
                    counts[field][level] += 1.0;
                }
            }
        }
    }
    for (field, c) in counts.iter().enumerate() {
        let present: f64 = (0..c.len()).filter(|l| !linkage::is_missing(field, *l)).map(|l| c[l]).sum();
        let shares: Vec<String> = (0..c.len())
            .map(|l| if linkage::is_missing(field, l) { "1.0".to_string() } else { format!("{:.4}", c[l] / present) })
            .collect();
        println!("field {field}: [{}]  ({present} pairs)", shares.join(", "));
    }
    Ok(())
}
