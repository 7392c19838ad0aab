//! The access log is kept two years (「개인정보의 안전성 확보조치 기준」 제8조) and then deleted by a daily job, on both
//! backends: the database refuses to delete a younger entry whoever asks, and the server refuses a shorter setting.

use std::time::{Duration, Instant};

use dolbom::audit::store::purge_older_than;
use dolbom::db::Db;
use dolbom::db::time::now_millis;
use dolbom::jobs::{self, NewJob, kinds};

use crate::cli::{Server, dolbom};
use crate::support::{Backend, TestDb};

const DAY: i64 = 86_400_000;

async fn log_entry(db: &Db, id: &str, days_ago: i64) {
    let sql = "INSERT INTO access_log (id, municipality_code, at, actor_id, actor_role, record_kind, record_id, \
               purpose, ip) VALUES ($1, '11350', $2, 'worker', 'welfare_worker', 'resident', 'r1', 'casework', '::1')";
    let at = now_millis() - days_ago * DAY;
    dolbom::db_run!(db, c => sqlx::query(sql).bind(id).bind(at).execute(c).await.map(|_| ())).unwrap();
}

async fn entries(db: &Db) -> Vec<String> {
    let sql = "SELECT id FROM access_log ORDER BY id";
    dolbom::db_run!(db, c => sqlx::query_scalar(sql).fetch_all(c).await).unwrap()
}

async fn kept_two_years_then_purged(backend: Backend) {
    let Some(test_db) = TestDb::create(backend).await else { return };
    let url = test_db.url.clone();
    assert!(dolbom(&url).arg("migrate").status().unwrap().success());
    let db = dolbom::db::connect(&url).await.unwrap();
    log_entry(&db, "a-800-days", 800).await;
    log_entry(&db, "b-700-days", 700).await;
    log_entry(&db, "c-yesterday", 1).await;

    let delete = "DELETE FROM access_log WHERE id = 'b-700-days'";
    let refused = dolbom::db_run!(&db, c => sqlx::query(delete).execute(c).await.map(|_| ()));
    assert!(refused.is_err(), "the database keeps an entry younger than two years");
    assert_eq!(purge_older_than(&db, 30, now_millis()).await.unwrap(), 1, "a shorter setting counts as two years");
    assert_eq!(entries(&db).await, ["b-700-days", "c-yesterday"]);

    // The daily job, run by a real server, deletes what has passed the configured retention (here 731 days).
    log_entry(&db, "d-900-days", 900).await;
    let server = Server::start(&url);
    jobs::enqueue(&db, NewJob::now(kinds::ACCESS_LOG_PURGE, serde_json::json!({}))).await.unwrap();
    let started = Instant::now();
    while entries(&db).await.len() != 2 {
        assert!(started.elapsed() < Duration::from_secs(30), "the purge job did not run");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(entries(&db).await, ["b-700-days", "c-yesterday"]);
    let sql = "SELECT COUNT(*) FROM jobs WHERE kind = $1 AND status = 'queued' AND run_at > $2";
    let next: i64 = dolbom::db_run!(&db, c => sqlx::query_scalar(sql)
        .bind(kinds::ACCESS_LOG_PURGE).bind(now_millis()).fetch_one(c).await)
    .unwrap();
    assert_eq!(next, 1, "tomorrow's purge is queued once");
    drop(server);
    db.close().await;
    test_db.drop_now().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_access_log_is_kept_two_years_then_purged_sqlite() {
    kept_two_years_then_purged(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_access_log_is_kept_two_years_then_purged_postgres() {
    kept_two_years_then_purged(Backend::Postgres).await;
}

#[test]
fn a_retention_shorter_than_two_years_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("short.db").display());
    let out = dolbom(&db)
        .env("DOLBOM_ACCESS_LOG_RETENTION_DAYS", "365")
        .args(["serve", "--addr", "127.0.0.1:0"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("must be at least 731"), "{out:?}");
}
