//! Waitlists on both backends: applications with five distinct choices, one per child; facts count once verified;
//! a round publishes its seed, runs once (even twice at once), and places each child at most once.

use dolbom::auth::Role;
use dolbom::places::hours::WeeklyHours;
use dolbom::places::model::Facility;
use dolbom::waitlist::offer_store;
use dolbom::waitlist::priority::PriorityRules;
use dolbom::waitlist::round::{self, RoundSummary};
use dolbom::waitlist::store::{self, WaitlistError};

use crate::both;
use crate::support::TestApp;

pub(crate) async fn centre(app: &TestApp, name: &str, free: i32) -> String {
    centre_of(app, None, name, free).await
}

/// A 어린이집 of `organization` with 20 places, `free` of them free.
pub(crate) async fn centre_of(app: &TestApp, organization: Option<&str>, name: &str, free: i32) -> String {
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
        organization_id: organization.map(str::to_string),
        hours: WeeklyHours::always(),
        ..Facility::default()
    };
    let id = dolbom::places::store::upsert(&app.state.db, "11350", &f).await.unwrap();
    app.state.sync_places().await.unwrap();
    id
}

pub(crate) async fn child_of(app: &TestApp, guardian: &str, name: &str) -> String {
    child_born(app, guardian, name, chrono::NaiveDate::from_ymd_opt(2023, 3, 1).unwrap()).await
}

pub(crate) async fn child_born(app: &TestApp, guardian: &str, name: &str, birth_date: chrono::NaiveDate) -> String {
    let c = dolbom::children::model::NewChild {
        name: name.into(),
        birth_date,
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

/// 월계1동, where the test children live.
pub(crate) const HOME: Option<&str> = Some("1135056000");

pub(crate) fn ids(list: &[&str]) -> Vec<String> {
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
    let app_a =
        store::apply(db, "11350", &g1, &a, HOME, &[c1.clone(), c2.clone()], &ids(&["dual_income"])).await.unwrap();
    let app_b = store::apply(db, "11350", &g2, &b, HOME, std::slice::from_ref(&c1), &[]).await.unwrap();
    let app_c =
        store::apply(db, "11350", &g3, &c, HOME, &[c1.clone(), c2.clone()], &ids(&["single_parent"])).await.unwrap();

    // The database refuses a second waiting application for a child, and a centre chosen twice.
    let again = store::apply(db, "11350", &g1, &a, HOME, std::slice::from_ref(&c2), &[]).await;
    assert!(matches!(again, Err(WaitlistError::AlreadyWaiting)), "{again:?}");
    let d = child_of(&app, &g1, "라온").await;
    let twice = store::apply(db, "11350", &g1, &d, HOME, &[c1.clone(), c1.clone()], &[]).await;
    assert!(matches!(twice, Err(WaitlistError::DuplicateChoice)), "{twice:?}");
    assert_eq!(
        store::waiting(db, "11350", i64::MAX).await.unwrap().len(),
        3,
        "the refused application left nothing behind"
    );

    // Only A's fact is verified: C's claim alone gives nothing.
    assert!(store::verify(db, "11350", &app_a, "dual_income", &staff).await.unwrap());
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    assert!(!store::verify(db, "11350", &app_b, "dual_income", &staff).await.unwrap(), "B never claimed it");
    let rules = PriorityRules::default_rules();
    let round_id = store::publish_round(db, "11350", 42, Some(&staff)).await.unwrap();
    let published = store::round(db, "11350", &round_id).await.unwrap().unwrap();
    assert_eq!((published.seed, published.ran_at), (42, None), "the seed is published first");
    let another = store::publish_round(db, "11350", 43, None).await;
    assert!(matches!(another, Err(WaitlistError::RoundOpen)), "one open round: no choosing among seeds");
    assert!(!store::verify(db, "11410", &app_c, "single_parent", &staff).await.unwrap(), "not this district's");
    // Applied after the seed was published: waits for the next round.
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let late_guardian = app.account(Role::Resident, "late@test.kr", &[]).await;
    let late = child_of(&app, &late_guardian, "늦게").await;
    let app_late =
        store::apply(db, "11350", &late_guardian, &late, HOME, std::slice::from_ref(&c2), &[]).await.unwrap();

    let summary = round::run(&app.state, &round_id, &rules, Some(&staff)).await.unwrap();
    assert_eq!(summary, RoundSummary { placed: 2, waiting: 1 }, "the late application is not in this round");
    let placed: Vec<(String, String)> = dolbom::db_run!(db, p => sqlx::query_as(
        "SELECT application_id, facility_id FROM waitlist_offers WHERE status = 'open'").fetch_all(p).await)
    .unwrap();
    assert!(placed.contains(&(app_a.clone(), c1.clone())), "class 1 (verified 맞벌이) first at c1: {placed:?}");
    assert!(placed.contains(&(app_c.clone(), c2.clone())), "C to its second choice");
    let (why,): (String,) = dolbom::db_run!(db, p => sqlx::query_as(
        "SELECT explanation FROM allocation_results WHERE application_id = $1").bind(&app_b).fetch_one(p).await)
    .unwrap();
    assert!(why.contains("\"outcome\":\"full\"") && why.contains("\"last_placed\":1"), "{why}");
    let mut per_centre = store::waiting_per_centre(db, "11350").await.unwrap();
    per_centre.sort();
    let mut expected = vec![(c1.clone(), 1), (c2.clone(), 1)];
    expected.sort();
    assert_eq!(per_centre, expected, "B waits for c1, the late child for c2");

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
    assert_eq!(results, 2, "B's and the late child's results, once");
    let late_place: Option<String> = dolbom::db_run!(db, p => sqlx::query_scalar(
        "SELECT facility_id FROM waitlist_offers WHERE application_id = $1").bind(&app_late).fetch_optional(p).await)
    .unwrap();
    assert_eq!(late_place, None, "c2's one free seat is held by C's offer from the first round: not given again");

    // The database, not a check in Rust, refuses a seat held twice and a child offered two places at once.
    let sql = "INSERT INTO waitlist_offers (id, application_id, facility_id, seat, status, offered_at, expires_at) \
               VALUES ($1, $2, $3, $4, 'open', 0, 0)";
    let insert = |id: &'static str, application: String, facility: String, seat: i32| {
        let db = db.clone();
        async move {
            dolbom::db_run!(&db, p => sqlx::query(sql).bind(id).bind(application).bind(facility).bind(seat)
                .execute(p).await.map(|_| ()))
        }
    };
    assert!(insert("x1", app_late.clone(), c2.clone(), 1).await.is_err(), "c2's seat 1 is C's");
    assert!(insert("x2", app_a.clone(), c2.clone(), 9).await.is_err(), "A already holds an offer");
    assert!(insert("x3", app_late.clone(), c2.clone(), 9).await.is_ok(), "the key is the seat, not the centre");
});

both!(guardians_apply_staff_verify_and_a_round_explains_each_place, |app: TestApp| async move {
    let (c1, c2) = (centre(&app, "하늘어린이집", 1).await, centre(&app, "바다어린이집", 2).await);
    let guardian = app.signed_in(Role::Resident, &[]).await;
    let fields = [
        ("name", "마루"),
        ("birth_date", "2023-01-10"),
        ("sex", "M"),
        ("contact_name", "보호자"),
        ("contact_relation", "아버지"),
        ("contact_phone", "010-3333-4444"),
        ("consent", "data"),
    ];
    let saved = app.submit(&guardian, "/children/new", "/children", &fields).await;
    let kid = saved.headers()["location"].to_str().unwrap().rsplit('/').next().unwrap().to_string();

    let twice = [("child_id", kid.as_str()), ("choice", c1.as_str()), ("choice", c1.as_str())];
    let refused = app.submit(&guardian, "/waitlist", "/waitlist", &twice).await;
    assert_eq!(refused.status(), 422);
    assert!(refused.text().await.unwrap().contains("같은 어린이집을 두 번 고를 수 없습니다"));
    let none = app.submit(&guardian, "/waitlist", "/waitlist", &[("child_id", kid.as_str())]).await;
    assert!(none.text().await.unwrap().contains("한 곳 이상, 다섯 곳까지"));
    let nowhere = [("child_id", kid.as_str()), ("home_area", "9999999999"), ("choice", c1.as_str())];
    let refused = app.submit(&guardian, "/waitlist", "/waitlist", &nowhere).await;
    assert_eq!(refused.status(), 422, "a 행정동 of another district");
    let good = [
        ("child_id", kid.as_str()),
        ("home_area", "1135056000"),
        ("choice", c1.as_str()),
        ("choice", c2.as_str()),
        ("fact", "dual_income"),
    ];
    assert_eq!(app.submit(&guardian, "/waitlist", "/waitlist", &good).await.status(), 303);
    let again = app.submit(&guardian, "/waitlist", "/waitlist", &good).await;
    assert!(again.text().await.unwrap().contains("이미 대기 중입니다"), "one waiting application per child");
    let page = app.get(&guardian, "/waitlist").await.text().await.unwrap();
    assert!(page.contains("대기 중") && page.contains("맞벌이 (확인 전)") && page.contains("하늘어린이집"));

    // A rival with more points but nothing verified; the worker checks our document, an official runs a round.
    let rival_guardian = app.account(Role::Resident, "rival@test.kr", &[]).await;
    let rival = child_of(&app, &rival_guardian, "라이벌").await;
    store::apply(
        &app.state.db,
        "11350",
        &rival_guardian,
        &rival,
        HOME,
        std::slice::from_ref(&c1),
        &ids(&["basic_livelihood"]),
    )
    .await
    .unwrap();
    let worker = app.signed_in(Role::WelfareWorker, &["1135056000"]).await;
    let staff_page = app.get(&worker, "/staff/waitlist").await.text().await.unwrap();
    assert!(staff_page.contains("재직증명서 (부모 모두)"), "the document to check is named");
    let mine = store::waiting(&app.state.db, "11350", i64::MAX)
        .await
        .unwrap()
        .into_iter()
        .find(|w| w.child_id == kid)
        .unwrap();
    let verify = [("application_id", mine.id.as_str()), ("fact", "dual_income")];
    assert_eq!(app.submit(&worker, "/staff/waitlist", "/staff/waitlist/verify", &verify).await.status(), 303);
    let official = app.signed_in(Role::Official, &[]).await;
    assert_eq!(app.submit(&official, "/staff/waitlist", "/staff/waitlist/rounds", &[]).await.status(), 303);
    let (round_id, _, _, _) = store::rounds(&app.state.db, "11350").await.unwrap().remove(0);
    let run = format!("/staff/waitlist/rounds/{round_id}/run");
    assert_eq!(app.submit(&official, "/staff/waitlist", &run, &[]).await.status(), 303);
    assert_eq!(app.submit(&official, "/staff/waitlist", &run, &[]).await.status(), 409, "a round runs once");

    let page = app.get(&guardian, "/waitlist").await.text().await.unwrap();
    assert!(page.contains("하늘어린이집에 자리가 났습니다"), "verified 맞벌이 (class 1) beats unverified claims");
    assert!(page.contains("대기 1번째 (신청 2명)"), "position and applicants shown");
    assert!(page.contains("우선순위 1순위") && page.contains("점수 10점") && page.contains("추첨번호"), "and why");
    let audit = app.get(&official, &format!("/staff/waitlist/rounds/{round_id}")).await.text().await.unwrap();
    assert!(audit.contains("공개된 입력으로 다시 계산해도 같은 결과입니다"), "the round re-runs to the same result");
    assert!(audit.contains(&mine.id) && !audit.contains("마루"), "the audit names applications, not children");
    let care_year = dolbom::places::classes::care_year(dolbom::db::time::seoul_today());
    let band = format!("만 {}세반", care_year - 2023 - 1);
    assert!(audit.contains(&band), "each child's class as the round saw it (born 2023: {band})");
    let input = app.get(&official, &format!("/staff/waitlist/rounds/{round_id}/input.json")).await;
    let input: allocation::Input = input.json().await.unwrap();
    assert_eq!((input.children.len(), input.centers.len()), (2, 2));

    // The rival leaves the list; nobody else can take it off for them.
    let rival_app = store::waiting(&app.state.db, "11350", i64::MAX).await.unwrap().remove(0).id;
    let withdraw = format!("/waitlist/{rival_app}/withdraw");
    assert_eq!(app.submit(&guardian, "/waitlist", &withdraw, &[]).await.status(), 404, "not our application");
    let rival_client = app.browser();
    app.login(&rival_client, "rival@test.kr", crate::support::PASSWORD).await;
    assert_eq!(app.submit(&rival_client, "/waitlist", &withdraw, &[]).await.status(), 303);
    assert!(store::waiting(&app.state.db, "11350", i64::MAX).await.unwrap().is_empty());

    // We take the place: the child leaves the list as placed, and the offer cannot be answered again.
    let offer = offer_store::of_guardian(&app.state.db, "11350", &guardian_id(&app, "마루").await).await.unwrap();
    let accept = format!("/waitlist/offers/{}/accept", offer[0].id);
    let decline = format!("/waitlist/offers/{}/decline", offer[0].id);
    assert_eq!(app.submit(&rival_client, "/waitlist", &accept, &[]).await.status(), 409, "not the rival's offer");
    assert_eq!(app.submit(&guardian, "/waitlist", &accept, &[]).await.status(), 303);
    assert_eq!(app.submit(&guardian, "/waitlist", &decline, &[]).await.status(), 409, "answered already");
    let page = app.get(&guardian, "/waitlist").await.text().await.unwrap();
    assert!(page.contains("하늘어린이집 자리를 수락했습니다") && page.contains("자리 수락함"), "{page}");
});

/// The guardian of the child called `name`.
pub(crate) async fn guardian_id(app: &TestApp, name: &str) -> String {
    let sql = "SELECT guardian_id FROM children WHERE name = $1";
    dolbom::db_run!(&app.state.db, p => sqlx::query_scalar(sql).bind(name).fetch_one(p).await).unwrap()
}
