//! A PostgreSQL streaming replica for read-only pages. Every write goes to the primary; a visitor who has just
//! written reads from the primary until the replica has replayed the primary's WAL past that write
//! (read-your-writes, see [`crate::web::reads`]).
//!
//! Each process polls the replica's replay position every [`POLL`] and keeps it in memory, so deciding where a
//! page reads costs no round trip. A position learnt up to [`POLL`] ago is never ahead of the replica, so the
//! decision errs towards the primary, never towards a stale read.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use super::Db;

pub const POLL: Duration = Duration::from_millis(50);

/// A replica, and what this process last learnt of it.
#[derive(Debug)]
pub struct Replica {
    pub db: Db,
    replayed: AtomicU64,
    answering: AtomicBool,
}

impl Replica {
    pub fn new(db: Db) -> Self {
        Replica { db, replayed: AtomicU64::new(0), answering: AtomicBool::new(false) }
    }

    /// True when the replica answered its last poll and had then replayed the WAL up to `position`.
    pub fn has_replayed(&self, position: u64) -> bool {
        self.answering.load(Ordering::Acquire) && self.replayed.load(Ordering::Acquire) >= position
    }

    /// True when the replica answered its last poll (a replica that stops answering gets no reads).
    pub fn is_answering(&self) -> bool {
        self.answering.load(Ordering::Acquire)
    }

    /// Asks the replica how far it has replayed; on an error the replica is taken out of use until it answers.
    pub async fn poll(&self) {
        let sql = "SELECT pg_last_wal_replay_lsn()::text";
        let answer: Result<Option<String>, sqlx::Error> =
            crate::db_run!(&self.db, p => sqlx::query_scalar(sql).fetch_one(p).await);
        match answer.map(|lsn| lsn.as_deref().and_then(parse_lsn)) {
            Ok(Some(lsn)) => {
                self.replayed.store(lsn, Ordering::Release);
                self.answering.store(true, Ordering::Release);
            }
            Ok(None) => {
                tracing::warn!("the read replica is not replaying WAL (is it a primary?); reading from the primary");
                self.answering.store(false, Ordering::Release);
            }
            Err(e) => {
                if self.answering.swap(false, Ordering::AcqRel) {
                    tracing::warn!(error = %e, "the read replica does not answer; reading from the primary");
                }
            }
        }
    }

    /// Polls until the task is dropped.
    pub async fn watch(&self) {
        let mut every = tokio::time::interval(POLL);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            every.tick().await;
            self.poll().await;
        }
    }
}

/// Where the primary's WAL ends now: every transaction committed before the call lies at or before it.
pub async fn primary_position(db: &Db) -> Result<Option<u64>, sqlx::Error> {
    match db {
        Db::Postgres(p) => {
            let lsn: String = sqlx::query_scalar("SELECT pg_current_wal_lsn()::text").fetch_one(p).await?;
            Ok(parse_lsn(&lsn))
        }
        Db::Sqlite(..) => Ok(None),
    }
}

/// A PostgreSQL log sequence number as written (`16/B374D848`: high and low 32 bits in hex) as one number.
pub fn parse_lsn(text: &str) -> Option<u64> {
    let (high, low) = text.split_once('/')?;
    let hex = |part: &str| (1..=8).contains(&part.len()) && part.bytes().all(|b| b.is_ascii_hexdigit());
    if !hex(high) || !hex(low) {
        return None;
    }
    let high = u32::from_str_radix(high, 16).ok()?;
    let low = u32::from_str_radix(low, 16).ok()?;
    Some((u64::from(high) << 32) | u64::from(low))
}

#[cfg(test)]
mod tests {
    use super::parse_lsn;

    #[test]
    fn log_positions_read_as_postgresql_writes_them() {
        assert_eq!(parse_lsn("0/0"), Some(0));
        assert_eq!(parse_lsn("16/B374D848"), Some((0x16 << 32) | 0xB374_D848));
        assert!(parse_lsn("1/FFFFFFFF").unwrap() < parse_lsn("2/0").unwrap());
        for bad in ["", "/", "1/", "/1", "G/1", "123456789/0", "1/2/3", "-1/0", "+1/0"] {
            assert_eq!(parse_lsn(bad), None, "{bad}");
        }
    }
}
