//! Where a request reads: the read replica when one is configured and has caught up with what this visitor wrote,
//! else the primary.
//!
//! After a request that may have written (anything but GET and HEAD), the primary's WAL position goes into a
//! cookie. A later GET reads from the replica only once the replica has replayed past that position, and then the
//! cookie is dropped; until then it reads from the primary. The cookie travels with the visitor, so this holds
//! across several processes behind a load balancer, signed in or not. A forged position can only send the
//! visitor's own reads to the primary.

use axum::extract::{FromRequestParts, Request, State};
use axum::http::Method;
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::Response;
use axum_extra::extract::cookie::CookieJar;

use crate::app::AppState;
use crate::auth::session::{cookie, set_cookie};
use crate::db::Db;
use crate::db::replica::{parse_lsn, primary_position};

pub const WRITTEN_COOKIE: &str = "dolbom_written";
/// A replica this far behind is broken, not lagging; the cookie need not outlive it.
const WRITTEN_COOKIE_SECS: i64 = 3_600;

/// The database a read-only page reads from (the extension [`route`] leaves; the primary without one).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReadFrom {
    Replica,
    Primary,
}

/// The database this request's reads go to. Take it in handlers of read-only pages; write with `state.db`.
pub struct Reads(pub Db);

impl FromRequestParts<AppState> for Reads {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let db = match (&state.replica, parts.extensions.get::<ReadFrom>()) {
            (Some(replica), Some(ReadFrom::Replica)) => replica.db.clone(),
            _ => state.db.clone(),
        };
        Ok(Reads(db))
    }
}

/// The middleware: decides where a GET reads, and remembers where the primary stood after anything else.
pub async fn route(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let Some(replica) = &state.replica else { return next.run(request).await };
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        let mut response = next.run(request).await;
        match primary_position(&state.db).await {
            Ok(Some(position)) => {
                let value = format!("{:X}/{:X}", position >> 32, position & 0xFFFF_FFFF);
                set_cookie(&mut response, cookie(&state, WRITTEN_COOKIE, value, Some(WRITTEN_COOKIE_SECS)));
            }
            Ok(None) => {}
            // Without the position this visitor's next pages might read stale: send them to the primary.
            Err(e) => {
                tracing::warn!(error = %e, "could not read the primary's WAL position");
                let value = "FFFFFFFF/FFFFFFFF".to_string();
                set_cookie(&mut response, cookie(&state, WRITTEN_COOKIE, value, Some(WRITTEN_COOKIE_SECS)));
            }
        }
        return response;
    }
    let written = CookieJar::from_headers(request.headers()).get(WRITTEN_COOKIE).map(|c| parse_lsn(c.value()));
    let (from, forget) = match written {
        None if replica.is_answering() => (ReadFrom::Replica, false),
        None => (ReadFrom::Primary, false),
        Some(Some(position)) if replica.has_replayed(position) => (ReadFrom::Replica, true),
        Some(Some(_)) => (ReadFrom::Primary, false),
        Some(None) => (ReadFrom::Primary, true),
    };
    request.extensions_mut().insert(from);
    let mut response = next.run(request).await;
    if forget {
        set_cookie(&mut response, cookie(&state, WRITTEN_COOKIE, String::new(), Some(0)));
    }
    response
}
