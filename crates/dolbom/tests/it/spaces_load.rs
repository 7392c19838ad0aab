//! 1,000 booking requests for one slot at once, over HTTP: at two `dolbom serve` processes sharing one PostgreSQL,
//! and at one process on SQLite. Exactly one is booked; every other is told 409 `space_taken`.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use chrono::{Datelike, Days};
use dolbom::db::time::seoul_today;

use crate::both;
use crate::spaces::space;
use crate::support::{Backend, TestApp};

const REQUESTS: usize = 1_000;

/// A `dolbom serve` process on the database, on a free port; killed when dropped.
struct Serve(Child, String);

impl Serve {
    fn start(database_url: &str) -> Serve {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new(env!("CARGO_BIN_EXE_dolbom"))
            .args(["serve", "--no-jobs", "--addr", &format!("127.0.0.1:{port}")])
            .env("DOLBOM_DATABASE_URL", database_url)
            .env("DOLBOM_SECRET", "load-test-secret-load-test-secret-0123")
            .env("DOLBOM_LOG", "error")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(started.elapsed() < Duration::from_secs(30), "dolbom serve did not start");
            std::thread::sleep(Duration::from_millis(20));
        }
        Serve(child, format!("http://127.0.0.1:{port}"))
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

both!(a_thousand_requests_for_one_slot_book_it_once, |app: TestApp| async move {
    let db = &app.state.db;
    let room = space(&app, false, None).await;
    let mut day = seoul_today() + Days::new(2);
    while day.weekday() == chrono::Weekday::Sun {
        day = day + Days::new(1);
    }
    // A thousand residents, each signed in (sessions written straight into the table).
    let mut tokens = Vec::with_capacity(REQUESTS);
    for i in 0..REQUESTS {
        let (id, token) = (format!("load-{i}"), format!("token-{i}-{}", uuid::Uuid::new_v4().simple()));
        let sql = "INSERT INTO users (id, municipality_code, email, display_name, password_hash, role, created_at, updated_at) \
                   VALUES ($1, '11350', $2, '주민', 'x', 'resident', 0, 0)";
        dolbom::db_run!(db, p => sqlx::query(sql).bind(&id).bind(format!("load{i}@test.kr")).execute(p).await.map(|_| ())).unwrap();
        dolbom::auth::store::create_session(db, &id, &token, "127.0.0.1").await.unwrap();
        tokens.push(token);
    }
    // PostgreSQL: two processes of the binary; SQLite: the one process of the file.
    let servers: Vec<Serve> = match app.backend() {
        Backend::Postgres => {
            vec![Serve::start(&app.state.config.database_url), Serve::start(&app.state.config.database_url)]
        }
        Backend::Sqlite => Vec::new(),
    };
    let bases: Vec<String> =
        if servers.is_empty() { vec![app.base.clone()] } else { servers.iter().map(|s| s.1.clone()).collect() };
    let client =
        reqwest::Client::builder().pool_max_idle_per_host(0).timeout(Duration::from_secs(120)).build().unwrap();
    let day = day.format("%Y-%m-%d").to_string();
    let started = Instant::now();
    let requests = tokens.iter().enumerate().map(|(i, token)| {
        let body = serde_json::json!({"space_id": room.id, "day": day, "start": "10:00", "end": "12:00",
            "use_purpose": "모임", "attendees": 4, "request_key": format!("load-{i}")});
        let request = client
            .post(format!("{}/api/v1/bookings", bases[i % bases.len()]))
            .header("cookie", format!("dolbom_session={token}"))
            .json(&body);
        async move {
            let response = request.send().await.expect("answered");
            let status = response.status().as_u16();
            let code =
                response.json::<serde_json::Value>().await.ok().and_then(|v| v["code"].as_str().map(String::from));
            (status, code)
        }
    });
    let answers = futures_util::future::join_all(requests).await;
    let took = started.elapsed();
    let booked = answers.iter().filter(|(s, _)| *s == 201).count();
    let taken = answers.iter().filter(|(s, c)| *s == 409 && c.as_deref() == Some("space_taken")).count();
    assert_eq!(booked, 1, "exactly one booked ({took:?})");
    assert_eq!(
        taken,
        REQUESTS - 1,
        "every other told it is taken: {:?}",
        answers.iter().filter(|(s, _)| *s != 201 && *s != 409).take(5).collect::<Vec<_>>()
    );
    let slots: i64 =
        dolbom::db_run!(db, p => sqlx::query_scalar("SELECT COUNT(*) FROM booking_slots").fetch_one(p).await).unwrap();
    assert_eq!(slots, 2);
    eprintln!("{} requests at {} process(es): {took:?}", REQUESTS, bases.len());
});
