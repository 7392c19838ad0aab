//! Durability on both backends: `dolbom` is killed with SIGKILL in the middle of a bulk import and of a burst of
//! sign-ups, then started again. Every write acknowledged before the kill is there, nothing is half written (a
//! service without its phone), and the interrupted import, run again, completes.

use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::cli::{Server, dolbom};
use crate::support::{Backend, TestDb, csrf_in};

const SERVICES: usize = 4_000;

fn services_csv(dir: &std::path::Path) -> std::path::PathBuf {
    let mut csv = String::from("서비스ID,서비스명,생애주기,관심주제,제공기관,문의처\n");
    for i in 0..SERVICES {
        csv.push_str(&format!("K-{i},반찬 나눔 {i},노년,보호·돌봄,노원구 자원봉사센터,02-950-{:04}\n", i % 10_000));
    }
    let file = dir.join("services.csv");
    std::fs::write(&file, csv).unwrap();
    file
}

async fn count(db: &dolbom::db::Db, sql: &str) -> i64 {
    dolbom::db_run!(db, c => sqlx::query_scalar(sql).fetch_one(c).await).unwrap()
}

/// Services written without their phone: a half-written record.
const HALF_WRITTEN: &str =
    "SELECT COUNT(*) FROM services s WHERE NOT EXISTS (SELECT 1 FROM phones p WHERE p.service_id = s.id)";

fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let started = Instant::now();
    while !done() {
        assert!(started.elapsed() < Duration::from_secs(60), "{what} did not happen within 60 s");
        std::thread::sleep(Duration::from_millis(10));
    }
}

async fn killed_mid_import(backend: Backend) {
    let Some(test_db) = TestDb::create(backend).await else { return };
    let url = test_db.url.clone();
    let dir = tempfile::tempdir().unwrap();
    let file = services_csv(dir.path());
    assert!(dolbom(&url).arg("migrate").status().unwrap().success());
    let db = dolbom::db::connect(&url).await.unwrap();
    let mut import = dolbom(&url).args(["import", "services-csv"]).arg(&file).stdout(Stdio::null()).spawn().unwrap();
    let rt = tokio::runtime::Handle::current();
    tokio::task::block_in_place(|| {
        wait_until("the first 100 services", || rt.block_on(count(&db, "SELECT COUNT(*) FROM services")) >= 100)
    });
    import.kill().unwrap(); // SIGKILL
    import.wait().unwrap();
    let written = count(&db, "SELECT COUNT(*) FROM services").await;
    assert!(written < SERVICES as i64, "the kill landed before the end ({written} of {SERVICES})");
    assert_eq!(count(&db, HALF_WRITTEN).await, 0, "no service without its phone");

    let again = dolbom(&url).args(["import", "services-csv"]).arg(&file).output().unwrap();
    assert!(again.status.success(), "{}", String::from_utf8_lossy(&again.stderr));
    assert_eq!(count(&db, "SELECT COUNT(*) FROM services").await, SERVICES as i64);
    assert_eq!(count(&db, HALF_WRITTEN).await, 0);
    db.close().await;
    test_db.drop_now().await;
}

/// One resident signing up: `Some(email)` when the server acknowledged the account (303).
async fn sign_up(base: &str, email: String) -> Option<String> {
    let client =
        reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().ok()?;
    let form = client.get(format!("{base}/signup")).send().await.ok()?.text().await.ok()?;
    let token = csrf_in(&form)?;
    let fields = [
        ("csrf", token.as_str()),
        ("email", email.as_str()),
        ("display_name", "주민"),
        ("password", "a long enough password"),
        ("password_confirm", "a long enough password"),
        ("locale", "ko"),
    ];
    let r = client.post(format!("{base}/signup")).form(&fields).send().await.ok()?;
    (r.status() == 303).then_some(email)
}

async fn killed_mid_burst(backend: Backend) {
    let Some(test_db) = TestDb::create(backend).await else { return };
    let url = test_db.url.clone();
    let mut server = Server::start(&url);
    let base = server.base.clone();
    let port: u16 = base.rsplit(':').next().unwrap().parse().unwrap();
    let acknowledged = Arc::new(Mutex::new(Vec::new()));
    let mut burst = Vec::new();
    for task in 0..8 {
        let (base, acknowledged) = (base.clone(), acknowledged.clone());
        burst.push(tokio::spawn(async move {
            for i in 0.. {
                match sign_up(&base, format!("burst-{task}-{i}@test.kr")).await {
                    Some(email) => acknowledged.lock().unwrap().push(email),
                    None => break,
                }
            }
        }));
    }
    let enough = || acknowledged.lock().unwrap().len() >= 12;
    tokio::task::block_in_place(|| wait_until("a dozen acknowledged sign-ups", enough));
    server.child.kill().unwrap(); // SIGKILL, with requests in flight
    server.child.wait().unwrap();
    drop(server);
    for task in burst {
        task.await.unwrap();
    }
    let acknowledged = acknowledged.lock().unwrap().clone();

    let server = Server::start_on(&url, port);
    let db = dolbom::db::connect(&url).await.unwrap();
    for email in &acknowledged {
        let sql = "SELECT COUNT(*) FROM users WHERE email = $1 AND password_hash <> ''";
        let n: i64 = dolbom::db_run!(&db, c => sqlx::query_scalar(sql).bind(email).fetch_one(c).await).unwrap();
        assert_eq!(n, 1, "{email} was acknowledged before the kill");
    }
    let ready = reqwest::get(format!("{base}/readyz")).await.unwrap();
    assert_eq!(ready.status(), 200, "the restarted server is ready");
    drop(server);
    db.close().await;
    test_db.drop_now().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_kill_mid_import_leaves_whole_services_sqlite() {
    killed_mid_import(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_kill_mid_import_leaves_whole_services_postgres() {
    killed_mid_import(Backend::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn acknowledged_sign_ups_survive_a_kill_sqlite() {
    killed_mid_burst(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn acknowledged_sign_ups_survive_a_kill_postgres() {
    killed_mid_burst(Backend::Postgres).await;
}
