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
use crate::keys::Keys;
use crate::{auth, routes, web};

#[derive(Clone)]
pub struct AppState(Arc<Inner>);

pub struct Inner {
    pub db: Db,
    pub config: Config,
    pub keys: Keys,
    pub areas: Arc<Areas>,
    pub login_limiter: DefaultKeyedRateLimiter<IpAddr>,
}

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl AppState {
    pub fn new(db: Db, config: Config, keys: Keys) -> Self {
        let per_minute = NonZeroU32::new(config.login_per_minute.max(1)).unwrap_or(NonZeroU32::MIN);
        let areas = Arc::new(Areas::embedded(&config.municipality));
        AppState(Arc::new(Inner {
            db,
            config,
            keys,
            areas,
            login_limiter: RateLimiter::keyed(Quota::per_minute(per_minute)),
        }))
    }

    pub fn municipality(&self) -> &str {
        &self.config.municipality
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
    routes::build()
        .fallback(web::pages::not_found)
        .layer(CatchPanicLayer::new())
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
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(SetRequestIdLayer::new(REQUEST_ID, FastRequestId))
        .with_state(state)
}
