//! Intake: a new person checked against everyone already known before they are registered. With a
//! 주민등록번호 the check is exact (its keyed hash); without one, the `linkage` index scores the name (spacing, jamo
//! typos, romanisations), birth date, phone and address against every resident and returns the likely ones. The
//! index is built on the first intake and kept current from the change log, as the search index is.

use chrono::NaiveDate;
use linkage::{Candidate, Index, Record};

use crate::db::Db;
use crate::db::change_log::{self, Tail};
use crate::db_run;

type Row = (String, String, NaiveDate, Option<String>, String);

const RESIDENT_RECORD: &str = "SELECT r.id, r.name, r.birth_date, r.phone, h.address FROM residents r \
     JOIN households h ON h.id = r.household_id";

fn record((id, name, birth, phone, address): Row) -> Record {
    Record {
        record_id: id,
        source: "residents".into(),
        name,
        birth_date: birth.format("%Y-%m-%d").to_string(),
        phone: phone.unwrap_or_default(),
        address,
    }
}

struct Known {
    index: Index,
    tail: Tail,
}

/// The residents as the linkage index knows them, per process.
#[derive(Default)]
pub struct PeopleIndex(tokio::sync::Mutex<Option<Known>>);

impl PeopleIndex {
    /// The residents the person may be, likeliest first, each once.
    pub async fn check(&self, db: &Db, municipality: &str, person: &Record) -> Result<Vec<Candidate>, sqlx::Error> {
        let mut known = self.0.lock().await;
        match known.as_mut() {
            None => *known = Some(build(db, municipality).await?),
            Some(k) => catch_up(db, municipality, k).await?,
        }
        let Some(k) = known.as_ref() else { return Ok(Vec::new()) };
        let mut out = k.index.matches(person);
        let mut seen = std::collections::HashSet::new();
        out.retain(|c| seen.insert(c.record_id.clone()));
        Ok(out)
    }
}

async fn build(db: &Db, municipality: &str) -> Result<Known, sqlx::Error> {
    let head = change_log::head(db).await?;
    let sql = format!("{RESIDENT_RECORD} WHERE r.municipality_code = $1");
    let rows: Vec<Row> = db_run!(db, p => sqlx::query_as(&sql).bind(municipality).fetch_all(p).await)?;
    let records: Vec<Record> = rows.into_iter().map(record).collect();
    // Fitting the model takes seconds at a million residents: off the request threads.
    let index =
        tokio::task::spawn_blocking(move || Index::register(&records)).await.map_err(|_| sqlx::Error::WorkerCrashed)?;
    Ok(Known { index, tail: Tail::from_head(head) })
}

async fn catch_up(db: &Db, municipality: &str, known: &mut Known) -> Result<(), sqlx::Error> {
    let sql = format!("{RESIDENT_RECORD} WHERE r.id = $1");
    for change in known.tail.fresh(db, municipality).await? {
        if change.entity != "resident" {
            continue;
        }
        let row: Option<Row> = db_run!(db, p => sqlx::query_as(&sql).bind(&change.entity_id).fetch_optional(p).await)?;
        if let Some(row) = row {
            known.index.insert(&record(row));
        }
    }
    Ok(())
}
