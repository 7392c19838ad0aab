//! Start-up and serving: open the database, migrate, resolve the secret, serve until SIGTERM, run jobs.

use std::future::Future;
use std::net::SocketAddr;
use std::str::FromStr;

use anyhow::Context;
use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::app::{AppState, router};
use crate::config::Config;
use crate::db::time::now_millis;
use crate::db::{self, Backend, Db};
use crate::jobs::{self, NewJob, Runner, kinds};
use crate::keys::{Keys, random_token};
use crate::{auth, db_run};

/// Where the server secret may come from when `DOLBOM_SECRET` is not set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SecretFallback {
    /// A key file beside the SQLite file; PostgreSQL needs `DOLBOM_SECRET`.
    KeyFileOnly,
    /// Also the database's settings table: only for the demo, whose people are synthetic.
    DatabaseForDemo,
}

/// Opens and migrates the database and builds the state every request shares.
pub async fn prepare(config: &Config) -> anyhow::Result<AppState> {
    prepare_with(config, SecretFallback::KeyFileOnly).await
}

pub async fn prepare_with(config: &Config, fallback: SecretFallback) -> anyhow::Result<AppState> {
    anyhow::ensure!(
        config.access_log_retention_days >= crate::audit::store::MIN_RETENTION_DAYS,
        "DOLBOM_ACCESS_LOG_RETENTION_DAYS must be at least {} (two years: 개인정보의 안전성 확보조치 기준 제8조)",
        crate::audit::store::MIN_RETENTION_DAYS
    );
    if config.secret.is_none() && Backend::of_url(&config.database_url) == Backend::Postgres {
        anyhow::ensure!(
            fallback == SecretFallback::DatabaseForDemo,
            "DOLBOM_SECRET is required with PostgreSQL: every process must share it, and it must not live in the \
             database it protects"
        );
    }
    let db =
        db::connect(&config.database_url).await.with_context(|| format!("opening {}", redact(&config.database_url)))?;
    db.migrate().await.context("applying migrations")?;
    let secret = match (&config.secret, &db) {
        (Some(s), _) => s.clone(),
        (None, Db::Sqlite(..)) => key_file_secret(&config.database_url)?,
        (None, Db::Postgres(_)) => stored_secret(&db).await?,
    };
    let keys = Keys::from_secret(&secret)?;
    let indexes =
        crate::app::Indexes::build(&db, &config.municipality).await.context("building the in-memory indexes")?;
    let replica = match &config.read_replica_url {
        Some(url) => Some(connect_replica(&db, url).await?),
        None => None,
    };
    Ok(AppState::with_replica(db, replica, config.clone(), keys, indexes)?)
}

/// Opens the read replica; only a PostgreSQL primary can have one.
async fn connect_replica(primary: &Db, url: &str) -> anyhow::Result<Db> {
    anyhow::ensure!(
        primary.backend() == Backend::Postgres && Backend::of_url(url) == Backend::Postgres,
        "--read-replica-url needs PostgreSQL for both the database and the replica"
    );
    db::connect(url).await.with_context(|| format!("opening the read replica {}", redact(url)))
}

/// The secret of an SQLite instance: a file beside the database (`dolbom.db.key`, mode 0600), made on first
/// start. A copy of the database alone cannot open the sealed 주민등록번호s.
fn key_file_secret(database_url: &str) -> anyhow::Result<String> {
    use std::io::Write;
    let options = sqlx::sqlite::SqliteConnectOptions::from_str(database_url)?;
    let db_path = options.get_filename();
    if db_path.as_os_str().is_empty() || db_path == std::path::Path::new(":memory:") {
        return Ok(format!("{}{}", random_token(), random_token()));
    }
    let key_path = std::path::PathBuf::from(format!("{}.key", db_path.display()));
    let mut open = std::fs::OpenOptions::new();
    open.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut open, 0o600);
    match open.open(&key_path) {
        Ok(mut file) => {
            let secret = format!("{}{}", random_token(), random_token());
            file.write_all(secret.as_bytes()).with_context(|| format!("writing {}", key_path.display()))?;
            tracing::warn!(path = %key_path.display(), "made a new server secret; back it up apart from the database");
            Ok(secret)
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            let secret =
                std::fs::read_to_string(&key_path).with_context(|| format!("reading {}", key_path.display()))?;
            Ok(secret.trim().to_string())
        }
        Err(e) => Err(e).with_context(|| format!("creating {}", key_path.display())),
    }
}

/// The demo's secret, kept in the settings table, made on first start. Processes sharing one database share it.
async fn stored_secret(db: &Db) -> anyhow::Result<String> {
    let insert = "INSERT INTO settings (key, value) VALUES ('secret', $1) ON CONFLICT (key) DO NOTHING";
    let candidate = format!("{}{}", random_token(), random_token());
    db_run!(db, p => sqlx::query(insert).bind(&candidate).execute(p).await.map(|_| ()))?;
    let select = "SELECT value FROM settings WHERE key = 'secret'";
    let (secret,): (String,) = db_run!(db, p => sqlx::query_as(select).fetch_one(p).await)?;
    tracing::warn!(
        "DOLBOM_SECRET is not set: the demo keeps its secret in the database; never do this with real people"
    );
    Ok(secret)
}

fn redact(url: &str) -> String {
    match url.split_once('@') {
        Some((scheme_user, host)) => {
            format!("{}:***@{host}", scheme_user.split(':').take(2).collect::<Vec<_>>().join(":"))
        }
        None => url.to_string(),
    }
}

/// Serves until `shutdown` completes, then finishes in-flight requests. With `run_jobs`, a job runner works beside.
pub async fn serve(
    state: AppState,
    listener: TcpListener,
    run_jobs: bool,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let (stop_tx, stop_rx) = watch::channel(false);
    let runner = if run_jobs {
        let runner = job_runner(state.db.clone(), state.config.access_log_retention_days)
            .handle(crate::care::jobs::CARE_TICK, crate::care::jobs::handler(state.clone()));
        schedule_housekeeping(&state.db).await?;
        crate::care::jobs::schedule(&state.db).await?;
        Some(tokio::spawn(runner.run(stop_rx)))
    } else {
        None
    };
    let housekeeping = tokio::spawn(forget_idle_clients(state.clone()));
    let search_sync = tokio::spawn(keep_indexes_current(state.clone()));
    let replica_watch = {
        let state = state.clone();
        tokio::spawn(async move {
            if let Some(replica) = &state.replica {
                replica.watch().await;
            }
        })
    };
    let app = router(state.clone()).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(async move {
            shutdown.await;
            let _ = stop_tx.send(true);
        })
        .await?;
    housekeeping.abort();
    search_sync.abort();
    replica_watch.abort();
    if let Some(runner) = runner {
        let _ = runner.await;
    }
    state.db.close().await;
    if let Some(replica) = &state.replica {
        replica.db.close().await;
    }
    Ok(())
}

/// Tails the change log into the search and places indexes.
async fn keep_indexes_current(state: AppState) {
    let mut every = tokio::time::interval(std::time::Duration::from_millis(500));
    loop {
        every.tick().await;
        if let Err(e) = state.sync_search().await {
            tracing::warn!(error = %e, "could not bring the search index up to date");
        }
        if let Err(e) = state.sync_places().await {
            tracing::warn!(error = %e, "could not bring the places index up to date");
        }
    }
}

/// Every five minutes, drop rate-limit entries of clients that have been quiet.
async fn forget_idle_clients(state: AppState) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(300));
    loop {
        every.tick().await;
        state.forget_idle_clients();
    }
}

fn job_runner(db: Db, access_log_retention_days: u32) -> Runner {
    Runner::new(db)
        .handle(
            kinds::SESSION_CLEANUP,
            std::sync::Arc::new(|db, _job| {
                Box::pin(async move {
                    let removed =
                        auth::store::delete_expired_sessions(&db, now_millis()).await.map_err(|e| e.to_string())?;
                    tracing::info!(removed, "expired sessions removed");
                    schedule_housekeeping(&db).await.map_err(|e| e.to_string())
                })
            }),
        )
        .handle(
            kinds::ACCESS_LOG_PURGE,
            std::sync::Arc::new(move |db, _job| {
                Box::pin(async move {
                    let removed = crate::audit::store::purge_older_than(&db, access_log_retention_days, now_millis())
                        .await
                        .map_err(|e| e.to_string())?;
                    tracing::info!(
                        removed,
                        days = access_log_retention_days,
                        "access-log entries past retention deleted"
                    );
                    schedule_housekeeping(&db).await.map_err(|e| e.to_string())
                })
            }),
        )
        .handle(
            kinds::RECORDS_PURGE,
            std::sync::Arc::new(|db, _job| {
                Box::pin(async move {
                    let today = crate::db::time::seoul_today();
                    let purged = crate::mine::retention::purge_expired(&db, today).await.map_err(|e| e.to_string())?;
                    tracing::info!(?purged, "kept records past retention deleted");
                    schedule_housekeeping(&db).await.map_err(|e| e.to_string())
                })
            }),
        )
}

/// Enqueues the next hourly session clean-up and the next daily access-log and kept-records purges once each,
/// however many processes ask (the hour or the day is the dedupe key).
async fn schedule_housekeeping(db: &Db) -> Result<(), sqlx::Error> {
    let daily = 86_400_000;
    for (kind, period) in
        [(kinds::SESSION_CLEANUP, 3_600_000), (kinds::ACCESS_LOG_PURGE, daily), (kinds::RECORDS_PURGE, daily)]
    {
        let next = now_millis() / period + 1;
        let job = NewJob {
            run_at: next * period,
            dedupe_key: Some(format!("{kind}:{next}")),
            ..NewJob::now(kind, serde_json::json!({}))
        };
        jobs::enqueue(db, job).await?;
    }
    Ok(())
}

/// Completes on SIGTERM or Ctrl-C.
///
/// The SIGTERM handler is installed when this is called, not when the future is first awaited: a SIGTERM during
/// start-up (migrations, scheduling jobs) then stops the server gracefully instead of killing the process.
pub fn shutdown_signal() -> impl Future<Output = ()> + Send + 'static {
    #[cfg(unix)]
    let term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
    async move {
        let ctrl_c = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        #[cfg(unix)]
        let term = async move {
            match term {
                Some(mut s) => {
                    s.recv().await;
                }
                None => std::future::pending::<()>().await,
            }
        };
        #[cfg(not(unix))]
        let term = std::future::pending::<()>();
        tokio::select! {
            _ = ctrl_c => {},
            _ = term => {},
        }
        tracing::info!("shutting down: finishing requests in flight");
    }
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn passwords_in_urls_are_not_logged() {
        assert_eq!(redact("postgres://app:hunter2@db:5432/dolbom"), "postgres://app:***@db:5432/dolbom");
        assert_eq!(redact("sqlite://dolbom.db"), "sqlite://dolbom.db");
    }
}
