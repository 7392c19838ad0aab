//! `dolbom backup FILE` and `dolbom restore FILE`. SQLite is copied online with `VACUUM INTO` (a consistent
//! snapshot while the server keeps serving); PostgreSQL goes through `pg_dump --format=custom` and
//! `pg_restore --clean --single-transaction`. A restore replaces everything and wants the server stopped. The key
//! file that encrypts 주민등록번호 is never put in a backup: it is kept (and backed up) apart from the data, so a
//! stolen backup holds no readable number.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::str::FromStr;

use anyhow::{Context, bail};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection};

use crate::db::Backend;

/// Writes a backup of the database at `url` to `file`, which must not exist yet.
pub async fn backup(url: &str, file: &Path) -> anyhow::Result<()> {
    if file.exists() {
        bail!("{}: already exists; a backup never overwrites a file", file.display());
    }
    match Backend::of_url(url) {
        Backend::Sqlite => {
            let mut conn = SqliteConnectOptions::from_str(url)?.read_only(true).connect().await?;
            let target = file.to_str().context("the backup's path is not UTF-8")?;
            sqlx::query("VACUUM INTO $1").bind(target).execute(&mut conn).await.context("VACUUM INTO")?;
            conn.close().await?;
            Ok(())
        }
        Backend::Postgres => {
            run("pg_dump", &["--format=custom", "--no-owner", "--file", &display(file), "--dbname", url])
        }
    }
}

/// Replaces the database at `url` with the backup in `file`, after checking that it is one.
pub async fn restore(url: &str, file: &Path) -> anyhow::Result<()> {
    if !file.is_file() {
        bail!("{}: no such backup", file.display());
    }
    match Backend::of_url(url) {
        Backend::Sqlite => restore_sqlite(url, file).await,
        Backend::Postgres => run(
            "pg_restore",
            &[
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                "--dbname",
                url,
                &display(file),
            ],
        ),
    }
}

/// Checks the backup (a sound SQLite file with dolbom's migrations), then puts a copy in the database's place in
/// one rename, so a crash leaves either the old database or the restored one, never half of either.
async fn restore_sqlite(url: &str, file: &Path) -> anyhow::Result<()> {
    let source = file.to_str().context("the backup's path is not UTF-8")?;
    let mut check = SqliteConnectOptions::new().filename(source).read_only(true).connect().await?;
    let verdict: String = sqlx::query_scalar("PRAGMA integrity_check").fetch_one(&mut check).await?;
    let migrations: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations")
        .fetch_one(&mut check)
        .await
        .with_context(|| format!("{}: not a dolbom database", file.display()))?;
    check.close().await?;
    if verdict != "ok" || migrations == 0 {
        bail!("{}: not a sound dolbom database ({verdict})", file.display());
    }
    let target = SqliteConnectOptions::from_str(url)?.get_filename().to_path_buf();
    let staged = sibling(&target, ".restoring");
    std::fs::copy(file, &staged).with_context(|| format!("copying to {}", staged.display()))?;
    std::fs::File::open(&staged)?.sync_all()?;
    for stale in [sibling(&target, "-wal"), sibling(&target, "-shm")] {
        if stale.exists() {
            std::fs::remove_file(&stale).with_context(|| format!("removing {}", stale.display()))?;
        }
    }
    std::fs::rename(&staged, &target).with_context(|| format!("replacing {}", target.display()))?;
    Ok(())
}

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push(suffix);
    PathBuf::from(name)
}

fn display(path: &Path) -> String {
    path.display().to_string()
}

/// Runs a PostgreSQL client program; its own message on failure.
fn run(program: &str, args: &[&str]) -> anyhow::Result<()> {
    let out = Command::new(program).args(args).output().with_context(|| format!("{program} could not be started"))?;
    if !out.status.success() {
        bail!("{program} failed: {}", String::from_utf8_lossy(&out.stderr).trim());
    }
    Ok(())
}
