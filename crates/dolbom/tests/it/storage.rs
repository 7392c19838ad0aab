//! Storage contracts on both backends: the change log, the jobs table, and 주민등록번호 protection.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use dolbom::db::change_log::{self, Op};
use dolbom::db::time::now_millis;
use dolbom::db_run;
use dolbom::jobs::{self, JobStatus, NewJob, Runner};
use dolbom::keys::Rrn;
use dolbom::people::store::{self as people, NewHousehold, NewResident};

use crate::both;
use crate::support::TestApp;

both!(change_log_lands_with_its_transaction_only, |app: TestApp| async move {
    let db = &app.state.db;
    let start = change_log::head(db).await.unwrap();

    let mut rolled_back = db.begin().await.unwrap();
    change_log::append(&mut rolled_back, "11350", "place", "p-1", Op::Upsert).await.unwrap();
    drop(rolled_back);
    assert_eq!(change_log::head(db).await.unwrap(), start, "a rolled-back write leaves no change");

    let mut tx = db.begin().await.unwrap();
    change_log::append(&mut tx, "11350", "place", "p-1", Op::Upsert).await.unwrap();
    change_log::append(&mut tx, "11350", "place", "p-2", Op::Delete).await.unwrap();
    tx.commit().await.unwrap();
    let changes = change_log::since(db, start, 10).await.unwrap();
    assert_eq!(
        changes.iter().map(|c| (c.entity_id.as_str(), c.op.as_str())).collect::<Vec<_>>(),
        [("p-1", "upsert"), ("p-2", "delete")]
    );
    assert!(changes[0].seq < changes[1].seq);
    assert!(change_log::since(db, changes[1].seq, 10).await.unwrap().is_empty());
});

both!(jobs_retry_with_back_off_then_die, |app: TestApp| async move {
    let db = &app.state.db;
    let id = jobs::enqueue(db, NewJob { max_attempts: 2, ..NewJob::now("flaky", serde_json::json!({"n": 1})) })
        .await
        .unwrap()
        .unwrap();
    let runner = Runner::new(db.clone())
        .handle("flaky", Arc::new(|_db, _job| Box::pin(async { Err("upstream refused".to_string()) })));

    assert!(runner.run_once().await.unwrap());
    let job = jobs::get(db, &id).await.unwrap().unwrap();
    assert_eq!(job.status, JobStatus::Queued);
    assert_eq!(job.attempts, 1);
    assert_eq!(job.last_error.as_deref(), Some("upstream refused"));
    assert!(job.run_at >= now_millis() + 25_000, "the retry waits for its back-off");
    assert!(!runner.run_once().await.unwrap(), "nothing is due during the back-off");

    let now = now_millis();
    let claimed = jobs::claim(db, "clock-skipper", now + 31_000, 60_000).await.unwrap().unwrap();
    assert_eq!(claimed.attempts, 2);
    let status = jobs::fail(db, &claimed, "clock-skipper", "still refused", now + 31_000).await.unwrap();
    assert_eq!(status, JobStatus::Dead);
    assert_eq!(jobs::get(db, &id).await.unwrap().unwrap().status, JobStatus::Dead);

    // Dedupe keys: the same key twice is one job.
    let key = Some("reminder:42".to_string());
    assert!(
        jobs::enqueue(db, NewJob { dedupe_key: key.clone(), ..NewJob::now("reminder", serde_json::json!({})) })
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        jobs::enqueue(db, NewJob { dedupe_key: key, ..NewJob::now("reminder", serde_json::json!({})) })
            .await
            .unwrap()
            .is_none()
    );
});

both!(concurrent_workers_never_run_a_job_twice, |app: TestApp| async move {
    let db = app.state.db.clone();
    const JOBS: usize = 60;
    for n in 0..JOBS {
        jobs::enqueue(&db, NewJob::now("count", serde_json::json!({ "n": n }))).await.unwrap();
    }
    let runs: Arc<Mutex<HashMap<String, usize>>> = Arc::default();
    let mut workers = Vec::new();
    for _ in 0..4 {
        let runs = runs.clone();
        let runner = Runner::new(db.clone()).handle(
            "count",
            Arc::new(move |_db, job| {
                let runs = runs.clone();
                Box::pin(async move {
                    tokio::time::sleep(std::time::Duration::from_millis(2)).await;
                    *runs.lock().unwrap().entry(job.id).or_default() += 1;
                    Ok(())
                })
            }),
        );
        workers.push(tokio::spawn(async move { while runner.run_once().await.unwrap() {} }));
    }
    for w in workers {
        w.await.unwrap();
    }
    {
        let runs = runs.lock().unwrap();
        assert_eq!(runs.len(), JOBS, "every job ran");
        assert!(runs.values().all(|&n| n == 1), "no job ran twice: {runs:?}");
    }
    let (done,): (i64,) =
        db_run!(&db, p => sqlx::query_as("SELECT COUNT(*) FROM jobs WHERE status = 'done'").fetch_one(p).await)
            .unwrap();
    assert_eq!(done as usize, JOBS);
});

both!(resident_registration_numbers_are_never_stored_in_plaintext, |app: TestApp| async move {
    let db = &app.state.db;
    let keys = &app.state.keys;
    let rrn = Rrn::parse("850315-2345678").unwrap();
    let mut tx = db.begin().await.unwrap();
    let household = NewHousehold {
        id: "h-1",
        municipality_code: "11350",
        adm_cd2: "1135063000",
        address: "서울특별시 노원구 동일로 1",
        lat: 37.66,
        lon: 127.06,
    };
    people::insert_household(&mut tx, &household).await.unwrap();
    let resident = NewResident {
        id: "r-1",
        municipality_code: "11350",
        household_id: "h-1",
        name: "한지민",
        birth_date: chrono::NaiveDate::from_ymd_opt(1985, 3, 15).unwrap(),
        sex: "F",
        relation: "head",
        phone: None,
        rrn_hmac: Some(keys.rrn_hash(&rrn)),
        rrn_sealed: Some(keys.seal_rrn(&rrn)),
    };
    people::insert_resident(&mut tx, &resident).await.unwrap();
    tx.commit().await.unwrap();

    let (hash, sealed): (String, String) =
        db_run!(db, p => sqlx::query_as("SELECT rrn_hmac, rrn_sealed FROM residents WHERE id = 'r-1'").fetch_one(p).await).unwrap();
    for stored in [&hash, &sealed] {
        assert!(!stored.contains("8503152345678") && !stored.contains("2345678"), "{stored}");
    }
    assert_eq!(hash.len(), 64);
    assert_eq!(keys.open_rrn(&sealed), Some(rrn.clone()));
    let found =
        people::find_by_rrn_hash(db, "11350", &keys.rrn_hash(&Rrn::parse("8503152345678").unwrap())).await.unwrap();
    assert_eq!(found.as_deref(), Some("r-1"));

    // The same person twice is refused by the database, not by a check in Rust.
    let mut tx = db.begin().await.unwrap();
    let twin = NewResident { id: "r-2", ..resident };
    let err = people::insert_resident(&mut tx, &twin).await.unwrap_err();
    assert!(dolbom::db::is_unique_violation(&err));
});

both!(the_demo_is_seeded_once_and_its_accounts_log_in, |app: TestApp| async move {
    use dolbom::demo::{DEMO_ACCOUNTS, DEMO_PASSWORD, DemoOptions, seed_if_empty};
    let options = DemoOptions { seed: 3, households_per_thousand: 0.3 };
    let summary = seed_if_empty(&app.state, &options).await.unwrap().expect("seeded");
    assert!(summary.households >= 19 && summary.residents > summary.households);
    assert_eq!(people::count_residents(&app.state.db, "11350").await.unwrap() as usize, summary.residents);
    assert!(seed_if_empty(&app.state, &options).await.unwrap().is_none(), "a second run changes nothing");
    for (email, role, _, _) in DEMO_ACCOUNTS {
        let client = app.browser();
        assert_eq!(app.login(&client, email, DEMO_PASSWORD).await.status(), 303, "{email}");
        let me: serde_json::Value = client.get(app.url("/api/v1/me")).send().await.unwrap().json().await.unwrap();
        assert_eq!(me["role"], role.as_str());
    }
    let changes = change_log::since(&app.state.db, 0, 100_000).await.unwrap();
    assert_eq!(summary.services, 380, "the shipped 복지로, 노원구, 아이휴센터 and demo services, the casework's two");
    assert_eq!(
        (summary.facilities, summary.groups),
        (313, 39),
        "real 어린이집 and 아이휴센터, demo centres and groups"
    );
    // The care demo saves its centres a second time (evening and weekend hours): count records, not writes.
    let records: std::collections::HashSet<(&str, &str)> =
        changes.iter().map(|c| (c.entity.as_str(), c.entity_id.as_str())).collect();
    assert_eq!(
        records.len(),
        summary.households + summary.residents + summary.services + summary.facilities + summary.groups,
        "every seeded record reached the change log"
    );
    assert_eq!(changes.len(), records.len() + summary.care_centres, "and the care centres' second save");
    assert_eq!(
        (summary.care_centres, summary.caregivers),
        (19, 25),
        "one 다함께돌봄센터 per 동; 24 + the demo account"
    );
});

both!(a_panicking_job_is_a_failed_attempt_and_the_runner_goes_on, |app: TestApp| async move {
    let db = &app.state.db;
    let bad = jobs::enqueue(db, NewJob::now("explodes", serde_json::json!({}))).await.unwrap().unwrap();
    let good = jobs::enqueue(db, NewJob::now("fine", serde_json::json!({}))).await.unwrap().unwrap();
    let runner = Runner::new(db.clone())
        .handle("explodes", Arc::new(|_db, _job| Box::pin(async { panic!("handler bug") })))
        .handle("fine", Arc::new(|_db, _job| Box::pin(async { Ok(()) })));
    while runner.run_once().await.unwrap() {}
    let bad = jobs::get(db, &bad).await.unwrap().unwrap();
    assert_eq!(bad.status, JobStatus::Queued, "retried later");
    assert!(bad.last_error.unwrap().contains("panicked"));
    assert_eq!(jobs::get(db, &good).await.unwrap().unwrap().status, JobStatus::Done);
});

both!(long_jobs_keep_their_lease_and_abandoned_last_attempts_die, |app: TestApp| async move {
    let db = app.state.db.clone();
    // A job that outlives its lease is renewed while it runs: a second worker cannot take it.
    let slow = jobs::enqueue(&db, NewJob::now("slow", serde_json::json!({}))).await.unwrap().unwrap();
    let runs = Arc::new(Mutex::new(0));
    let counter = runs.clone();
    let runner = Runner::new(db.clone()).with_lease(std::time::Duration::from_millis(300)).handle(
        "slow",
        Arc::new(move |_db, _job| {
            let counter = counter.clone();
            Box::pin(async move {
                *counter.lock().unwrap() += 1;
                tokio::time::sleep(std::time::Duration::from_millis(900)).await;
                Ok(())
            })
        }),
    );
    let first = tokio::spawn({
        let runner = runner.clone();
        async move { runner.run_once().await.unwrap() }
    });
    tokio::time::sleep(std::time::Duration::from_millis(600)).await;
    let rival = Runner::new(db.clone())
        .with_lease(std::time::Duration::from_millis(300))
        .handle("slow", Arc::new(|_db, _job| Box::pin(async { Err("a second run".to_string()) })));
    assert!(!rival.run_once().await.unwrap(), "the running job is not due for anyone else");
    assert!(first.await.unwrap());
    assert_eq!(*runs.lock().unwrap(), 1);
    assert_eq!(jobs::get(&db, &slow).await.unwrap().unwrap().status, JobStatus::Done);

    // A worker that died during the last attempt leaves a job that is buried, not retried forever.
    let orphan = jobs::enqueue(&db, NewJob { max_attempts: 1, ..NewJob::now("orphan", serde_json::json!({})) })
        .await
        .unwrap()
        .unwrap();
    let now = now_millis();
    assert!(jobs::claim(&db, "worker-that-dies", now, 10).await.unwrap().is_some());
    assert!(jobs::claim(&db, "another", now + 1_000, 10).await.unwrap().is_none());
    let buried = jobs::get(&db, &orphan).await.unwrap().unwrap();
    assert_eq!(buried.status, JobStatus::Dead);
});
