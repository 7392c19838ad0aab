use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;

use super::store::{self, Job};
use crate::db::Db;
use crate::db::time::now_millis;

pub type HandlerFuture = Pin<Box<dyn Future<Output = Result<(), String>> + Send>>;

/// Runs one job; `Err` is recorded as the attempt's error and the job is retried after its back-off.
pub type Handler = Arc<dyn Fn(Db, Job) -> HandlerFuture + Send + Sync>;

/// Polls the jobs table and runs due jobs with the handler registered for their kind.
#[derive(Clone)]
pub struct Runner {
    db: Db,
    worker: String,
    handlers: HashMap<String, Handler>,
    idle_poll: Duration,
    lease_millis: i64,
}

impl Runner {
    pub fn new(db: Db) -> Self {
        Runner {
            db,
            worker: format!("worker-{}", uuid::Uuid::new_v4()),
            handlers: HashMap::new(),
            idle_poll: Duration::from_millis(500),
            lease_millis: 5 * 60_000,
        }
    }

    pub fn handle(mut self, kind: &str, handler: Handler) -> Self {
        self.handlers.insert(kind.to_string(), handler);
        self
    }

    pub fn with_idle_poll(mut self, every: Duration) -> Self {
        self.idle_poll = every;
        self
    }

    /// How long a claim holds before another worker may take the job over; renewed while the job runs.
    pub fn with_lease(mut self, lease: Duration) -> Self {
        self.lease_millis = lease.as_millis().max(3) as i64;
        self
    }

    pub fn worker(&self) -> &str {
        &self.worker
    }

    /// Claims and runs one due job. Returns false when nothing was due.
    pub async fn run_once(&self) -> Result<bool, sqlx::Error> {
        let Some(job) = store::claim(&self.db, &self.worker, now_millis(), self.lease_millis).await? else {
            return Ok(false);
        };
        let outcome = match self.handlers.get(&job.kind) {
            Some(handler) => self.supervise(&job, tokio::spawn(handler(self.db.clone(), job.clone()))).await,
            None => Err(format!("no handler for job kind {}", job.kind)),
        };
        match outcome {
            Ok(()) => {
                store::complete(&self.db, &job.id, &self.worker).await?;
            }
            Err(error) => {
                let status = store::fail(&self.db, &job, &self.worker, &error, now_millis()).await?;
                tracing::warn!(job = %job.id, kind = %job.kind, attempts = job.attempts, ?status, %error, "job failed");
            }
        }
        Ok(true)
    }

    /// Waits for a job's task, renewing its lease meanwhile so no other worker takes it over. A panic in the
    /// handler is the attempt's failure, not the runner's end.
    async fn supervise(&self, job: &Job, mut task: tokio::task::JoinHandle<Result<(), String>>) -> Result<(), String> {
        let mut renew = tokio::time::interval(std::time::Duration::from_millis((self.lease_millis / 3).max(1) as u64));
        renew.tick().await;
        loop {
            tokio::select! {
                finished = &mut task => {
                    return finished.unwrap_or_else(|e| Err(format!("job handler panicked: {e}")));
                }
                _ = renew.tick() => {
                    let until = now_millis() + self.lease_millis;
                    if let Err(e) = store::renew(&self.db, &job.id, &self.worker, until).await {
                        tracing::warn!(job = %job.id, error = %e, "could not renew the job's lease");
                    }
                }
            }
        }
    }

    /// Runs jobs until `shutdown` turns true; sleeps `idle_poll` whenever nothing is due.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        loop {
            if *shutdown.borrow() {
                return;
            }
            let worked = match self.run_once().await {
                Ok(worked) => worked,
                Err(e) => {
                    tracing::error!(error = %e, "job runner could not reach the database");
                    false
                }
            };
            if !worked {
                tokio::select! {
                    _ = tokio::time::sleep(self.idle_poll) => {}
                    _ = shutdown.changed() => {}
                }
            }
        }
    }
}
