//! Waitlists on both backends: applications with five distinct choices, one per child; facts count once verified;
//! a round publishes its seed, runs once (even twice at once), and places each child at most once.

use dolbom::auth::Role;
use dolbom::places::hours::WeeklyHours;
use dolbom::places::model::Facility;
use dolbom::waitlist::priority::PriorityRules;
use dolbom::waitlist::round::{self, RoundSummary};
use dolbom::waitlist::store::{self, WaitlistError};

use crate::both;
use crate::support::TestApp;

async fn centre(app: &TestApp, name: &str, free: i32) -> String {
    let (latitude, longitude) = app.state.areas.inner_point("1135056000").unwrap();
    let f = Facility {
        kind: "daycare".into(),
        name: name.into(),
        address: "서울특별시 노원구".into(),
        latitude,
        longitude,
        adm_cd2: "1135056000".into(),
        min_age_months: 0,
        max_age_months: 83,
        capacity: Some(20),
        enrolled: Some(20 - free),
        hours: WeeklyHours::always(),
        ..Facility::default()
    };
    let id = dolbom::places::store::upsert(&app.state.db, "11350", &f).await.unwrap();
    app.state.sync_places().await.unwrap();
    id
}

async fn child_of(app: &TestApp, guardian: &str, name: &str) -> String {
    let c = dolbom::children::model::NewChild {
        name: name.into(),
        birth_date: chrono::NaiveDate::from_ymd_opt(2023, 3, 1).unwrap(),
        sex: 'M',
        school: None,
        special_needs: String::new(),
        allergies: String::new(),
        rrn: None,
        contacts: Vec::new(),
        consents: vec!["data".into()],
    };
    dolbom::children::store::create(&app.state.db, &app.state.keys, "11350", guardian, &c).await.unwrap().unwrap()
}

fn ids(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

both!(a_round_places_by_verified_priority_once_and_never_twice, |app: TestApp| async move {
    let db = &app.state.db;
    let (c1, c2) = (centre(&app, "첫째어린이집", 1).await, centre(&app, "둘째어린이집", 1).await);
    let staff = app.account(Role::Official, "w@test.kr", &[]).await;
    let (g1, g2, g3) = (
        app.account(Role::Resident, "g1@test.kr", &[]).await,
        app.account(Role::Resident, "g2@test.kr", &[]).await,
        app.account(Role::Resident, "g3@test.kr", &[]).await,
    );
    let (a, b, c) =
        (child_of(&app, &g1, "가온").await, child_of(&app, &g2, "나래").await, child_of(&app, &g3, "다온").await);
    let app_a = store::apply(db, "11350", &g1, &a, &[c1.clone(), c2.clone()], &ids(&["dual_income"])).await.unwrap();
    let app_b = store::apply(db, "11350", &g2, &b, std::slice::from_ref(&c1), &[]).await.unwrap();
    let app_c = store::apply(db, "11350", &g3, &c, &[c1.clone(), c2.clone()], &ids(&["single_parent"])).await.unwrap();

    // The database refuses a second waiting application for a child, and a centre chosen twice.
    let again = store::apply(db, "11350", &g1, &a, std::slice::from_ref(&c2), &[]).await;
    assert!(matches!(again, Err(WaitlistError::AlreadyWaiting)), "{again:?}");
    let d = child_of(&app, &g1, "라온").await;
    let twice = store::apply(db, "11350", &g1, &d, &[c1.clone(), c1.clone()], &[]).await;
    assert!(matches!(twice, Err(WaitlistError::DuplicateChoice)), "{twice:?}");
    assert_eq!(store::waiting(db, "11350").await.unwrap().len(), 3, "the refused application left nothing behind");

    // Only A's fact is verified: C's claim alone gives nothing.
    assert!(store::verify(db, &app_a, "dual_income", &staff).await.unwrap());
    assert!(!store::verify(db, &app_b, "dual_income", &staff).await.unwrap(), "B never claimed it");
    let rules = PriorityRules::default_rules();
    let round_id = store::publish_round(db, "11350", 42, Some(&staff)).await.unwrap();
    assert_eq!(store::round(db, "11350", &round_id).await.unwrap(), Some((42, None)), "the seed is published first");

    let summary = round::run(&app.state, &round_id, &rules, Some(&staff)).await.unwrap();
    assert_eq!(summary, RoundSummary { placed: 2, waiting: 1 });
    let placed: Vec<(String, String)> = dolbom::db_run!(db, p => sqlx::query_as(
        "SELECT application_id, facility_id FROM waitlist_places ORDER BY facility_id").fetch_all(p).await)
    .unwrap();
    assert!(placed.contains(&(app_a.clone(), c1.clone())), "class 1 (verified 맞벌이) first at c1: {placed:?}");
    assert!(placed.contains(&(app_c.clone(), c2.clone())), "C to its second choice");
    let (why,): (String,) = dolbom::db_run!(db, p => sqlx::query_as(
        "SELECT explanation FROM allocation_results WHERE application_id = $1").bind(&app_b).fetch_one(p).await)
    .unwrap();
    assert!(why.contains("\"outcome\":\"full\"") && why.contains("\"last_placed\":1"), "{why}");
    assert_eq!(store::waiting_per_centre(db, "11350").await.unwrap(), [(c1.clone(), 1)], "only B waits, for c1");

    // Run again, and twice at once on a fresh round: exactly one run records anything.
    assert!(matches!(round::run(&app.state, &round_id, &rules, None).await, Err(WaitlistError::AlreadyRan)));
    let next = store::publish_round(db, "11350", 7, None).await.unwrap();
    let (s1, s2) = (app.state.clone(), app.state.clone());
    let (n1, n2, r1, r2) = (next.clone(), next.clone(), rules.clone(), rules.clone());
    let first = tokio::spawn(async move { round::run(&s1, &n1, &r1, None).await });
    let second = tokio::spawn(async move { round::run(&s2, &n2, &r2, None).await });
    let outcomes = [first.await.unwrap(), second.await.unwrap()];
    assert_eq!(outcomes.iter().filter(|o| o.is_ok()).count(), 1, "{outcomes:?}");
    let (results,): (i64,) = dolbom::db_run!(db, p => sqlx::query_as(
        "SELECT COUNT(*) FROM allocation_results WHERE round_id = $1").bind(&next).fetch_one(p).await)
    .unwrap();
    assert_eq!(results, 1, "B's one result, once");

    // A child's place is never given twice: the key refuses it.
    let sql = "INSERT INTO waitlist_places (application_id, facility_id, round_id, placed_at) VALUES ($1, $2, $3, 0)";
    let again =
        dolbom::db_run!(db, p => sqlx::query(sql).bind(&app_a).bind(&c2).bind(&next).execute(p).await.map(|_| ()));
    assert!(again.is_err());
});
