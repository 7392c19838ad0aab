//! Care at home on both backends: caregivers chosen by qualification, answering from their own page, and keeping
//! their own profile.

use chrono::{Duration, NaiveDate};
use dolbom::auth::Role;
use dolbom::care::caregiver_store::{self, Caregiver, Credential};
use dolbom::care::model::Status;
use dolbom::care::store;
use dolbom::db::time::seoul_today;
use dolbom::places::hours::WeeklyHours;

use crate::both;
use crate::care::{DONG, apply, child, east_of_home, id_of, status};
use crate::support::TestApp;

both!(home_visits_go_to_a_qualified_caregiver_who_answers_from_their_page, |app: TestApp| async move {
    let near_id = app.account(Role::Caregiver, "near-cg@test.kr", &[]).await;
    let qualified_id = app.account(Role::Caregiver, "infant-cg@test.kr", &[]).await;
    for (user_id, name, metres, credentials) in [
        (&near_id, "가까운선생님", 100.0, vec!["basic"]),
        (&qualified_id, "영아선생님", 1_500.0, vec!["basic", "infant"]),
    ] {
        let (latitude, longitude) = east_of_home(&app, metres);
        let c = Caregiver {
            user_id: user_id.clone(),
            name: name.into(),
            sex: "F".into(),
            latitude,
            longitude,
            languages: vec!["ko".into()],
            weekly_limit_minutes: 40 * 60,
            hours: WeeklyHours::always(),
            credentials: credentials
                .into_iter()
                .map(|k| Credential { kind: k.into(), number: String::new(), expires_on: None })
                .collect(),
        };
        caregiver_store::upsert(&app.state.db, "11350", &c).await.unwrap();
    }
    let guardian = app.signed_in(Role::Resident, &[]).await;
    let toddler = child(&app, &guardian, "아기", &(seoul_today() - Duration::days(2 * 365)).to_string()).await;
    let id = id_of(&apply(&app, &guardian, &toddler, "home_visit", "10:00", "13:00").await);
    let a = store::get(&app.state.db, "11350", &id).await.unwrap().unwrap();
    assert_eq!(a.caregiver_id.as_deref(), Some(qualified_id.as_str()), "the nearer one lacks infant care");
    let record = app.get(&guardian, &format!("/care/applications/{id}")).await.text().await.unwrap();
    assert!(record.contains("가까운선생님") && record.contains("아이에게 필요한 자격이 없음"));

    let caregiver = app.browser();
    app.login(&caregiver, "infant-cg@test.kr", crate::support::PASSWORD).await;
    assert!(app.get(&caregiver, "/care/work").await.text().await.unwrap().contains(&id));
    let page = format!("/care/applications/{id}");
    assert_eq!(app.submit(&caregiver, &page, &format!("{page}/accept"), &[]).await.status(), 303);
    assert_eq!(status(&app, &id).await, Status::Confirmed);
    let other = app.browser();
    app.login(&other, "near-cg@test.kr", crate::support::PASSWORD).await;
    assert_eq!(app.get(&other, &page).await.status(), 404, "another caregiver has no business with it");
});

both!(caregivers_keep_their_profile_and_bad_input_is_named, |app: TestApp| async move {
    let caregiver = app.signed_in(Role::Caregiver, &[]).await;
    let page = "/care/work/profile";
    let bad = [
        ("sex", "F"),
        ("dong", "0000000000"),
        ("language", "ko"),
        ("weekly_hours", "90"),
        ("saturday", "18:00-09:00"),
        ("credential", "first_aid"),
        ("expires_first_aid", "next year"),
    ];
    let refused = app.submit(&caregiver, page, page, &bad).await;
    assert_eq!(refused.status(), 422);
    let text = refused.text().await.unwrap();
    assert!(text.contains("1부터 56 사이의 시간") && text.contains("끝나는 시각이 시작 시각보다 뒤여야"));
    assert!(text.contains("value=\"18:00-09:00\""), "what was typed stays");
    let good = [
        ("sex", "F"),
        ("dong", DONG),
        ("language", "ko"),
        ("language", "vi"),
        ("weekly_hours", "30"),
        ("weekday", "09:00-18:00"),
        ("saturday", "09:00-13:00"),
        ("credential", "basic"),
        ("credential", "first_aid"),
        ("expires_first_aid", "2027-03-01"),
    ];
    assert_eq!(app.submit(&caregiver, page, page, &good).await.status(), 303);
    let saved = caregiver_store::active(&app.state.db, "11350").await.unwrap();
    assert_eq!(saved.len(), 1);
    let c = &saved[0];
    assert_eq!((c.weekly_limit_minutes, c.languages.clone()), (30 * 60, vec!["ko".to_string(), "vi".to_string()]));
    assert_eq!(c.hours.0[5].map(|s| (s.opens, s.closes)), Some((540, 780)));
    assert!(c.hours.0[6].is_none(), "Sunday left empty: not available");
    assert_eq!(c.qualifications_on(NaiveDate::from_ymd_opt(2027, 4, 1).unwrap()), ["basic"], "first aid lapsed");
    let again = app.get(&caregiver, page).await.text().await.unwrap();
    assert!(again.contains("value=\"09:00-13:00\"") && again.contains("value=\"2027-03-01\""));
    let staff = app.signed_in(Role::ProviderStaff, &[]).await;
    assert_eq!(app.get(&staff, page).await.status(), 403, "facility staff keep no caregiver profile");
});
