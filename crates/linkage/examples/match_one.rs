//! The duplicate check at intake: one new record against the records already known. Indexes a list but 1,000
//! records spread over it (so most have a record of the same person indexed), then checks each of those alone and
//! reports the latency (p50, p99, max).
//!
//! `cargo run --release -p linkage --example match_one -- RECORDS.csv`

use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("usage: match_one RECORDS.csv")?;
    let all: Vec<linkage::Record> = csv::Reader::from_path(path)?.deserialize().collect::<Result<_, _>>()?;
    let stride = (all.len() / 1_000).max(1);
    let (held_out, records): (Vec<_>, Vec<_>) =
        all.into_iter().enumerate().partition(|(i, _)| i % stride == stride / 2);
    let held_out: Vec<linkage::Record> = held_out.into_iter().map(|(_, r)| r).collect();
    let records: Vec<linkage::Record> = records.into_iter().map(|(_, r)| r).collect();
    let started = Instant::now();
    let index = linkage::Index::register(&records);
    let built = started.elapsed();
    let mut took: Vec<f64> = Vec::with_capacity(held_out.len());
    let mut found = 0;
    for r in &held_out {
        let start = Instant::now();
        let candidates = index.matches(r);
        took.push(start.elapsed().as_secs_f64() * 1_000.0);
        found += usize::from(!candidates.is_empty());
    }
    took.sort_by(f64::total_cmp);
    let at = |q: f64| took[((took.len() - 1) as f64 * q) as usize];
    println!(
        "{} known records indexed in {:.1} s; {} new records checked one by one: p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms ({} had candidates)",
        index.len(),
        built.as_secs_f64(),
        held_out.len(),
        at(0.5),
        at(0.99),
        took.last().copied().unwrap_or(0.0),
        found
    );
    Ok(())
}
