//! Start-up and serving: open the database, migrate, resolve the secret, serve until SIGTERM, run jobs.

use std::future::Future;
use std::net::SocketAddr;

use anyhow::Context;
use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::app::{AppState, router};
use crate::config::Config;
use crate::db::time::now_millis;
use crate::db::{self, Db};
use crate::jobs::{self, NewJob, Runner, kinds};
use crate::keys::{Keys, random_token};
use crate::{auth, db_run};

/// Opens and migrates the database and builds the state every request shares.
pub async fn prepare(config: &Config) -> anyhow::Result<AppState> {
    let db =
        db::connect(&config.database_url).await.with_context(|| format!("opening {}", redact(&config.database_url)))?;
    db.migrate().await.context("applying migrations")?;
    let secret = match &config.secret {
        Some(s) => s.clone(),
        None => stored_secret(&db).await?,
    };
    let keys = Keys::from_secret(&secret)?;
    Ok(AppState::new(db, config.clone(), keys))
}

/// The secret kept in the settings table, made on first start. Processes sharing one database share it.
async fn stored_secret(db: &Db) -> anyhow::Result<String> {
    let insert = "INSERT INTO settings (key, value) VALUES ('secret', $1) ON CONFLICT (key) DO NOTHING";
    let candidate = format!("{}{}", random_token(), random_token());
    db_run!(db, p => sqlx::query(insert).bind(&candidate).execute(p).await.map(|_| ()))?;
    let select = "SELECT value FROM settings WHERE key = 'secret'";
    let (secret,): (String,) = db_run!(db, p => sqlx::query_as(select).fetch_one(p).await)?;
    tracing::warn!("DOLBOM_SECRET is not set: using the secret stored in the database; set it in production");
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
        let runner = job_runner(state.db.clone());
        schedule_housekeeping(&state.db).await?;
        Some(tokio::spawn(runner.run(stop_rx)))
    } else {
        None
    };
    let app = router(state.clone()).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(async move {
            shutdown.await;
            let _ = stop_tx.send(true);
        })
        .await?;
    if let Some(runner) = runner {
        let _ = runner.await;
    }
    state.db.close().await;
    Ok(())
}

fn job_runner(db: Db) -> Runner {
    Runner::new(db).handle(
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
}

/// Enqueues the next hourly session clean-up once, however many processes ask (the hour is the dedupe key).
async fn schedule_housekeeping(db: &Db) -> Result<(), sqlx::Error> {
    let hour = now_millis() / 3_600_000 + 1;
    let job = NewJob {
        run_at: hour * 3_600_000,
        dedupe_key: Some(format!("{}:{hour}", kinds::SESSION_CLEANUP)),
        ..NewJob::now(kinds::SESSION_CLEANUP, serde_json::json!({}))
    };
    jobs::enqueue(db, job).await.map(|_| ())
}

/// Completes on SIGTERM or Ctrl-C.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
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

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn passwords_in_urls_are_not_logged() {
        assert_eq!(redact("postgres://app:hunter2@db:5432/dolbom"), "postgres://app:***@db:5432/dolbom");
        assert_eq!(redact("sqlite://dolbom.db"), "sqlite://dolbom.db");
    }
}
