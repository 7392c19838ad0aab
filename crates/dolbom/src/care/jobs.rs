//! The care flow's background work, once a minute and exactly once across processes (a job per minute, its
//! minute the dedupe key): offers past their deadline go to the next best, applications left waiting (a process
//! stopped between storing and matching) are matched, waitlist places not answered in time go to the next child,
//! freed community-space slots are offered to those waiting, stalled referrals between agencies are reminded, and
//! the outbox's e-mail is sent.

use std::sync::Arc;

use super::flow;
use crate::app::AppState;
use crate::db::Db;
use crate::db::time::now_millis;
use crate::jobs::{self, Handler, NewJob};
use crate::notify;
use crate::waitlist;
use crate::waitlist::rules_store;

pub const CARE_TICK: &str = "care_tick";

pub fn handler(state: AppState) -> Handler {
    Arc::new(move |db, _job| {
        let state = state.clone();
        Box::pin(async move {
            // The next tick is set first, so a failing tick never stops the ones after it.
            schedule(&db).await.map_err(|e| e.to_string())?;
            let moved = flow::expire_overdue(&state).await.map_err(|e| e.to_string())?;
            let matched = flow::match_waiting(&state).await.map_err(|e| e.to_string())?;
            let rules = rules_store::rules(&db, state.municipality()).await.map_err(|e| e.to_string())?;
            let expired = waitlist::offers::expire_overdue(&state, &rules).await.map_err(|e| e.to_string())?;
            let now_local = crate::db::time::seoul_local(crate::db::time::now_millis());
            let offered =
                crate::spaces::waits::tick(&db, state.municipality(), now_local).await.map_err(|e| e.to_string())?;
            let reminded =
                crate::people::referrals::remind_stalled(&db, state.municipality()).await.map_err(|e| e.to_string())?;
            let mail = notify::deliver_outbox(&db, &state.mailer, &state.config.public_url, 500)
                .await
                .map_err(|e| e.to_string())?;
            let sent = mail.sent;
            if moved + matched + expired + offered + reminded + sent + mail.failed > 0 {
                tracing::info!(moved, matched, expired, offered, reminded, sent, failed = mail.failed, "care tick");
            }
            Ok(())
        })
    })
}

/// Enqueues the next minute's tick once, however many processes ask.
pub async fn schedule(db: &Db) -> Result<(), sqlx::Error> {
    let minute = now_millis() / 60_000 + 1;
    let job = NewJob {
        run_at: minute * 60_000,
        dedupe_key: Some(format!("{CARE_TICK}:{minute}")),
        ..NewJob::now(CARE_TICK, serde_json::json!({}))
    };
    jobs::enqueue(db, job).await.map(|_| ())
}
