use dolbom::db_run;
use dolbom::demo::{DEMO_PASSWORD, DemoOptions, seed_if_empty};

use crate::both;
use crate::support::TestApp;

/// A small demo district; returns (a resident in 상계1동, a resident in 월계1동).
async fn seed(app: &TestApp) -> (String, String) {
    let options = DemoOptions { seed: 11, households_per_thousand: 0.2 };
    seed_if_empty(&app.state, &options).await.expect("seed").expect("empty database gets seeded");
    let pick = |area: &'static str| async move {
        let sql = "SELECT r.id FROM residents r JOIN households h ON h.id = r.household_id \
                   WHERE h.adm_cd2 = $1 ORDER BY r.id LIMIT 1";
        let (id,): (String,) = db_run!(&app.state.db, p => sqlx::query_as(sql).bind(area).fetch_one(p).await).unwrap();
        id
    };
    (pick("1135063000").await, pick("1135056000").await)
}

async fn household_of(app: &TestApp, resident: &str) -> String {
    let sql = "SELECT household_id FROM residents WHERE id = $1";
    let (id,): (String,) = db_run!(&app.state.db, p => sqlx::query_as(sql).bind(resident).fetch_one(p).await).unwrap();
    id
}

async fn log_count(app: &TestApp) -> i64 {
    let (n,): (i64,) =
        db_run!(&app.state.db, p => sqlx::query_as("SELECT COUNT(*) FROM access_log").fetch_one(p).await).unwrap();
    n
}

both!(staff_reads_are_logged_with_purpose_and_scoped_to_their_dongs, |app: TestApp| async move {
    let (mine, elsewhere) = seed(&app).await;
    let worker = app.browser();
    assert_eq!(app.login(&worker, "worker@demo.dolbom.kr", DEMO_PASSWORD).await.status(), 303);

    // Without a purpose the record is not shown and nothing is logged.
    let ask = app.get(&worker, &format!("/staff/residents/{mine}")).await.text().await.unwrap();
    assert!(ask.contains("열람 목적 선택"));
    assert_eq!(log_count(&app).await, 0);

    let page = app.get(&worker, &format!("/staff/residents/{mine}?purpose=counselling")).await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("‘상담’ 목적으로 기록되었습니다"));
    assert!(regex_like_masked_rrn(&html), "the 주민등록번호 is shown masked only");
    assert_eq!(log_count(&app).await, 1);

    // Another 행정동: looks like it does not exist, and leaves no entry.
    let other = app.get(&worker, &format!("/staff/residents/{elsewhere}?purpose=counselling")).await;
    assert_eq!(other.status(), 404);
    assert_eq!(log_count(&app).await, 1);

    // The API read is logged too.
    let api = worker.get(app.url(&format!("/api/v1/residents/{mine}?purpose=eligibility_check"))).send().await.unwrap();
    assert_eq!(api.status(), 200);
    let record: serde_json::Value = api.json().await.unwrap();
    assert_eq!(record["id"], mine.as_str());
    assert_eq!(log_count(&app).await, 2);
    let no_purpose = worker.get(app.url(&format!("/api/v1/residents/{mine}"))).send().await.unwrap();
    assert_eq!(no_purpose.status(), 422);
    assert_eq!(log_count(&app).await, 2);

    // Officials see the municipality, and the log.
    let official = app.browser();
    assert_eq!(app.login(&official, "official@demo.dolbom.kr", DEMO_PASSWORD).await.status(), 303);
    assert_eq!(app.get(&official, &format!("/staff/residents/{elsewhere}?purpose=complaint")).await.status(), 200);
    let log = app.get(&official, "/official/access-log?actor=worker").await.text().await.unwrap();
    assert!(log.contains("worker@demo.dolbom.kr"));
    assert!(log.contains(&mine));
    assert!(!log.contains(&elsewhere), "filtered to the worker's reads");
    let by_purpose = app.get(&official, "/official/access-log?purpose=complaint").await.text().await.unwrap();
    assert!(by_purpose.contains(&elsewhere) && !by_purpose.contains(&mine));

    let csv = app.get(&official, "/official/access-log.csv").await;
    assert_eq!(csv.status(), 200);
    assert!(csv.headers()["content-disposition"].to_str().unwrap().contains("access-log-"));
    let text = csv.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 3);
    assert!(rows.iter().any(|r| &r[5] == mine.as_str() && &r[6] == "counselling" && &r[1] == "worker@demo.dolbom.kr"));
    assert!(rows.iter().all(|r| r[0].ends_with("+09:00")), "times in Asia/Seoul");
    assert!(rows.iter().all(|r| r[7] == *"127.0.0.1"));

    let bad = app.get(&official, "/official/access-log?from=2026-13-01").await.text().await.unwrap();
    assert!(bad.contains("날짜는 2026-11-27처럼 써 주세요."));

    // The worker cannot read the log.
    assert_eq!(app.get(&worker, "/official/access-log").await.status(), 403);

    // Who lives together is personal too: the household page asks for a purpose and is logged.
    let household = household_of(&app, &mine).await;
    let before = log_count(&app).await;
    let ask = app.get(&worker, &format!("/staff/households/{household}")).await.text().await.unwrap();
    assert!(ask.contains("열람 목적 선택"));
    assert_eq!(log_count(&app).await, before);
    let page = app.get(&worker, &format!("/staff/households/{household}?purpose=case_management")).await;
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains(&format!("/staff/residents/{mine}?purpose=case_management")));
    assert_eq!(log_count(&app).await, before + 1);
    let kinds = app.get(&official, "/official/access-log?kind=household").await.text().await.unwrap();
    assert!(kinds.contains(&household));
});

fn regex_like_masked_rrn(html: &str) -> bool {
    let bytes = html.as_bytes();
    (6..bytes.len().saturating_sub(8)).any(|i| {
        bytes[i] == b'-'
            && bytes[i - 6..i].iter().all(u8::is_ascii_digit)
            && bytes[i + 1].is_ascii_digit()
            && &bytes[i + 2..i + 8] == b"******"
    })
}

both!(the_access_log_is_append_only, |app: TestApp| async move {
    let (mine, _) = seed(&app).await;
    let official = app.browser();
    assert_eq!(app.login(&official, "official@demo.dolbom.kr", DEMO_PASSWORD).await.status(), 303);
    assert_eq!(app.get(&official, &format!("/staff/residents/{mine}?purpose=emergency")).await.status(), 200);
    assert_eq!(log_count(&app).await, 1);
    let update =
        db_run!(&app.state.db, p => sqlx::query("UPDATE access_log SET purpose = 'x'").execute(p).await.map(|_| ()));
    assert!(update.is_err(), "UPDATE is refused by the database");
    let delete = db_run!(&app.state.db, p => sqlx::query("DELETE FROM access_log").execute(p).await.map(|_| ()));
    assert!(delete.is_err(), "DELETE is refused by the database");
    assert_eq!(log_count(&app).await, 1);
});
