//! The commands over files alone, pure functions of their input: `dolbom allocate` (a waitlist round) and
//! `dolbom link` (agencies' lists linked into people). No database, no logging thread, no runtime.

use std::path::Path;

use anyhow::Context;

/// `dolbom allocate`: the round as a pure function of the file.
pub fn allocate(input: &Path, output: &Path) -> anyhow::Result<()> {
    let bytes = std::fs::read(input).with_context(|| format!("{}: cannot read", input.display()))?;
    // The fast parse first; only a bad file pays for tracking the JSON path of the mistake.
    let parsed: allocation::Input = match serde_json::from_slice(&bytes) {
        Ok(parsed) => parsed,
        Err(_) => {
            let mut reader = serde_json::Deserializer::from_slice(&bytes);
            let e = serde_path_to_error::deserialize::<_, allocation::Input>(&mut reader)
                .err()
                .ok_or_else(|| anyhow::anyhow!("{}: unreadable JSON", input.display()))?;
            anyhow::bail!("{}: {} at {}", input.display(), e.inner(), e.path());
        }
    };
    let out = match allocation::allocate(&parsed) {
        Ok(out) => out,
        Err(errors) => {
            for e in &errors {
                eprintln!("{}: {e}", input.display());
            }
            anyhow::bail!("{} problems in the input; nothing was allocated", errors.len());
        }
    };
    let cannot_write = || format!("{}: cannot write", output.display());
    let file = std::fs::File::create(output).with_context(cannot_write)?;
    let mut writer = std::io::BufWriter::with_capacity(1 << 20, file);
    serde_json::to_writer(&mut writer, &out).with_context(cannot_write)?;
    std::io::Write::write_all(&mut writer, b"\n").with_context(cannot_write)?;
    writer.into_inner().map_err(|e| e.into_error()).with_context(cannot_write)?;
    println!(
        "{}: {} children placed, {} unassigned (lottery seed {})",
        output.display(),
        out.assignments.len() - out.unassigned.len(),
        out.unassigned.len(),
        out.lottery_seed
    );
    Ok(())
}

/// `dolbom link`: reads every row first; a broken row is reported with its line and nothing is linked or written.
pub fn link(input: &Path, output: &Path) -> anyhow::Result<()> {
    let bytes = std::fs::read(input).with_context(|| format!("{}: cannot read", input.display()))?;
    let (text, encoding) = crate::directory::import::services_csv::decode(&bytes);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let mut records = Vec::new();
    let mut broken = 0usize;
    for (i, row) in reader.deserialize::<linkage::Record>().enumerate() {
        match row {
            Ok(record) if record.record_id.trim().is_empty() => {
                eprintln!("{}: line {}: record_id is empty", input.display(), i + 2);
                broken += 1;
            }
            Ok(record) => records.push(record),
            Err(e) => {
                eprintln!("{}: line {}: {e}", input.display(), i + 2);
                broken += 1;
            }
        }
    }
    let mut seen = std::collections::HashSet::new();
    for (i, r) in records.iter().enumerate() {
        if !seen.insert(r.record_id.as_str()) {
            eprintln!("{}: record_id {} is given twice (record {})", input.display(), r.record_id, i + 1);
            broken += 1;
        }
    }
    if broken > 0 {
        anyhow::bail!("{broken} broken rows in {} ({encoding}); nothing was linked", input.display());
    }
    let out = linkage::link(&records);
    let cannot_write = || format!("{}: cannot write", output.display());
    let mut writer = csv::Writer::from_path(output).with_context(cannot_write)?;
    for l in &out.linked {
        writer.serialize(l).with_context(cannot_write)?;
    }
    writer.flush().with_context(cannot_write)?;
    let clusters: std::collections::HashSet<&str> = out.linked.iter().map(|l| l.cluster_id.as_str()).collect();
    println!(
        "{}: {} records, {} people, {} pairs to review",
        output.display(),
        records.len(),
        clusters.len(),
        out.uncertain.len()
    );
    Ok(())
}
