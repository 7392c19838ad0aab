//! `dolbom serve --read-replica-url` against a real streaming replica of the test PostgreSQL: read-only pages read
//! from the replica (shown by stopping its replay: a page written since is not there yet), every write goes to the
//! primary, and a resident never reads their own write stale (the replica has not got the child they just
//! registered, yet their page shows it). Once the replica catches up, their pages read from it again.

use std::time::{Duration, Instant};

use dolbom::auth::{Role, accounts};
use dolbom::i18n::Locale;
use sqlx::{Connection, PgConnection};

use crate::cli::{Server, dolbom, free_port};
use crate::replica_cluster::ReplicaCluster;
use crate::support::{Backend, PASSWORD, TestDb, csrf_in, must_run_postgres};

async fn count_on(url: &str, sql: &str, id: &str) -> i64 {
    let mut conn = PgConnection::connect(url).await.unwrap();
    sqlx::query_scalar(sql).bind(id).fetch_one(&mut conn).await.unwrap()
}

/// Imports one service through the primary; its id.
async fn import_service(url: &str, key: &str, name: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("services.csv");
    let row = format!(
        "서비스ID,서비스명,생애주기,관심주제,제공기관,문의처\n{key},{name},아동,보호·돌봄,노원구청,02-2116-3114\n"
    );
    std::fs::write(&csv, row).unwrap();
    assert!(dolbom(url).args(["import", "services-csv"]).arg(&csv).output().unwrap().status.success());
    let db = dolbom::db::connect(url).await.unwrap();
    let source = format!("csv:{key}");
    let id = dolbom::directory::store::id_by_source(&db, "11350", &source).await.unwrap().unwrap();
    db.close().await;
    id
}

async fn set_replay(replica: &ReplicaCluster, paused: bool) {
    let mut conn = PgConnection::connect(&replica.url("postgres")).await.unwrap();
    let call = if paused { "SELECT pg_wal_replay_pause()" } else { "SELECT pg_wal_replay_resume()" };
    sqlx::query(call).execute(&mut conn).await.unwrap();
    let want = if paused { "paused" } else { "not paused" };
    let started = Instant::now();
    loop {
        let state: String =
            sqlx::query_scalar("SELECT pg_get_wal_replay_pause_state()").fetch_one(&mut conn).await.unwrap();
        if state == want {
            return;
        }
        assert!(started.elapsed() < Duration::from_secs(10), "replay still {state}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn status(client: &reqwest::Client, url: String) -> u16 {
    client.get(url).send().await.unwrap().status().as_u16()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_replica_serves_reads_and_residents_read_their_own_writes() {
    let replica = match ReplicaCluster::start().await {
        Ok(r) => r,
        Err(e) if !must_run_postgres() => {
            return eprintln!("no streaming replica ({e}); skipping (CI=true fails here)");
        }
        Err(e) => panic!("a streaming replica must start when CI=true: {e}"),
    };
    let Some(test_db) = TestDb::create(Backend::Postgres).await else { return };
    let url = test_db.url.clone();
    let name = url.rsplit('/').next().unwrap().to_string();
    assert!(dolbom(&url).arg("migrate").status().unwrap().success());
    let db = dolbom::db::connect(&url).await.unwrap();
    accounts::create(&db, "11350", "mom@test.kr", "엄마", PASSWORD, Role::Resident, None, Locale::Ko).await.unwrap();
    replica.wait_for_database(&name).await;
    let server = Server::start_with(&url, free_port(), &["--read-replica-url", &replica.url(&name)]);

    let resident =
        reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let login = resident.get(server.url("/login")).send().await.unwrap().text().await.unwrap();
    let fields = [("csrf", csrf_in(&login).unwrap()), ("email", "mom@test.kr".into()), ("password", PASSWORD.into())];
    assert_eq!(resident.post(server.url("/login")).form(&fields).send().await.unwrap().status(), 303);
    let form = resident.get(server.url("/children/new")).send().await.unwrap().text().await.unwrap();
    let token = csrf_in(&form).unwrap();

    // The replica stops replaying: from here on it holds the database as it was.
    set_replay(&replica, true).await;
    let service = import_service(&url, "R-1", "별빛 야간 돌봄").await;
    let anyone = reqwest::Client::new();
    let service_page = server.url(&format!("/welfare/services/{service}"));
    assert_eq!(status(&anyone, server.url("/welfare")).await, 200);
    assert_eq!(status(&anyone, service_page.clone()).await, 404, "a visitor's page reads from the replica");

    let child = [
        ("csrf", token.as_str()),
        ("name", "박별"),
        ("birth_date", "2019-03-02"),
        ("sex", "M"),
        ("contact_name", "박엄마"),
        ("contact_relation", "어머니"),
        ("contact_phone", "010-2345-6789"),
        ("consent", "data"),
        ("consent", "emergency_care"),
    ];
    let saved = resident.post(server.url("/children")).form(&child).send().await.unwrap();
    assert_eq!(saved.status(), 303, "the write went to the primary");
    let location = saved.headers()["location"].to_str().unwrap().to_string();
    let child_id = location.rsplit('/').next().unwrap().to_string();
    let on_replica = count_on(&replica.url(&name), "SELECT COUNT(*) FROM children WHERE id = $1", &child_id).await;
    assert_eq!(on_replica, 0, "the replica has not got the child yet");
    let page = resident.get(server.url(&location)).send().await.unwrap();
    assert_eq!(page.status(), 200, "the resident reads their own write");
    assert!(page.text().await.unwrap().contains("박별"));
    let list = resident.get(server.url("/children")).send().await.unwrap().text().await.unwrap();
    assert!(list.contains("박별"), "and sees it in their list");

    // Replay resumes: the visitor's page appears, and the resident's pages go back to the replica.
    set_replay(&replica, false).await;
    let started = Instant::now();
    while status(&anyone, service_page.clone()).await != 200 {
        assert!(started.elapsed() < Duration::from_secs(1), "the replica did not catch up within 1 s");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    eprintln!("the replica caught up {:?} after replay resumed", started.elapsed());
    let started = Instant::now();
    loop {
        let page = resident.get(server.url(&location)).send().await.unwrap();
        let forgets = page.headers().get_all("set-cookie").iter().any(|c| {
            let c = c.to_str().unwrap_or_default();
            c.starts_with("dolbom_written=;") && c.contains("Max-Age=0")
        });
        assert_eq!(page.status(), 200);
        if forgets {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(2), "the resident was not sent back to the replica");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }

    // How far behind the replica runs with replay on: a service imported through the primary, seen on a page.
    let second = import_service(&url, "R-2", "달빛 주말 돌봄").await;
    let started = Instant::now();
    while status(&anyone, server.url(&format!("/welfare/services/{second}"))).await != 200 {
        assert!(started.elapsed() < Duration::from_secs(1), "not on the replica within 1 s");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    eprintln!("a write on the primary was readable from the replica after {:?}", started.elapsed());

    drop(server);
    db.close().await;
    test_db.drop_now().await;
}
