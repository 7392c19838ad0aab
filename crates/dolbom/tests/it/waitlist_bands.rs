//! Age bands on both backends: a 어린이집's classes come from the public data with their places (classes × the
//! legal ratio − children); a round fills each 만 N세반 only with children of that age and a mixed class with the
//! best of its ages once their own classes are full; a child of an age the centre has no class for is told so; a
//! seat freed between rounds goes to the next child whose class has room; enrolling takes a place of the class.

use chrono::{Datelike, NaiveDate};
use dolbom::auth::Role;
use dolbom::db::time::seoul_today;
use dolbom::places::classes::{self, Class};
use dolbom::places::import;
use dolbom::waitlist::priority::PriorityRules;
use dolbom::waitlist::{offer_store, offers, round, store};

use crate::both;
use crate::support::{PASSWORD, TestApp};
use crate::waitlist::{HOME, centre_of, child_born, ids};

async fn classes_of(app: &TestApp, facility: &str) -> Vec<(String, i64)> {
    let mut tx = app.state.db.begin().await.unwrap();
    let classes = classes::of_facility(&mut tx, facility).await.unwrap();
    classes.into_iter().map(|c| (c.ages, c.places)).collect()
}

async fn set_classes(app: &TestApp, facility: &str, classes: &[(&str, i64)]) {
    let classes: Vec<Class> = classes.iter().map(|(a, n)| Class { ages: a.to_string(), places: *n }).collect();
    let mut tx = app.state.db.begin().await.unwrap();
    classes::replace(&mut tx, facility, &classes).await.unwrap();
    tx.commit().await.unwrap();
}

async fn offer_of(app: &TestApp, application: &str) -> Option<(String, String, String)> {
    let sql = "SELECT id, facility_id, status FROM waitlist_offers WHERE application_id = $1 \
               AND status IN ('open', 'accepted', 'enrolled')";
    dolbom::db_run!(&app.state.db, p => sqlx::query_as(sql).bind(application).fetch_optional(p).await).unwrap()
}

both!(the_public_daycare_list_gives_each_centre_its_classes_and_places, |app: TestApp| async move {
    let text = include_str!("../../data/childcare/daycare-nowon.csv");
    let mut parsed = import::parse(text, &app.state.areas);
    parsed.facilities.truncate(2);
    parsed.classes.truncate(2);
    let report = import::write(&app.state.db, "11350", parsed, &indicatif::ProgressBar::hidden()).await.unwrap();
    assert_eq!(report.imported, 2);
    let sql = "SELECT id FROM facilities WHERE name = '샛별몬테소리어린이집'";
    let id: String = dolbom::db_run!(&app.state.db, p => sqlx::query_scalar(sql).fetch_one(p).await).unwrap();
    // 만0세 3 classes × 3 − 8 children, 만1세 2 × 5 − 5, 만2세 1 × 7 − 6, 영아혼합 3 × 3 − 0.
    let want: Vec<(String, i64)> = [("0", 1), ("0-2", 9), ("1", 5), ("2", 1)].map(|(a, n)| (a.to_string(), n)).to_vec();
    assert_eq!(classes_of(&app, &id).await, want);
});

both!(a_round_fills_each_class_with_its_ages_and_a_freed_place_follows_them, |app: TestApp| async move {
    let db = &app.state.db;
    let rules = PriorityRules::default_rules();
    let year = classes::care_year(seoul_today());
    let born = |years_before: i32| NaiveDate::from_ymd_opt(year - years_before, 6, 1).unwrap();
    let staff = app.account(Role::ProviderStaff, "centre@test.kr", &[]).await;
    let org = app.organization_of(&staff).await;
    let official = app.account(Role::Official, "o@test.kr", &[]).await;
    // Five seats free, but the 만0세반 has one place, the 만2세반 none, the 영아혼합반 one, and no class for older ages.
    let c = centre_of(&app, Some(&org), "새싹어린이집", 5).await;
    set_classes(&app, &c, &[("0", 1), ("2", 0), ("0-2", 1)]).await;
    let mut apps = Vec::new();
    let mut guardians = Vec::new();
    let families = [("아기하나", 1, &["dual_income"][..]), ("아기둘", 1, &[][..]), ("세살", 3, &["two_children"][..])];
    for (name, age, facts) in families.into_iter().chain([("여덟살", 8, &["dual_income"][..])]) {
        let g = app.account(Role::Resident, &format!("{name}@test.kr"), &[]).await;
        let kid = child_born(&app, &g, name, born(age)).await;
        let a = store::apply(db, "11350", &g, &kid, HOME, std::slice::from_ref(&c), &ids(facts)).await.unwrap();
        for fact in facts {
            assert!(store::verify(db, "11350", &a, fact, &official).await.unwrap());
        }
        apps.push(a);
        guardians.push(g);
    }
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let r = store::publish_round(db, "11350", 3, Some(&official)).await.unwrap();
    let summary = round::run(&app.state, &r, &rules, Some(&official)).await.unwrap();
    assert_eq!(summary.placed, 2, "two class places for four children, though five seats are free");
    assert!(offer_of(&app, &apps[0]).await.is_some(), "the 만0세반 place: the baby of the better class");
    assert!(offer_of(&app, &apps[2]).await.is_some(), "the mixed place: the 2-year-old before the second baby");
    assert!(offer_of(&app, &apps[1]).await.is_none());

    // Each guardian sees the class and why; the school-age child is told the centre has no class for them.
    let mine = store::of_guardian(db, "11350", &guardians[2]).await.unwrap();
    assert_eq!(mine[0].band, "2");
    let school = store::of_guardian(db, "11350", &guardians[3]).await.unwrap();
    let why: allocation::Explanation = serde_json::from_str(school[0].explanation.as_deref().unwrap()).unwrap();
    assert_eq!(why.choices, [allocation::ChoiceOutcome::NoClass { center: c.clone() }]);
    let browser = app.browser();
    assert_eq!(app.login(&browser, "여덟살@test.kr", PASSWORD).await.status(), 303);
    let page = app.get(&browser, "/waitlist").await.text().await.unwrap();
    assert!(page.contains("학령기") && page.contains("아이 나이의 반이 없음"), "{page}");
    // Applying now for a school-age brother to this 어린이집 is refused at once, naming the choice; nothing is kept.
    let brother = child_born(&app, &guardians[3], "아홉살", born(9)).await;
    let form = [("child_id", brother.as_str()), ("home_area", "1135056000"), ("choice", ""), ("choice", c.as_str())];
    let refused = app.submit(&browser, "/waitlist", "/waitlist", &form).await;
    assert_eq!(refused.status(), 422);
    let text = refused.text().await.unwrap();
    assert!(
        text.contains("아이 나이에 맞는 반이 없는 어린이집을 골랐습니다") && text.contains("choice-1-error"),
        "{text}"
    );
    assert_eq!(store::waiting(db, "11350", i64::MAX).await.unwrap().len(), 2, "the two without offers, no third");

    // The 2-year-old declines: the mixed place goes to the second baby, never to the school-age child.
    let (offer, _, _) = offer_of(&app, &apps[2]).await.unwrap();
    offer_store::answer(db, "11350", &guardians[2], &offer, false).await.unwrap();
    assert_eq!(offers::offer_on(&app.state, &rules, &c).await.unwrap(), 1, "one class place, not three seats");
    let (second, _, _) = offer_of(&app, &apps[1]).await.expect("the second baby");
    assert!(offer_of(&app, &apps[3]).await.is_none());

    // Enrolled: the class the child sits in has one place fewer (the 만0세반 was held, so the mixed class).
    let (first, _, _) = offer_of(&app, &apps[0]).await.unwrap();
    for (g, o) in [(&guardians[0], &first), (&guardians[1], &second)] {
        assert!(offer_store::answer(db, "11350", g, o, true).await.unwrap().is_some());
        assert!(offer_store::enrol(db, "11350", &c, o).await.unwrap());
    }
    let want: Vec<(String, i64)> = [("0", 0), ("0-2", 0), ("2", 0)].map(|(a, n)| (a.to_string(), n)).to_vec();
    assert_eq!(classes_of(&app, &c).await, want);
    assert_eq!(born(1).year(), year - 1);
});
