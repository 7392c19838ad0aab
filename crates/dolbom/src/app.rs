//! Application state and router assembly.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;

use axum::Router;
use axum::http::HeaderName;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use tower_http::LatencyUnit;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer};
use tower_http::trace::{DefaultOnFailure, DefaultOnResponse, TraceLayer};
use tracing::Level;

use crate::areas::Areas;
use crate::config::Config;
use crate::db::Db;
use crate::directory::search::SearchIndex;
use crate::directory::sync::{self, SyncError, Tail};
use crate::keys::Keys;
use crate::places::index::{PlaceIndex, Projection};
use crate::{auth, routes, web};

#[derive(Clone)]
pub struct AppState(Arc<Inner>);

/// The in-memory copies a process keeps of the database, each with its place in the change log.
pub struct Indexes {
    pub areas: Arc<Areas>,
    pub search: SearchIndex,
    pub search_tail: Tail,
    pub places: PlaceIndex,
    pub places_tail: Tail,
}

impl Indexes {
    /// Builds every index from the database as it is now.
    pub async fn build(db: &Db, municipality: &str) -> Result<Indexes, SyncError> {
        let areas = Arc::new(Areas::embedded(municipality));
        let (search, search_tail) = sync::build(db, municipality).await?;
        let (lat, lon) = areas.center();
        let places = PlaceIndex::new(Projection::around(lat, lon));
        let places_tail = crate::places::sync::build(db, municipality, &places).await?;
        Ok(Indexes { areas, search, search_tail, places, places_tail })
    }
}

pub struct Inner {
    /// The primary: every write, and reads that must see them at once.
    pub db: Db,
    /// A streaming replica for read-only pages (see [`crate::web::reads`]).
    pub replica: Option<crate::db::replica::Replica>,
    pub config: Config,
    pub keys: Keys,
    /// Where notification e-mail goes (the configured SMTP server, or the log).
    pub mailer: crate::notify::Mailer,
    pub areas: Arc<Areas>,
    /// The directory's search index and where it stands in the change log.
    pub search: SearchIndex,
    search_tail: tokio::sync::Mutex<Tail>,
    /// Facilities and groups by place, and where that index stands in the change log.
    pub places: PlaceIndex,
    places_tail: tokio::sync::Mutex<Tail>,
    /// The map's 행정동 boundaries as drawn, made on the first visit to the map.
    pub map_outlines: std::sync::OnceLock<crate::places::map::Outlines>,
    /// The residents as record linkage knows them, for the duplicate check at intake (built on first use).
    pub people_index: crate::people::intake::PeopleIndex,
    /// Attempts that cost a password hash (log-in, sign-up) per client network, per minute.
    credential_limiter: DefaultKeyedRateLimiter<IpAddr>,
}

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl AppState {
    pub fn new(db: Db, config: Config, keys: Keys, indexes: Indexes) -> Result<Self, crate::notify::mail::MailError> {
        Self::with_replica(db, None, config, keys, indexes)
    }

    pub fn with_replica(
        db: Db,
        replica: Option<Db>,
        config: Config,
        keys: Keys,
        indexes: Indexes,
    ) -> Result<Self, crate::notify::mail::MailError> {
        let mailer = crate::notify::Mailer::from_config(&config)?;
        let per_minute = NonZeroU32::new(config.login_per_minute.max(1)).unwrap_or(NonZeroU32::MIN);
        Ok(AppState(Arc::new(Inner {
            db,
            replica: replica.map(crate::db::replica::Replica::new),
            config,
            keys,
            mailer,
            areas: indexes.areas,
            search: indexes.search,
            search_tail: tokio::sync::Mutex::new(indexes.search_tail),
            places: indexes.places,
            places_tail: tokio::sync::Mutex::new(indexes.places_tail),
            map_outlines: Default::default(),
            people_index: Default::default(),
            credential_limiter: RateLimiter::keyed(Quota::per_minute(per_minute)),
        })))
    }

    pub fn municipality(&self) -> &str {
        &self.config.municipality
    }

    /// Takes one credential attempt (log-in or sign-up) for the client at `ip`; false when over the limit.
    /// IPv6 clients are counted per /64, the block one household or phone usually gets.
    pub fn allow_credential_attempt(&self, ip: &str) -> bool {
        self.credential_limiter.check_key(&client_network(ip)).is_ok()
    }

    /// Brings the search index up to date with the change log (every process runs this every half second).
    pub async fn sync_search(&self) -> Result<usize, SyncError> {
        let mut tail = self.search_tail.lock().await;
        sync::catch_up(&self.db, self.municipality(), &self.search, &mut tail).await
    }

    /// Brings the geo index of places up to date with the change log (every half second, with the search).
    pub async fn sync_places(&self) -> Result<usize, sqlx::Error> {
        let mut tail = self.places_tail.lock().await;
        crate::places::sync::catch_up(&self.db, self.municipality(), &self.places, &mut tail).await
    }

    /// Forgets clients whose limits have fully recovered, so the table does not grow with every address seen.
    pub fn forget_idle_clients(&self) {
        self.credential_limiter.retain_recent();
        self.credential_limiter.shrink_to_fit();
    }
}

/// The unit a rate limit counts: an IPv4 address, or an IPv6 /64.
fn client_network(ip: &str) -> IpAddr {
    match ip.parse::<IpAddr>() {
        Ok(IpAddr::V6(v6)) => IpAddr::V6((u128::from(v6) & (u128::MAX << 64)).into()),
        Ok(v4) => v4,
        Err(_) => IpAddr::from([0, 0, 0, 0]),
    }
}

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Request ids are UUIDs from the thread's userspace generator: unique enough to follow a request through the
/// logs, without a system call per request as `MakeRequestUuid` makes.
#[derive(Clone, Copy)]
struct FastRequestId;

impl MakeRequestId for FastRequestId {
    fn make_request_id<B>(&mut self, _: &axum::http::Request<B>) -> Option<RequestId> {
        let id = uuid::Builder::from_random_bytes(rand::random()).into_uuid();
        axum::http::HeaderValue::from_str(&id.to_string()).ok().map(RequestId::new)
    }
}

/// The whole application: the route table, then (inside out) panic catching, the session, error pages (which read
/// the visitor's language off the response), the request span and the request id.
pub fn router(state: AppState) -> Router {
    let tls = state.config.cookie_secure;
    let app = routes::build()
        .fallback(web::pages::not_found)
        .layer(CatchPanicLayer::new())
        .layer(axum::middleware::from_fn_with_state(state.clone(), web::reads::route))
        .layer(axum::middleware::from_fn_with_state(state.clone(), auth::session::attach))
        .layer(axum::middleware::from_fn(web::errors::render))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|request: &axum::http::Request<_>| {
                    let id = request.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("-");
                    tracing::info_span!("request", method = %request.method(), path = %request.uri().path(), request_id = %id)
                })
                .on_response(DefaultOnResponse::new().level(Level::INFO).latency_unit(LatencyUnit::Micros))
                .on_failure(DefaultOnFailure::new().level(Level::ERROR)),
        )
        ;
    web::headers::apply(app, tls)
        // Residents on a cheap phone and a slow network get pages brotli- or gzip-compressed (issue #12: under
        // 100 KB over the wire). The default predicate leaves images, tiny bodies and event streams alone.
        .layer(tower_http::compression::CompressionLayer::new())
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(SetRequestIdLayer::new(REQUEST_ID, FastRequestId))
        .with_state(state)
}

#[cfg(test)]
mod tests {
    use super::client_network;

    #[test]
    fn ipv6_clients_are_counted_per_64() {
        assert_eq!(client_network("2001:db8:1:2:aaaa::1"), client_network("2001:db8:1:2:ffff::9"));
        assert_ne!(client_network("2001:db8:1:2::1"), client_network("2001:db8:1:3::1"));
        assert_eq!(client_network("203.0.113.7").to_string(), "203.0.113.7");
        assert_eq!(client_network("garbage").to_string(), "0.0.0.0");
    }
}
