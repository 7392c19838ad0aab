//! The care flow's background work, once a minute and exactly once across processes (a job per minute, its
//! minute the dedupe key): offers past their deadline go to the next best, applications left waiting (a process
//! stopped between storing and matching) are matched, waitlist places not answered in time go to the next child,
//! freed community-space slots are offered to those waiting, stalled referrals between agencies are reminded, and the outbox is handed to the delivery adapter.

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
            let sent = notify::deliver_outbox(&db, 500, log_delivery).await.map_err(|e| e.to_string())?;
            if moved + matched + expired + offered + reminded + sent > 0 {
                tracing::info!(moved, matched, expired, offered, reminded, sent, "care tick");
            }
            Ok(())
        })
    })
}

/// The delivery adapter of the demo and of tests: each SMS or e-mail is written to the log, nothing leaves.
fn log_delivery(message: &notify::store::Outgoing) -> Result<(), String> {
    tracing::info!(
        channel = %message.channel,
        user = %message.user_id,
        message = %message.message,
        args = %message.args,
        "outbox: delivered by the logging adapter"
    );
    Ok(())
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
