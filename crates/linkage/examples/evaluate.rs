//! Links a generated list and scores it against the truth: time, candidate pairs, pairwise precision, recall, F1.
//!
//! `cargo run --release -p linkage --example evaluate -- RECORDS.csv TRUTH.csv`

use std::collections::HashMap;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let [_, records_path, truth_path] = args.as_slice() else {
        return Err("usage: evaluate RECORDS.csv TRUTH.csv".into());
    };
    let started = Instant::now();
    let records: Vec<linkage::Record> =
        csv::Reader::from_path(records_path)?.deserialize().collect::<Result<_, _>>()?;
    let read = started.elapsed();
    let out = linkage::link(&records);
    let took = started.elapsed();
    let truth: HashMap<String, String> =
        csv::Reader::from_path(truth_path)?.deserialize::<(String, String)>().collect::<Result<_, _>>()?;
    let predicted: Vec<&str> = out.linked.iter().map(|l| l.cluster_id.as_str()).collect();
    let real: Vec<&str> = out.linked.iter().map(|l| truth[&l.record_id].as_str()).collect();
    let (precision, recall, f1) = linkage::pairwise_f1(&predicted, &real);
    println!(
        "{} records: read {:.2} s, linked in {:.2} s total; {} candidate pairs, {} to review; precision {precision:.4} recall {recall:.4} F1 {f1:.4}",
        records.len(),
        read.as_secs_f64(),
        took.as_secs_f64(),
        out.candidate_pairs,
        out.uncertain.len()
    );
    if let Ok(path) = std::env::var("LINKED_CSV") {
        let mut w = csv::Writer::from_path(path)?;
        for l in &out.linked {
            w.serialize(l)?;
        }
    }
    eprintln!("prior {:.3e}", out.model.prior);
    for (field, (m, u)) in out.model.m.iter().zip(&out.model.u).enumerate() {
        eprintln!("field {field}: m {m:.4?} u {u:.4?}");
    }
    Ok(())
}
