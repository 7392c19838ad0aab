//! Two `dolbom serve` processes on one PostgreSQL, as a municipality runs them behind a load balancer: a session
//! made on one works on the other; a change made through one (a leader accepting a member) and one made by a
//! third process (an import) show in the other's map and search within a second, through the change log; jobs
//! queued for both run exactly once.

use std::time::{Duration, Instant};

use dolbom::auth::{Role, accounts, admin_store};
use dolbom::db::Db;
use dolbom::i18n::Locale;
use dolbom::jobs::{self, NewJob};
use dolbom::places::group_store;

use crate::cli::{Server, dolbom};
use crate::support::{Backend, PASSWORD, TestDb, csrf_in};

/// A co-parenting group led by `leader@test.kr`, and a resident's request to join it: (group, request).
async fn group_with_request(db: &Db) -> (String, String) {
    let org = admin_store::create_organization(db, "11350", "공릉동 아빠 모임", "community_group").await.unwrap();
    let org = org.unwrap();
    let ko = Locale::Ko;
    accounts::create(db, "11350", "leader@test.kr", "대표", PASSWORD, Role::GroupLeader, Some(&org), ko).await.unwrap();
    let resident =
        accounts::create(db, "11350", "dad@test.kr", "아빠", PASSWORD, Role::Resident, None, ko).await.unwrap();
    let id = group_store::upsert(db, "11350", &crate::board::fathers_group(org)).await.unwrap();
    assert!(group_store::request_join(db, &id, &resident, "").await.unwrap());
    let request = group_store::requests(db, &id).await.unwrap().remove(0).id;
    (id, request)
}

/// Polls `seen` every 20 ms; how long it took to hold, at most `limit`.
async fn within(limit: Duration, mut seen: impl AsyncFnMut() -> bool) -> Duration {
    let started = Instant::now();
    while !seen().await {
        assert!(started.elapsed() < limit, "not seen within {limit:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    started.elapsed()
}

async fn member_count(client: &reqwest::Client, server: &Server, group: &str) -> i64 {
    let url = server.url("/api/v1/places?group=co_parenting&limit=50");
    let found: serde_json::Value = client.get(url).send().await.unwrap().json().await.unwrap();
    let groups = found["groups"].as_array().cloned().unwrap_or_default();
    groups.iter().find(|h| h["id"] == group).and_then(|h| h["member_count"].as_i64()).unwrap_or(-1)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_processes_share_sessions_changes_and_jobs() {
    let Some(test_db) = TestDb::create(Backend::Postgres).await else { return };
    let url = test_db.url.clone();
    assert!(dolbom(&url).arg("migrate").status().unwrap().success());
    let db = dolbom::db::connect(&url).await.unwrap();
    let (group, request) = group_with_request(&db).await;
    let (a, b) = (Server::start(&url), Server::start(&url));

    // Signed in on A, the same cookie is a session on B; a form's token from A is good on B.
    let leader =
        reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let login = leader.get(a.url("/login")).send().await.unwrap().text().await.unwrap();
    let fields =
        [("csrf", csrf_in(&login).unwrap()), ("email", "leader@test.kr".into()), ("password", PASSWORD.into())];
    assert_eq!(leader.post(a.url("/login")).form(&fields).send().await.unwrap().status(), 303);
    let on_b = leader.get(b.url("/leader/groups")).send().await.unwrap();
    assert_eq!(on_b.status(), 200, "the session made on A works on B");
    let token = csrf_in(&on_b.text().await.unwrap()).unwrap();

    // Accepted through A, the group's new member shows in B's map within a second.
    let anyone = reqwest::Client::new();
    assert_eq!(member_count(&anyone, &b, &group).await, 0);
    let answer = [("csrf", token.as_str()), ("decision", "accept")];
    let path = format!("/leader/groups/{group}/requests/{request}");
    assert_eq!(leader.post(a.url(&path)).form(&answer).send().await.unwrap().status(), 303);
    let took = within(Duration::from_secs(1), async || member_count(&anyone, &b, &group).await == 1).await;
    eprintln!("map change seen on the other process after {took:?}");

    // A service imported by a third process shows in both processes' search within a second.
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("services.csv");
    std::fs::write(&csv, "서비스ID,서비스명,생애주기,관심주제,제공기관,문의처\nP-1,반딧불 야간 돌봄,아동,보호·돌봄,노원구청,02-2116-3114\n")
        .unwrap();
    assert!(dolbom(&url).args(["import", "services-csv"]).arg(&csv).output().unwrap().status.success());
    for server in [&a, &b] {
        let search = server.url("/api/v1/services/search?q=%EB%B0%98%EB%94%A7%EB%B6%88"); // 반딧불
        let found = async || {
            let r: serde_json::Value = anyone.get(&search).send().await.unwrap().json().await.unwrap();
            r["total"].as_u64() == Some(1)
        };
        let took = within(Duration::from_secs(1), found).await;
        eprintln!("imported service found on {} after {took:?}", server.base);
    }

    // Forty jobs queued for both processes: each claimed and run once.
    for _ in 0..40 {
        let job = NewJob::now(jobs::kinds::SESSION_CLEANUP, serde_json::json!({}));
        jobs::enqueue(&db, job).await.unwrap().unwrap();
    }
    // The hourly clean-up each process schedules has a dedupe key; the forty queued here have none.
    let sql = "SELECT COUNT(*) FROM jobs WHERE dedupe_key IS NULL AND status = 'done'";
    let done = async || {
        let n: i64 = dolbom::db_run!(&db, c => sqlx::query_scalar(sql).fetch_one(c).await).unwrap();
        n == 40
    };
    within(Duration::from_secs(30), done).await;
    let sql = "SELECT COUNT(*) FROM jobs WHERE dedupe_key IS NULL AND attempts <> 1";
    let twice: i64 = dolbom::db_run!(&db, c => sqlx::query_scalar(sql).fetch_one(c).await).unwrap();
    assert_eq!(twice, 0, "no job ran twice");

    drop((a, b));
    db.close().await;
    test_db.drop_now().await;
}
