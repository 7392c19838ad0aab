//! Live availability: a space's open week page listens to `/spaces/{id}/live?week=` and redraws its grid when the
//! week's taken slots change. Each listener reads the week from the database once a second, so a booking made
//! through any process shows within a second or two, and a booking writes nothing extra to be seen.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::{Path, Query, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::Stream;
use serde::Deserialize;

use super::rules::week_start;
use super::store;
use crate::app::AppState;
use crate::cases::model::date;
use crate::db::Db;
use crate::db::time::{Millis, now_millis, seoul_day_start, seoul_today};
use crate::error::{AppError, AppResult};

const EVERY: Duration = Duration::from_secs(1);

#[derive(Deserialize, Default)]
pub struct LiveQuery {
    #[serde(default)]
    week: String,
}

struct Watch {
    db: Db,
    space_id: String,
    from: Millis,
    last: Vec<(Millis, String)>,
}

impl Watch {
    async fn taken(&self) -> Option<Vec<(Millis, String)>> {
        store::taken(&self.db, &self.space_id, self.from, self.from + 7 * 86_400_000, now_millis()).await.ok()
    }
}

/// `GET /spaces/{id}/live?week=`: an event `changed` whenever the week's taken slots differ from the last look.
pub async fn live(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<LiveQuery>,
) -> AppResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    let space = store::get(&state.db, state.municipality(), &id).await?.ok_or(AppError::NotFound)?;
    let monday = week_start(date(&q.week).unwrap_or_else(seoul_today));
    let mut watch = Watch { db: state.db.clone(), space_id: space.id, from: seoul_day_start(monday), last: Vec::new() };
    watch.last = watch.taken().await.unwrap_or_default();
    let stream = futures_util::stream::unfold(watch, |mut watch| async move {
        loop {
            tokio::time::sleep(EVERY).await;
            // A database that does not answer ends the stream; the browser's EventSource reconnects by itself.
            let now = watch.taken().await?;
            if now != watch.last {
                watch.last = now;
                return Some((Ok(Event::default().event("changed").data(watch.last.len().to_string())), watch));
            }
        }
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::default()))
}
