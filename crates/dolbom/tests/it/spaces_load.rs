//! 1,000 booking requests for one slot at once, over HTTP: at two `dolbom serve` processes sharing one PostgreSQL,
//! and at one process on SQLite. Exactly one is booked; every other is told 409 `space_taken`.

use std::time::{Duration, Instant};

use chrono::{Datelike, Days};
use dolbom::db::time::seoul_today;

use crate::both;
use crate::cli::{Server, free_port};
use crate::spaces::space;
use crate::support::{Backend, TestApp};

const REQUESTS: usize = 1_000;

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
    let servers: Vec<Server> = match app.backend() {
        Backend::Postgres => {
            let url = &app.state.config.database_url;
            vec![
                Server::start_with(url, free_port(), &["--no-jobs"]),
                Server::start_with(url, free_port(), &["--no-jobs"]),
            ]
        }
        Backend::Sqlite => Vec::new(),
    };
    let bases: Vec<String> =
        if servers.is_empty() { vec![app.base.clone()] } else { servers.iter().map(|s| s.base.clone()).collect() };
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
