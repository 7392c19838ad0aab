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

/// What is wrong with a row of a list to link: the row's line in the file and what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowProblem {
    pub line: usize,
    /// `empty_id`, `unreadable` (the detail says why) or `repeated_id`.
    pub what: &'static str,
    pub detail: String,
}

/// Reads an agencies' list to link (UTF-8 or CP949): every row, or every broken row with its line.
pub fn link_records(bytes: &[u8]) -> Result<Vec<linkage::Record>, Vec<RowProblem>> {
    let (text, _) = crate::directory::import::services_csv::decode(bytes);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let mut records = Vec::new();
    let mut lines = Vec::new();
    let mut problems = Vec::new();
    for (i, row) in reader.deserialize::<linkage::Record>().enumerate() {
        let line = i + 2;
        match row {
            Ok(record) if record.record_id.trim().is_empty() => {
                problems.push(RowProblem { line, what: "empty_id", detail: String::new() })
            }
            Ok(record) => {
                records.push(record);
                lines.push(line);
            }
            Err(e) => problems.push(RowProblem { line, what: "unreadable", detail: e.to_string() }),
        }
    }
    let mut seen = std::collections::HashSet::new();
    for (r, line) in records.iter().zip(lines) {
        if !seen.insert(r.record_id.as_str()) {
            problems.push(RowProblem { line, what: "repeated_id", detail: r.record_id.clone() });
        }
    }
    if problems.is_empty() { Ok(records) } else { Err(problems) }
}

/// `dolbom link`: reads every row first; a broken row is reported with its line and nothing is linked or written.
pub fn link(input: &Path, output: &Path) -> anyhow::Result<()> {
    let bytes = std::fs::read(input).with_context(|| format!("{}: cannot read", input.display()))?;
    let records = match link_records(&bytes) {
        Ok(records) => records,
        Err(problems) => {
            for p in &problems {
                let what = match p.what {
                    "empty_id" => "record_id is empty".to_string(),
                    "repeated_id" => format!("record_id {} is given twice", p.detail),
                    _ => p.detail.clone(),
                };
                eprintln!("{}: line {}: {what}", input.display(), p.line);
            }
            let (_, encoding) = crate::directory::import::services_csv::decode(&bytes);
            anyhow::bail!("{} broken rows in {} ({encoding}); nothing was linked", problems.len(), input.display());
        }
    };
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
