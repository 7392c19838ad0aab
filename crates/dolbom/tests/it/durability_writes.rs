//! SIGKILL in the middle of a burst of bookings and care applications from eight residents, on both backends: every
//! booking answered 201 and every application answered 303 before the kill is there after the restart, and whole (a
//! booking with every one of its slots, an application with its child).

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{Datelike, Duration as Days, NaiveDate, Weekday};
use dolbom::auth::{Role, accounts};
use dolbom::db::Db;
use dolbom::i18n::Locale;

use crate::care::next_saturday;
use crate::cli::Server;
use crate::spaces::space_in;
use crate::support::{Backend, PASSWORD, TestDb, csrf_in};

const RESIDENTS: usize = 8;

struct Resident {
    client: reqwest::Client,
    token: String,
    child: String,
}

/// A resident signed in to `base`, with a child of primary-school age registered through the site.
async fn resident(db: &Db, base: &str, i: usize) -> Resident {
    let email = format!("burst{i}@test.kr");
    accounts::create(db, "11350", &email, "주민", PASSWORD, Role::Resident, None, Locale::Ko).await.unwrap();
    let client =
        reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let login = client.get(format!("{base}/login")).send().await.unwrap().text().await.unwrap();
    let fields = [("csrf", csrf_in(&login).unwrap()), ("email", email), ("password", PASSWORD.into())];
    assert_eq!(client.post(format!("{base}/login")).form(&fields).send().await.unwrap().status(), 303);
    let form = client.get(format!("{base}/children/new")).send().await.unwrap().text().await.unwrap();
    let token = csrf_in(&form).unwrap();
    let child = [
        ("csrf", token.as_str()),
        ("name", "김하늘"),
        ("birth_date", "2018-05-04"),
        ("sex", "F"),
        ("contact_name", "보호자"),
        ("contact_relation", "어머니"),
        ("contact_phone", "010-1234-5678"),
        ("consent", "data"),
    ];
    let saved = client.post(format!("{base}/children")).form(&child).send().await.unwrap();
    assert_eq!(saved.status(), 303);
    let child = saved.headers()["location"].to_str().unwrap().rsplit('/').next().unwrap().to_string();
    Resident { client, token, child }
}

/// The Monday `week` weeks after the first one from 2031 on (the space's own rules allow four hours a week each).
fn monday(week: usize) -> NaiveDate {
    let mut day = NaiveDate::from_ymd_opt(2031, 1, 1).unwrap();
    while day.weekday() != Weekday::Mon {
        day = day.succ_opt().unwrap();
    }
    day + Days::weeks(week as i64)
}

/// Resident `i`'s booking in week `week`: the hour `9 + i` that day, so no two residents want the same slot.
async fn book(r: &Resident, base: &str, space: &str, i: usize, week: usize) -> Option<String> {
    let body = serde_json::json!({
        "space_id": space, "day": monday(week).to_string(), "start": format!("{}:00", 9 + i),
        "end": format!("{}:00", 10 + i), "use_purpose": "아이들 모임", "attendees": 4,
        "request_key": format!("burst-{i}-{week}"),
    });
    let answer = r.client.post(format!("{base}/api/v1/bookings")).json(&body).send().await.ok()?;
    if answer.status() != 201 {
        return None;
    }
    let item: serde_json::Value = answer.json().await.ok()?;
    item["id"].as_str().map(str::to_string)
}

/// An application for the child's care on the Saturday `week` weeks from now (never two on one day).
async fn apply(r: &Resident, base: &str, week: usize) -> Option<String> {
    let day = (next_saturday() + Days::weeks(week as i64)).to_string();
    let fields = [
        ("csrf", r.token.as_str()),
        ("child_id", r.child.as_str()),
        ("service", "elementary_emergency"),
        ("first_day", day.as_str()),
        ("days", "1"),
        ("start", "10:00"),
        ("end", "14:00"),
        ("reason", "work"),
        ("dong", "1135056000"),
        ("address", "노원구 상계로 1"),
    ];
    let answer = r.client.post(format!("{base}/care/applications")).form(&fields).send().await.ok()?;
    if answer.status() != 303 {
        return None;
    }
    Some(answer.headers()["location"].to_str().ok()?.rsplit('/').next()?.to_string())
}

#[derive(Default)]
struct Acknowledged {
    bookings: Vec<String>,
    applications: Vec<String>,
}

async fn count(db: &Db, sql: &str, id: &str) -> i64 {
    dolbom::db_run!(db, c => sqlx::query_scalar(sql).bind(id).fetch_one(c).await).unwrap()
}

async fn killed_mid_bookings_and_applications(backend: Backend) {
    let Some(test_db) = TestDb::create(backend).await else { return };
    let url = test_db.url.clone();
    let mut server = Server::start(&url);
    let base = server.base.clone();
    let port: u16 = base.rsplit(':').next().unwrap().parse().unwrap();
    let db = dolbom::db::connect(&url).await.unwrap();
    let space = space_in(&db, false, None).await.id;
    let mut residents = Vec::new();
    for i in 0..RESIDENTS {
        residents.push(resident(&db, &base, i).await);
    }

    let acknowledged = Arc::new(Mutex::new(Acknowledged::default()));
    let mut burst = Vec::new();
    for (i, r) in residents.into_iter().enumerate() {
        let (base, space, acknowledged) = (base.clone(), space.clone(), acknowledged.clone());
        burst.push(tokio::spawn(async move {
            for week in 0.. {
                let Some(booking) = book(&r, &base, &space, i, week).await else { break };
                acknowledged.lock().unwrap().bookings.push(booking);
                let Some(application) = apply(&r, &base, week).await else { break };
                acknowledged.lock().unwrap().applications.push(application);
            }
        }));
    }
    let enough = || {
        let a = acknowledged.lock().unwrap();
        a.bookings.len() >= 12 && a.applications.len() >= 12
    };
    let started = Instant::now();
    while !enough() {
        assert!(started.elapsed() < Duration::from_secs(60), "a dozen of each was not acknowledged within 60 s");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    server.child.kill().unwrap(); // SIGKILL, with requests in flight
    server.child.wait().unwrap();
    drop(server);
    for task in burst {
        task.await.unwrap();
    }

    let server = Server::start_on(&url, port);
    let acknowledged = std::mem::take(&mut *acknowledged.lock().unwrap());
    for id in &acknowledged.bookings {
        assert_eq!(count(&db, "SELECT COUNT(*) FROM bookings WHERE id = $1", id).await, 1, "booking {id}");
        let slots = "SELECT COUNT(*) FROM booking_slots WHERE booking_id = $1";
        assert_eq!(count(&db, slots, id).await, 1, "booking {id} holds its one-hour slot");
    }
    for id in &acknowledged.applications {
        let sql = "SELECT COUNT(*) FROM care_applications a JOIN children c ON c.id = a.child_id WHERE a.id = $1";
        assert_eq!(count(&db, sql, id).await, 1, "application {id}");
    }
    // Bookings written but not acknowledged (the answer lost in the kill) must be whole too.
    let partial = "SELECT COUNT(*) FROM bookings b WHERE b.status IN ('held', 'pending', 'confirmed') AND \
                   (SELECT COUNT(*) FROM booking_slots s WHERE s.booking_id = b.id) <> (b.ends_at - b.starts_at) / 3600000";
    let partial: i64 = dolbom::db_run!(&db, c => sqlx::query_scalar(partial).fetch_one(c).await).unwrap();
    assert_eq!(partial, 0, "no booking without all of its slots");
    let ready = reqwest::get(format!("{base}/readyz")).await.unwrap();
    assert_eq!(ready.status(), 200, "the restarted server is ready");
    eprintln!(
        "{backend:?}: {} bookings and {} applications acknowledged before the kill, all there",
        acknowledged.bookings.len(),
        acknowledged.applications.len()
    );
    drop(server);
    db.close().await;
    test_db.drop_now().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn acknowledged_bookings_and_applications_survive_a_kill_sqlite() {
    killed_mid_bookings_and_applications(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn acknowledged_bookings_and_applications_survive_a_kill_postgres() {
    killed_mid_bookings_and_applications(Backend::Postgres).await;
}
