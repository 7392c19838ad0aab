//! The change log: every write to data that an in-memory index mirrors appends a row in the same transaction.
//! Each process tails it, so several processes on one PostgreSQL keep their indexes in step.

use serde::Serialize;

use super::time::now_millis;
use super::{Db, Tx};
use crate::{db_run, tx_run};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    Upsert,
    Delete,
}

impl Op {
    fn as_str(self) -> &'static str {
        match self {
            Op::Upsert => "upsert",
            Op::Delete => "delete",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow, Serialize)]
pub struct Change {
    pub seq: i64,
    pub municipality_code: String,
    pub entity: String,
    pub entity_id: String,
    pub op: String,
    pub at: i64,
}

/// Records that `entity`/`entity_id` changed, inside the caller's transaction: it lands exactly when the write does.
pub async fn append(
    tx: &mut Tx,
    municipality_code: &str,
    entity: &str,
    entity_id: &str,
    op: Op,
) -> Result<(), sqlx::Error> {
    let sql = "INSERT INTO change_log (municipality_code, entity, entity_id, op, at) VALUES ($1, $2, $3, $4, $5)";
    tx_run!(tx, c => sqlx::query(sql)
        .bind(municipality_code)
        .bind(entity)
        .bind(entity_id)
        .bind(op.as_str())
        .bind(now_millis())
        .execute(c)
        .await
        .map(|_| ()))
}

/// Changes after `seq`, oldest first, at most `limit`.
pub async fn since(db: &Db, seq: i64, limit: i64) -> Result<Vec<Change>, sqlx::Error> {
    let sql = "SELECT seq, municipality_code, entity, entity_id, op, at FROM change_log \
               WHERE seq > $1 ORDER BY seq LIMIT $2";
    db_run!(db, p => sqlx::query_as(sql).bind(seq).bind(limit).fetch_all(p).await)
}

/// The newest sequence number, 0 when the log is empty: where a fresh process starts tailing.
pub async fn head(db: &Db) -> Result<i64, sqlx::Error> {
    let sql = "SELECT COALESCE(MAX(seq), 0) FROM change_log";
    let (seq,): (i64,) = db_run!(db, p => sqlx::query_as(sql).fetch_one(p).await)?;
    Ok(seq)
}

/// How far behind its head a tailer re-reads: on PostgreSQL a lower sequence number can commit after a higher
/// one, so entries are applied by "not seen yet", not by "above the last one".
const WINDOW: i64 = 200;
const BATCH: i64 = 1_000;

/// A reader's place in the change log: the highest sequence applied and the recent ones seen.
#[derive(Debug, Default)]
pub struct Tail {
    last: i64,
    seen: std::collections::BTreeSet<i64>,
}

impl Tail {
    /// Starts after `head`: the reader's copy was built from the database as it was at that point or later.
    pub fn from_head(head: i64) -> Tail {
        Tail { last: head, seen: Default::default() }
    }

    /// The changes of `municipality` not read yet, oldest first.
    pub async fn fresh(&mut self, db: &Db, municipality: &str) -> Result<Vec<Change>, sqlx::Error> {
        let mut out = Vec::new();
        loop {
            let changes = since(db, (self.last - WINDOW).max(0), BATCH).await?;
            let fresh: Vec<Change> =
                changes.iter().filter(|c| !self.seen.contains(&c.seq) && c.seq > self.last - WINDOW).cloned().collect();
            for change in &fresh {
                self.seen.insert(change.seq);
                self.last = self.last.max(change.seq);
            }
            let floor = self.last - WINDOW;
            self.seen.retain(|seq| *seq > floor);
            let done = (changes.len() as i64) < BATCH || fresh.is_empty();
            out.extend(fresh.into_iter().filter(|c| c.municipality_code == municipality));
            if done {
                return Ok(out);
            }
        }
    }
}
