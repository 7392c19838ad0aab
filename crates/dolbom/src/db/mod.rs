//! One SQL database behind one enum: an embedded SQLite file by default, PostgreSQL when the URL says so.
//!
//! Queries are written once, with `$N` placeholders that both drivers accept, and run through [`db_run!`], which
//! compiles the same body once per backend. Dialect branches are written out only where the SQL really differs.

pub mod change_log;
mod connect;
pub mod replica;
pub mod time;

pub use connect::{Backend, connect};

use sqlx::{PgPool, Postgres, Sqlite, SqlitePool, Transaction};

/// A pool of connections to the platform's database.
#[derive(Clone, Debug)]
pub enum Db {
    /// Reads and single statements go through the first pool; transactions through the [`Writer`].
    Sqlite(SqlitePool, Writer),
    Postgres(PgPool),
}

/// SQLite lets one writer in at a time, so this process's transactions queue for one connection of their own
/// instead of meeting in SQLite's busy handler, which sleeps by milliseconds (that cut bookings per second by
/// seven). The one connection also keeps its page cache: SQLite drops a connection's whole cache whenever
/// another connection has written, so transactions rotating over a pool began cold each time.
pub type Writer = SqlitePool;

/// An open transaction on either backend.
pub enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

/// Runs one body against whichever pool `$db` holds. The body is compiled once per backend, so the same
/// `sqlx::query*` call is type-checked against both drivers.
#[macro_export]
macro_rules! db_run {
    ($db:expr, $pool:ident => $body:expr) => {
        match $db {
            $crate::db::Db::Sqlite($pool, _) => $body,
            $crate::db::Db::Postgres($pool) => $body,
        }
    };
}

/// Like [`db_run!`] for an open [`Tx`]: `$conn` is the transaction's connection (`&mut Connection`).
#[macro_export]
macro_rules! tx_run {
    ($tx:expr, $conn:ident => $body:expr) => {
        match $tx {
            $crate::db::Tx::Sqlite(t) => {
                let $conn = &mut **t;
                $body
            }
            $crate::db::Tx::Postgres(t) => {
                let $conn = &mut **t;
                $body
            }
        }
    };
}

impl Db {
    pub fn backend(&self) -> Backend {
        match self {
            Db::Sqlite(..) => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    /// Begins a transaction. On SQLite it waits for the writer connection (this process's other transactions end
    /// first) and takes the write lock at once (`BEGIN IMMEDIATE`), so what it reads stays true until it commits.
    /// Never begin a second transaction while one is open on the same task: it would wait for itself (the wait is
    /// bounded, so that is an error, not a hang).
    pub async fn begin(&self) -> Result<Tx, sqlx::Error> {
        Ok(match self {
            Db::Sqlite(_, writer) => Tx::Sqlite(writer.begin_with("BEGIN IMMEDIATE").await?),
            Db::Postgres(p) => Tx::Postgres(p.begin().await?),
        })
    }

    /// Applies every migration of this backend's tree that is not applied yet.
    pub async fn migrate(&self) -> Result<(), sqlx::migrate::MigrateError> {
        match self {
            Db::Sqlite(p, _) => sqlx::migrate!("./migrations/sqlite").run(p).await,
            Db::Postgres(p) => sqlx::migrate!("./migrations/postgres").run(p).await,
        }
    }

    /// True when the database answers and every migration this binary knows has been applied successfully.
    pub async fn is_ready(&self) -> bool {
        let known: Vec<i64> = match self {
            Db::Sqlite(..) => sqlx::migrate!("./migrations/sqlite").iter().map(|m| m.version).collect(),
            Db::Postgres(_) => sqlx::migrate!("./migrations/postgres").iter().map(|m| m.version).collect(),
        };
        let sql = "SELECT version FROM _sqlx_migrations WHERE success = TRUE";
        let applied: Result<Vec<(i64,)>, sqlx::Error> = db_run!(self, p => sqlx::query_as(sql).fetch_all(p).await);
        match applied {
            Ok(rows) => known.iter().all(|v| rows.iter().any(|(a,)| a == v)),
            Err(_) => false,
        }
    }

    pub async fn close(&self) {
        if let Db::Sqlite(_, writer) = self {
            writer.close().await;
        }
        db_run!(self, p => p.close().await)
    }
}

impl Tx {
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        match self {
            Tx::Sqlite(t) => t.commit().await,
            Tx::Postgres(t) => t.commit().await,
        }
    }
}

/// True when the error is a violated UNIQUE or PRIMARY KEY constraint, on either backend.
pub fn is_unique_violation(err: &sqlx::Error) -> bool {
    matches!(err, sqlx::Error::Database(e) if e.is_unique_violation())
}

/// The outcome of an insert that a uniqueness constraint may refuse: `Some(id)` when it happened, `None` when the
/// row already existed. The database decides, never a check-then-insert.
pub fn inserted_unless_duplicate(result: Result<(), sqlx::Error>, id: String) -> Result<Option<String>, sqlx::Error> {
    match result {
        Ok(()) => Ok(Some(id)),
        Err(e) if is_unique_violation(&e) => Ok(None),
        Err(e) => Err(e),
    }
}

/// A `LIKE … ESCAPE '\'` pattern matching `text` anywhere, lower-cased, with `%`, `_` and `\` taken literally.
pub fn like_contains(text: &str) -> String {
    let mut pattern = String::from("%");
    for c in text.trim().to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// A new UUIDv7 as a string: sortable by creation time, mergeable across instances.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// The same UUID for the same key every time (RFC 9562 version 8 over SHA-256), so re-importing a source updates
/// its rows instead of adding copies.
pub fn stable_id(key: &str) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(key.as_bytes());
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Uuid::new_v8(bytes).to_string()
}

#[cfg(test)]
mod tests {
    use super::like_contains;

    #[test]
    fn like_patterns_take_wildcards_literally() {
        assert_eq!(like_contains(" Kim "), "%kim%");
        assert_eq!(like_contains("50%_off\\"), "%50\\%\\_off\\\\%");
    }
}
