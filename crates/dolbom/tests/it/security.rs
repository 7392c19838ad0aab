//! Security on both backends: every answer carries the security headers (a page, an error, an asset, the API),
//! HSTS only when served over TLS; a session ends after 30 minutes without a request and 12 hours after log-in
//! however busy, and each request moves the idle deadline on.

use dolbom::auth::Role;
use dolbom::auth::store::{IDLE_MILLIS, SESSION_MILLIS};
use dolbom::db::time::now_millis;

use crate::both;
use crate::support::{Backend, TestApp, run_with};

async fn headers_of(app: &TestApp, path: &str) -> reqwest::header::HeaderMap {
    app.get(&app.browser(), path).await.headers().clone()
}

both!(every_answer_carries_the_security_headers, |app: TestApp| async move {
    for path in ["/", "/no-such-page", "/static/app.css", "/api/v1/spaces", "/hub"] {
        let h = headers_of(&app, path).await;
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), "{path}: {csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["x-frame-options"], "DENY", "{path}");
        assert_eq!(h["referrer-policy"], "same-origin", "{path}");
        assert!(!h.contains_key("strict-transport-security"), "{path}: no HSTS over plain HTTP");
    }
});

async fn hsts_over_tls(backend: Backend) {
    let tls = |c| dolbom::config::Config { cookie_secure: true, ..c };
    run_with(backend, tls, |app: TestApp| async move {
        let h = headers_of(&app, "/").await;
        assert_eq!(h["strict-transport-security"], "max-age=31536000; includeSubDomains");
    })
    .await;
}

#[tokio::test]
async fn hsts_is_sent_when_served_over_tls_sqlite() {
    hsts_over_tls(Backend::Sqlite).await;
}

#[tokio::test]
async fn hsts_is_sent_when_served_over_tls_postgres() {
    hsts_over_tls(Backend::Postgres).await;
}

/// Moves every session's clock: `idle` is how long since the last request, `age` how long since log-in.
async fn age_sessions(app: &TestApp, idle: i64, age: i64) {
    let now = now_millis();
    let sql = "UPDATE sessions SET expires_at = $1, created_at = $2";
    let (expires, created) = (now - idle + IDLE_MILLIS, now - age);
    dolbom::db_run!(&app.state.db, c => sqlx::query(sql).bind(expires).bind(created).execute(c).await.map(|_| ()))
        .unwrap();
}

async fn signed_in(app: &TestApp, client: &reqwest::Client) -> bool {
    app.get(client, "/account").await.status() == 200
}

both!(sessions_end_when_idle_and_when_old, |app: TestApp| async move {
    let client = app.signed_in(Role::Official, &[]).await;
    assert!(signed_in(&app, &client).await);
    let private = app.get(&client, "/account").await;
    assert_eq!(private.headers()["cache-control"], "no-store", "a signed-in page is never cached");

    // 29 minutes idle is still signed in, and the request moves the deadline a full 30 minutes on.
    age_sessions(&app, 29 * 60_000, 60 * 60_000).await;
    assert!(signed_in(&app, &client).await);
    let sql = "SELECT expires_at FROM sessions";
    let expires: i64 = dolbom::db_run!(&app.state.db, c => sqlx::query_scalar(sql).fetch_one(c).await).unwrap();
    assert!(expires > now_millis() + IDLE_MILLIS - 60_000, "the idle deadline moved on");

    age_sessions(&app, 31 * 60_000, 60 * 60_000).await;
    assert!(!signed_in(&app, &client).await, "31 minutes idle signs out");

    let client = app.signed_in(Role::Resident, &[]).await;
    age_sessions(&app, 60_000, SESSION_MILLIS + 60_000).await;
    assert!(!signed_in(&app, &client).await, "12 hours after log-in signs out, however busy");
});
