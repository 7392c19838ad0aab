//! SQL of linkage runs, their records and pairs.

use linkage::{LINK_AT, Outcome, REVIEW, Record};
use serde::Serialize;

use crate::db::time::{Millis, now_millis};
use crate::db::{Db, new_id};
use crate::{db_run, tx_run};

/// Saves a run with its records and its pairs (those to review, and those the model joined); returns its id.
pub async fn save_run(
    db: &Db,
    municipality: &str,
    agency: Option<&str>,
    user: &str,
    file_name: &str,
    records: &[Record],
    outcome: &Outcome,
) -> Result<String, sqlx::Error> {
    let id = new_id();
    let mut tx = db.begin().await?;
    let sql = "INSERT INTO linkage_runs (id, municipality_code, agency_id, file_name, records, uploaded_by, uploaded_at) \
               VALUES ($1, $2, $3, $4, $5, $6, $7)";
    tx_run!(&mut tx, c => sqlx::query(sql).bind(&id).bind(municipality).bind(agency).bind(file_name)
        .bind(records.len() as i64).bind(user).bind(now_millis()).execute(c).await.map(|_| ()))?;
    let sql = "INSERT INTO linkage_records (run_id, idx, record_id, source, name, birth_date, phone, address) \
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
    for (i, r) in records.iter().enumerate() {
        tx_run!(&mut tx, c => sqlx::query(sql).bind(&id).bind(i as i64).bind(&r.record_id).bind(&r.source)
            .bind(&r.name).bind(&r.birth_date).bind(&r.phone).bind(&r.address).execute(c).await.map(|_| ()))?;
    }
    let sql = "INSERT INTO linkage_pairs (run_id, a, b, probability, to_review) VALUES ($1, $2, $3, $4, $5) \
               ON CONFLICT (run_id, a, b) DO NOTHING";
    for &(a, b, p) in outcome.uncertain.iter().chain(&outcome.joined) {
        let review = (REVIEW.0..REVIEW.1).contains(&p);
        tx_run!(&mut tx, c => sqlx::query(sql).bind(&id).bind(i64::from(a)).bind(i64::from(b)).bind(p).bind(review)
            .execute(c).await.map(|_| ()))?;
    }
    tx.commit().await?;
    Ok(id)
}

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Run {
    pub id: String,
    pub agency_id: Option<String>,
    pub file_name: String,
    pub records: i64,
    pub uploaded_at: Millis,
    pub to_review: i64,
    pub decided: i64,
}

const RUN_SELECT: &str = "SELECT r.id, r.agency_id, r.file_name, r.records, r.uploaded_at, \
     (SELECT COUNT(*) FROM linkage_pairs p WHERE p.run_id = r.id AND p.to_review = TRUE) AS to_review, \
     (SELECT COUNT(*) FROM linkage_pairs p WHERE p.run_id = r.id AND p.decision IS NOT NULL) AS decided \
     FROM linkage_runs r";

/// The runs of an agency (officials: `None`, every run of the municipality), newest first.
pub async fn runs(db: &Db, municipality: &str, agency: Option<&str>) -> Result<Vec<Run>, sqlx::Error> {
    let sql = format!(
        "{RUN_SELECT} WHERE r.municipality_code = $1 AND ($2 IS NULL OR r.agency_id = $2) \
         ORDER BY r.uploaded_at DESC LIMIT 100"
    );
    db_run!(db, p => sqlx::query_as(&sql).bind(municipality).bind(agency).fetch_all(p).await)
}

pub async fn run(db: &Db, municipality: &str, id: &str) -> Result<Option<Run>, sqlx::Error> {
    let sql = format!("{RUN_SELECT} WHERE r.id = $1 AND r.municipality_code = $2");
    db_run!(db, p => sqlx::query_as(&sql).bind(id).bind(municipality).fetch_optional(p).await)
}

/// A pair to review, with both records.
#[derive(Clone, Debug, Serialize)]
pub struct Pair {
    pub a: i64,
    pub b: i64,
    pub probability: f64,
    pub left: Record,
    pub right: Record,
}

type PairRow =
    (i64, i64, f64, String, String, String, String, String, String, String, String, String, String, String, String);

/// The pairs still to review, the likeliest first.
pub async fn queue(db: &Db, run_id: &str, limit: i64) -> Result<Vec<Pair>, sqlx::Error> {
    let sql = "SELECT p.a, p.b, p.probability, \
               x.record_id, x.source, x.name, x.birth_date, x.phone, x.address, \
               y.record_id, y.source, y.name, y.birth_date, y.phone, y.address FROM linkage_pairs p \
               JOIN linkage_records x ON x.run_id = p.run_id AND x.idx = p.a \
               JOIN linkage_records y ON y.run_id = p.run_id AND y.idx = p.b \
               WHERE p.run_id = $1 AND p.to_review = TRUE AND p.decision IS NULL \
               ORDER BY p.probability DESC, p.a, p.b LIMIT $2";
    let rows: Vec<PairRow> = db_run!(db, p => sqlx::query_as(sql).bind(run_id).bind(limit).fetch_all(p).await)?;
    Ok(rows
        .into_iter()
        .map(|r| Pair {
            a: r.0,
            b: r.1,
            probability: r.2,
            left: Record { record_id: r.3, source: r.4, name: r.5, birth_date: r.6, phone: r.7, address: r.8 },
            right: Record { record_id: r.9, source: r.10, name: r.11, birth_date: r.12, phone: r.13, address: r.14 },
        })
        .collect())
}

/// Records a reviewer's decision on a pair to review, once; `false` when there is no such pair or it is decided.
pub async fn decide(db: &Db, run_id: &str, a: i64, b: i64, same: bool, by: &str) -> Result<bool, sqlx::Error> {
    let sql = "UPDATE linkage_pairs SET decision = $1, decided_by = $2, decided_at = $3 \
               WHERE run_id = $4 AND a = $5 AND b = $6 AND to_review = TRUE AND decision IS NULL";
    let decision = if same { "same" } else { "different" };
    let n = db_run!(db, p => sqlx::query(sql).bind(decision).bind(by).bind(now_millis()).bind(run_id).bind(a).bind(b)
        .execute(p).await.map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// The run's result with the decisions taken: `record_id, cluster_id, score` per record, in the file's order.
pub async fn result(db: &Db, run_id: &str) -> Result<Vec<(String, String, f64)>, sqlx::Error> {
    let ids: Vec<String> = db_run!(db, p => sqlx::query_scalar(
        "SELECT record_id FROM linkage_records WHERE run_id = $1 ORDER BY idx").bind(run_id).fetch_all(p).await)?;
    let sql = "SELECT a, b, probability FROM linkage_pairs WHERE run_id = $1 \
               AND (decision = 'same' OR (decision IS NULL AND probability >= $2))";
    let edges: Vec<(i64, i64, f64)> =
        db_run!(db, p => sqlx::query_as(sql).bind(run_id).bind(LINK_AT).fetch_all(p).await)?;
    let mut best = vec![0.0f64; ids.len()];
    let mut pairs = Vec::with_capacity(edges.len());
    for &(a, b, p) in &edges {
        let (a, b) = (a as usize, b as usize);
        if a < ids.len() && b < ids.len() {
            best[a] = best[a].max(p);
            best[b] = best[b].max(p);
            pairs.push((a as u32, b as u32));
        }
    }
    let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    let clusters = linkage::clusters_of(&refs, &pairs);
    Ok(ids.into_iter().zip(clusters).zip(best).map(|((id, c), s)| (id, c, s)).collect())
}
