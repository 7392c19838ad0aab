//! Test harness: the real server on a random port, against a fresh database per test, on SQLite and PostgreSQL.

use std::future::Future;
use std::time::{SystemTime, UNIX_EPOCH};

use dolbom::app::AppState;
use dolbom::auth::{Role, accounts, admin_store};
use dolbom::config::Config;
use dolbom::i18n::Locale;
use reqwest::redirect::Policy;
use reqwest::{Client, Response};
use sqlx::Connection;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub const PASSWORD: &str = "correct horse battery";

fn pg_admin_url() -> String {
    std::env::var("DOLBOM_TEST_PG_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

pub(crate) fn must_run_postgres() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// A fresh, empty database for one test; dropped by [`TestDb::drop_now`].
pub struct TestDb {
    pub url: String,
    pg_name: Option<String>,
    _dir: Option<tempfile::TempDir>,
}

impl TestDb {
    pub async fn create(backend: Backend) -> Option<TestDb> {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!("sqlite://{}", dir.path().join("dolbom.db").display());
                Some(TestDb { url, pg_name: None, _dir: Some(dir) })
            }
            Backend::Postgres => {
                let mut admin = match sqlx::PgConnection::connect(&pg_admin_url()).await {
                    Ok(c) => c,
                    Err(e) if !must_run_postgres() => {
                        eprintln!("PostgreSQL unreachable ({e}); skipping (CI=true makes this a failure)");
                        return None;
                    }
                    Err(e) => panic!("PostgreSQL must be reachable at {} when CI=true: {e}", pg_admin_url()),
                };
                let stamp = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
                sweep_stale(&mut admin, stamp).await;
                let name = format!("dolbom_test_{stamp}_{}", uuid::Uuid::new_v4().simple());
                sqlx::query(&format!("CREATE DATABASE {name}"))
                    .execute(&mut admin)
                    .await
                    .expect("create test database");
                let base = pg_admin_url();
                let url = format!("{}/{name}", base.rsplit_once('/').map(|(b, _)| b).unwrap_or(&base));
                Some(TestDb { url, pg_name: Some(name), _dir: None })
            }
        }
    }

    pub async fn drop_now(&self) {
        if let Some(name) = &self.pg_name
            && let Ok(mut admin) = sqlx::PgConnection::connect(&pg_admin_url()).await
        {
            let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut admin).await;
        }
    }
}

/// Drops test databases left by runs that died more than an hour ago.
async fn sweep_stale(admin: &mut sqlx::PgConnection, now: u64) {
    let rows: Vec<(String,)> = sqlx::query_as("SELECT datname FROM pg_database WHERE datname LIKE 'dolbom_test_%'")
        .fetch_all(&mut *admin)
        .await
        .unwrap_or_default();
    for (name,) in rows {
        let stamp = name.split('_').nth(2).and_then(|s| s.parse::<u64>().ok()).unwrap_or(now);
        if now.saturating_sub(stamp) > 3600 {
            let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut *admin).await;
        }
    }
}

pub struct TestApp {
    pub base: String,
    pub state: AppState,
    backend: Backend,
    stop: Option<oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<()>>,
}

impl TestApp {
    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub async fn spawn(config: Config, backend: Backend) -> TestApp {
        let state = dolbom::server::prepare(&config).await.expect("prepare app");
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let (stop, stopped) = oneshot::channel::<()>();
        let serve_state = state.clone();
        let server = tokio::spawn(async move {
            let shutdown = async move {
                let _ = stopped.await;
            };
            dolbom::server::serve(serve_state, listener, false, shutdown).await.expect("serve");
        });
        TestApp { base, state, backend, stop: Some(stop), server: Some(server) }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A browser: its own cookie jar, redirects not followed so tests see them. No connection reuse, so a
    /// connection the server closed (after refusing an oversize body) cannot fail the next request.
    pub fn browser(&self) -> Client {
        Client::builder().cookie_store(true).redirect(Policy::none()).pool_max_idle_per_host(0).build().expect("client")
    }

    pub async fn get(&self, client: &Client, path: &str) -> Response {
        client.get(self.url(path)).send().await.expect("GET")
    }

    pub async fn post_form(&self, client: &Client, path: &str, form: &[(&str, &str)]) -> Response {
        client.post(self.url(path)).form(form).send().await.expect("POST")
    }

    /// The CSRF token the page at `path` embeds for this browser.
    pub async fn csrf(&self, client: &Client, path: &str) -> String {
        let html = self.get(client, path).await.text().await.expect("body");
        csrf_in(&html).unwrap_or_else(|| panic!("no csrf field on {path}"))
    }

    /// Posts a form with this browser's CSRF token added.
    pub async fn submit(&self, client: &Client, form_page: &str, action: &str, fields: &[(&str, &str)]) -> Response {
        let token = self.csrf(client, form_page).await;
        let mut all = vec![("csrf", token.as_str())];
        all.extend_from_slice(fields);
        self.post_form(client, action, &all).await
    }

    pub async fn login(&self, client: &Client, email: &str, password: &str) -> Response {
        self.submit(client, "/login", "/login", &[("email", email), ("password", password)]).await
    }

    /// An account made directly (as an admin would), with optional organization and 행정동s.
    pub async fn account(&self, role: Role, email: &str, areas: &[&str]) -> String {
        let org = if role.is_staff() {
            let name = format!("기관 {email}");
            admin_store::create_organization(&self.state.db, self.state.municipality(), &name, "government")
                .await
                .expect("org")
        } else {
            None
        };
        let id = accounts::create(
            &self.state.db,
            self.state.municipality(),
            email,
            "테스트",
            PASSWORD,
            role,
            org.as_deref(),
            Locale::Ko,
        )
        .await
        .expect("account");
        let areas: Vec<String> = areas.iter().map(|a| a.to_string()).collect();
        admin_store::replace_areas(&self.state.db, &id, &areas).await.expect("areas");
        id
    }

    /// The organization an account belongs to.
    pub async fn organization_of(&self, user_id: &str) -> String {
        let sql = "SELECT organization_id FROM users WHERE id = $1";
        let (org,): (Option<String>,) =
            dolbom::db_run!(&self.state.db, p => sqlx::query_as(sql).bind(user_id).fetch_one(p).await).unwrap();
        org.unwrap()
    }

    /// A browser signed in as a new account with `role`.
    pub async fn signed_in(&self, role: Role, areas: &[&str]) -> Client {
        let email = format!("{}-{}@test.kr", role.as_str(), uuid::Uuid::new_v4().simple());
        self.account(role, &email, areas).await;
        let client = self.browser();
        let response = self.login(&client, &email, PASSWORD).await;
        assert_eq!(response.status(), 303, "log-in as {role} should redirect");
        client
    }
}

pub fn csrf_in(html: &str) -> Option<String> {
    let at = html.find("name=\"csrf\" value=\"")?;
    let rest = &html[at + "name=\"csrf\" value=\"".len()..];
    Some(rest[..rest.find('"')?].to_string())
}

/// Runs `body` against a fresh app on `backend`, then tears everything down even if the body panicked.
pub async fn run<F, Fut>(backend: Backend, body: F)
where
    F: FnOnce(TestApp) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    run_with(backend, |c| c, body).await
}

/// Like [`run`], with the test's configuration adjusted first.
pub async fn run_with<C, F, Fut>(backend: Backend, adjust: C, body: F)
where
    C: FnOnce(Config) -> Config,
    F: FnOnce(TestApp) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let Some(db) = TestDb::create(backend).await else { return };
    let config = adjust(Config::for_database(&db.url));
    let app = TestApp::spawn(config, backend).await;
    let state = app.state.clone();
    let outcome = tokio::spawn(async move {
        let mut app = app;
        let stop = app.stop.take();
        let server = app.server.take();
        body(app).await;
        (stop, server)
    })
    .await;
    match outcome {
        Ok((stop, server)) => {
            if let Some(stop) = stop {
                let _ = stop.send(());
            }
            if let Some(server) = server {
                let _ = server.await;
            }
            state.db.close().await;
            db.drop_now().await;
        }
        Err(panic) => {
            state.db.close().await;
            db.drop_now().await;
            std::panic::resume_unwind(panic.into_panic());
        }
    }
}

/// Declares one test per backend: `both!(name, |app| async move { … })`.
#[macro_export]
macro_rules! both {
    ($name:ident, $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                $crate::support::run($crate::support::Backend::Sqlite, $body).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                $crate::support::run($crate::support::Backend::Postgres, $body).await;
            }
        }
    };
}
