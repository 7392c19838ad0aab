//! Community-space targets of issue #9, on the embedded SQLite default, in one run:
//! - a month's availability of one space (its slots taken read from the database and laid out as the grid),
//!   with most of the month's hours booked (about 400 bookings): p50/p99 over 500 reads (target < 5 ms);
//! - bookings per second sustained: hold + confirm (with the booker's notification) of distinct spans by many people, `AT_ONCE` at a time (default
//!   8), for about 10 seconds (target ≥ 1,000/s).
//!
//! With `SPLIT=1` it prints instead the average time of a hold and of a confirmation alone, one at a time.
//!
//! Run: cargo run --release -p dolbom --example spaces_bench

use std::time::{Duration, Instant};

use chrono::{Days, NaiveDate, NaiveDateTime};
use dolbom::auth::Role;
use dolbom::db::Db;
use dolbom::places::hours::{HOLIDAY, Span, WeeklyHours};
use dolbom::spaces::rules::{Request, Rules, WhoMayBook};
use dolbom::spaces::store::{self, HoldRequest, NewSpace, Space};
use dolbom::spaces::week;

const PEOPLE: usize = 2_000;

fn space(name: &str) -> NewSpace<'_> {
    NewSpace {
        organization_id: None,
        name,
        kind: "community_room",
        adm_cd2: "1135063000",
        address: "서울특별시 노원구",
        lat: 37.65,
        lon: 127.06,
        capacity: 20,
        equipment: "",
        accessibility: "",
        description: "",
        fee_exempt: "",
        rules: Rules {
            slot_minutes: 60,
            max_booking_minutes: 180,
            max_week_minutes: 10_000,
            who_may_book: WhoMayBook::Residents,
            needs_approval: false,
            fee_krw_per_hour: 0,
            cancel_hours: 24,
        },
    }
}

fn every_day(opens: u16, closes: u16) -> WeeklyHours {
    let mut days = [None; 8];
    for d in days.iter_mut() {
        *d = Span::new(opens * 60, closes * 60).ok();
    }
    days[HOLIDAY] = Span::new(opens * 60, closes * 60).ok();
    WeeklyHours(days)
}

async fn people(db: &Db) -> Vec<String> {
    let mut tx = db.begin().await.unwrap();
    let mut ids = Vec::with_capacity(PEOPLE);
    for i in 0..PEOPLE {
        let id = format!("p{i}");
        let sql = "INSERT INTO users (id, municipality_code, email, display_name, password_hash, role, created_at, updated_at) \
                   VALUES ($1, '11350', $2, '주민', 'x', 'resident', 0, 0)";
        dolbom::tx_run!(&mut tx, c => sqlx::query(sql).bind(&id).bind(format!("p{i}@bench.kr")).execute(c).await.map(|_| ())).unwrap();
        ids.push(id);
    }
    tx.commit().await.unwrap();
    ids
}

async fn book(db: &Db, space: &Space, who: &str, day: NaiveDate, hour: u16, key: &str, now: NaiveDateTime) -> bool {
    let h = HoldRequest {
        request: Request { day, start: hour * 60, end: hour * 60 + 60 },
        purpose: "모임",
        attendees: 4,
        group_name: "",
        exempt_reason: "",
        request_key: key,
    };
    match store::hold(db, "11350", space, who, Role::Resident, &h, now).await {
        Ok(b) => store::confirm(db, &b.id, who, store::millis(now)).await.is_ok(),
        Err(_) => false,
    }
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let db = dolbom::db::connect(&format!("sqlite://{}", dir.path().join("bench.db").display())).await.unwrap();
    db.migrate().await.unwrap();
    let who = people(&db).await;
    let first = NaiveDate::from_ymd_opt(2031, 3, 1).unwrap();
    let now = first.and_hms_opt(0, 0, 0).unwrap() - chrono::Duration::days(1);

    // A month with most hours booked at one space (07:00–22:00, every day; every seventh hour left free).
    let id = store::create(&db, "11350", &space("한 달 공간"), &every_day(7, 22)).await.unwrap();
    let busy = store::get(&db, "11350", &id).await.unwrap().unwrap();
    let mut made = 0;
    for d in 0..31u64 {
        for hour in 7..22u16 {
            if !(d as u16 + hour).is_multiple_of(7)
                && book(&db, &busy, &who[made % PEOPLE], first + Days::new(d), hour, &format!("m{d}-{hour}"), now).await
            {
                made += 1;
            }
        }
    }
    let mut took = Vec::with_capacity(500);
    for _ in 0..500 {
        let started = Instant::now();
        let from = dolbom::db::time::seoul_day_start(first);
        let taken = store::taken(&db, &busy.id, from, from + 31 * 86_400_000, store::millis(now)).await.unwrap();
        let taken = taken.into_iter().map(|(at, _)| at).collect();
        let grid = week::grid(&busy, first, 31, &taken, now);
        std::hint::black_box(grid);
        took.push(started.elapsed().as_secs_f64() * 1_000.0);
    }
    took.sort_by(f64::total_cmp);
    println!(
        "a month's availability with {made} bookings: p50 {:.2} ms, p99 {:.2} ms over 500 reads (target < 5 ms)",
        took[250], took[495]
    );

    // Bookings per second: 8 at a time, each a different person and span, for about 10 s.
    let spaces: Vec<Space> = {
        let mut out = Vec::new();
        for i in 0..50 {
            let id = store::create(&db, "11350", &space(&format!("공간 {i}")), &every_day(0, 24)).await.unwrap();
            out.push(store::get(&db, "11350", &id).await.unwrap().unwrap());
        }
        out
    };
    if std::env::var("SPLIT").is_ok() {
        let mut held = Vec::new();
        let t = Instant::now();
        for i in 0..3000usize {
            let h = HoldRequest {
                request: Request {
                    day: first + Days::new(200 + (i / 1200) as u64),
                    start: ((i / 50) % 24) as u16 * 60,
                    end: ((i / 50) % 24) as u16 * 60 + 60,
                },
                purpose: "모임",
                attendees: 4,
                group_name: "",
                exempt_reason: "",
                request_key: &format!("s{i}"),
            };
            held.push(
                store::hold(&db, "11350", &spaces[i % 50], &who[i % PEOPLE], Role::Resident, &h, now).await.unwrap(),
            );
        }
        println!("hold: {:.0} us", t.elapsed().as_secs_f64() * 1e6 / 3000.0);
        let t = Instant::now();
        for b in &held {
            store::confirm(&db, &b.id, &b.user_id, store::millis(now)).await.unwrap();
        }
        println!("confirm: {:.0} us", t.elapsed().as_secs_f64() * 1e6 / 3000.0);
        return;
    }
    let at_once: usize = std::env::var("AT_ONCE").ok().and_then(|v| v.parse().ok()).unwrap_or(8);
    let started = Instant::now();
    let mut done = 0usize;
    let mut n = 0usize;
    while started.elapsed() < Duration::from_secs(10) {
        let batch = (0..at_once).map(|k| {
            let i = n + k;
            let (db, space, who) = (&db, &spaces[i % spaces.len()], &who[i % PEOPLE]);
            let day = first + Days::new(40 + (i / (spaces.len() * 24)) as u64);
            let hour = ((i / spaces.len()) % 24) as u16;
            let key = format!("b{i}");
            async move { book(db, space, who, day, hour, &key, now).await }
        });
        done += futures_util::future::join_all(batch).await.into_iter().filter(|ok| *ok).count();
        n += at_once;
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "{done} bookings (hold + confirm) in {secs:.1} s: {:.0} per second sustained, {} refused (target ≥ 1,000/s)",
        done as f64 / secs,
        n - done
    );
}
