//! Care applications end to end on both backends: apply, match, accept, check in and out, survey, the officials'
//! figures; refused input; declines and deadlines moving on; two accepts at once never overbooking.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use dolbom::auth::Role;
use dolbom::care::model::Status;
use dolbom::care::store::{self, CareError, ProviderRef};
use dolbom::care::{flow, hold_store, offer_store};
use dolbom::db::time::seoul_today;
use dolbom::places::hours::WeeklyHours;
use dolbom::places::model::Facility;
use reqwest::Client;

use crate::both;
use crate::support::TestApp;

pub(crate) const DONG: &str = "1135056000";

/// The middle of the test 행정동, and a point `metres` east of it.
pub(crate) fn east_of_home(app: &TestApp, metres: f64) -> (f64, f64) {
    let (lat, lon) = app.state.areas.inner_point(DONG).unwrap();
    (lat, lon + metres / 88_000.0)
}

/// A 다함께돌봄센터 open 08–22 every day, with `places` emergency places, run by `org`.
pub(crate) async fn centre(app: &TestApp, org: Option<&str>, name: &str, metres: f64, places: i32) -> String {
    let (latitude, longitude) = east_of_home(app, metres);
    let f = Facility {
        kind: "community_care".into(),
        name: name.into(),
        organization_id: org.map(str::to_string),
        address: "서울특별시 노원구".into(),
        latitude,
        longitude,
        adm_cd2: DONG.into(),
        min_age_months: 72,
        max_age_months: 155,
        capacity: Some(20),
        enrolled: Some(15),
        hours: WeeklyHours::always(),
        hours_confirmed: true,
        ..Facility::default()
    };
    let id = dolbom::places::store::upsert(&app.state.db, "11350", &f).await.unwrap();
    assert!(hold_store::set_places(&app.state.db, &id, places).await.unwrap());
    app.state.sync_places().await.unwrap();
    id
}

pub(crate) async fn child(app: &TestApp, guardian: &Client, name: &str, birth: &str) -> String {
    let fields = [
        ("name", name),
        ("birth_date", birth),
        ("sex", "F"),
        ("contact_name", "보호자"),
        ("contact_relation", "어머니"),
        ("contact_phone", "010-1234-5678"),
        ("consent", "data"),
    ];
    let saved = app.submit(guardian, "/children/new", "/children", &fields).await;
    assert_eq!(saved.status(), 303);
    saved.headers()["location"].to_str().unwrap().rsplit('/').next().unwrap().to_string()
}

pub(crate) fn next_saturday() -> NaiveDate {
    let mut day = seoul_today() + Duration::days(2);
    while day.weekday() != Weekday::Sat {
        day += Duration::days(1);
    }
    day
}

pub(crate) async fn apply(
    app: &TestApp,
    guardian: &Client,
    child: &str,
    service: &str,
    start: &str,
    end: &str,
) -> reqwest::Response {
    let day = next_saturday().to_string();
    let fields = [
        ("child_id", child),
        ("service", service),
        ("first_day", day.as_str()),
        ("days", "1"),
        ("start", start),
        ("end", end),
        ("reason", "work"),
        ("dong", DONG),
        ("address", "노원구 상계로 1"),
    ];
    app.submit(guardian, "/care/apply", "/care/applications", &fields).await
}

pub(crate) fn id_of(response: &reqwest::Response) -> String {
    response.headers()["location"].to_str().unwrap().rsplit('/').next().unwrap().to_string()
}

pub(crate) async fn status(app: &TestApp, id: &str) -> Status {
    store::get(&app.state.db, "11350", id).await.unwrap().unwrap().status()
}

/// Time passes: the day of care is today.
pub(crate) async fn care_day_is_today(app: &TestApp, id: &str) {
    let sql = "UPDATE care_applications SET first_day = $1 WHERE id = $2";
    dolbom::db_run!(&app.state.db, p => sqlx::query(sql).bind(seoul_today()).bind(id).execute(p).await.map(|_| ()))
        .unwrap();
}

both!(a_guardian_applies_the_centre_cares_and_the_official_counts_it, |app: TestApp| async move {
    let staff_id = app.account(Role::ProviderStaff, "centre@test.kr", &[]).await;
    let org = app.organization_of(&staff_id).await;
    let near = centre(&app, Some(&org), "가까운다함께돌봄센터", 300.0, 2).await;
    centre(&app, None, "먼다함께돌봄센터", 2_500.0, 2).await;
    let guardian = app.signed_in(Role::Resident, &[]).await;
    let kid = child(&app, &guardian, "이하람", "2018-03-01").await;

    let sent = apply(&app, &guardian, &kid, "elementary_emergency", "10:00", "14:00").await;
    assert_eq!(sent.status(), 303);
    let id = id_of(&sent);
    let record = app.get(&guardian, &format!("/care/applications/{id}")).await.text().await.unwrap();
    assert!(record.contains("기관 확인 중") && record.contains("가까운다함께돌봄센터"), "matched to the nearest");
    let a = store::get(&app.state.db, "11350", &id).await.unwrap().unwrap();
    assert_eq!(a.facility_id.as_deref(), Some(near.as_str()));

    // The centre sees the request, and its staff accept it.
    let staff = app.browser();
    assert_eq!(app.login(&staff, "centre@test.kr", crate::support::PASSWORD).await.status(), 303);
    let work = app.get(&staff, "/care/work").await.text().await.unwrap();
    assert!(work.contains(&format!("/care/applications/{id}")));
    let page = format!("/care/applications/{id}");
    assert_eq!(app.submit(&staff, &page, &format!("{page}/accept"), &[]).await.status(), 303);
    assert_eq!(status(&app, &id).await, Status::Confirmed);

    // Check-in is refused before the day; on the day, in and out complete the care.
    assert_eq!(app.submit(&staff, &page, &format!("{page}/check-in"), &[]).await.status(), 409);
    care_day_is_today(&app, &id).await;
    assert_eq!(app.submit(&staff, &page, &format!("{page}/check-in"), &[]).await.status(), 303);
    assert_eq!(app.submit(&staff, &page, &format!("{page}/check-out"), &[]).await.status(), 303);
    assert_eq!(status(&app, &id).await, Status::Completed);

    // The guardian answers the survey (once), and an out-of-range answer is refused.
    let bad = app.submit(&guardian, &page, &format!("{page}/survey"), &[("satisfaction", "9")]).await;
    assert_eq!(bad.status(), 422);
    let good = [("satisfaction", "5"), ("comment", "고맙습니다")];
    assert_eq!(app.submit(&guardian, &page, &format!("{page}/survey"), &good).await.status(), 303);
    assert_eq!(app.submit(&guardian, &page, &format!("{page}/survey"), &good).await.status(), 409);
    let record = app.get(&guardian, &page).await.text().await.unwrap();
    for step in ["접수", "기관 연결", "확정", "입실", "퇴실", "완료", "만족도 조사 응답", "매우 만족"]
    {
        assert!(record.contains(step), "timeline shows {step}");
    }

    // The official sees it counted; their read of the record is logged, as the provider's was.
    let official = app.signed_in(Role::Official, &[]).await;
    let figures = app.get(&official, "/care/monitoring").await.text().await.unwrap();
    assert!(figures.contains("가까운다함께돌봄센터") && figures.contains("5.0 (1)") && figures.contains("100.0 %"));
    assert!(figures.contains("data-status=\"completed\"><td>완료</td><td>1</td>"));
    assert_eq!(app.get(&official, &page).await.status(), 200);
    let sql = "SELECT COUNT(*) FROM access_log WHERE record_kind = 'care_application' AND record_id = $1";
    let reads: i64 = dolbom::db_run!(&app.state.db, p => sqlx::query_scalar(sql).bind(&id).fetch_one(p).await).unwrap();
    assert!(reads >= 2, "provider and official reads logged: {reads}");
    let guardian_notes = dolbom::notify::latest(&app.state.db, &a.guardian_id, 20).await.unwrap();
    assert!(guardian_notes.iter().any(|n| n.message == "notify-care-completed"));
    let inbox = app.get(&guardian, "/notifications").await.text().await.unwrap();
    assert!(
        inbox.contains("가까운다함께돌봄센터에 돌봄을 요청했습니다") && inbox.contains(&format!("href=\"{page}\""))
    );
    assert!(inbox.contains("돌봄이 끝났습니다. 만족도 조사에 답해 주세요."));
    assert_eq!(app.submit(&guardian, "/notifications", "/notifications/read", &[]).await.status(), 303);
    let mail =
        dolbom::notify::deliver_outbox(&app.state.db, &app.state.mailer, "http://dolbom.test", 100).await.unwrap();
    assert!(mail.sent >= 5 && mail.failed == 0, "every notification also went out by e-mail: {mail:?}");

    // Someone else's application is not there for another guardian or another centre.
    let other = app.signed_in(Role::Resident, &[]).await;
    assert_eq!(app.get(&other, &page).await.status(), 404);
    let other_staff = app.signed_in(Role::ProviderStaff, &[]).await;
    assert_eq!(app.get(&other_staff, &page).await.status(), 404);
});

both!(wrong_ages_hours_and_overlaps_are_refused_and_nothing_is_lost, |app: TestApp| async move {
    centre(&app, None, "센터", 300.0, 3).await;
    let guardian = app.signed_in(Role::Resident, &[]).await;
    let young = child(&app, &guardian, "어린아이", "2022-05-01").await;
    let refused = apply(&app, &guardian, &young, "elementary_emergency", "10:00", "14:00").await;
    assert_eq!(refused.status(), 422);
    assert!(refused.text().await.unwrap().contains("이 서비스의 나이보다 어립니다"));

    let kid = child(&app, &guardian, "초등아이", "2017-05-01").await;
    let early = apply(&app, &guardian, &kid, "elementary_emergency", "07:00", "09:00").await;
    assert_eq!(early.status(), 422);
    assert!(early.text().await.unwrap().contains("돌봄 시간 밖입니다"));

    let first = apply(&app, &guardian, &kid, "elementary_emergency", "10:00", "14:00").await;
    assert_eq!(first.status(), 303);
    let overlap = apply(&app, &guardian, &kid, "home_visit", "13:00", "16:00").await;
    assert_eq!(overlap.status(), 422);
    assert!(overlap.text().await.unwrap().contains("이미 신청한 돌봄이 있습니다"));
    assert_eq!(status(&app, &id_of(&first)).await, Status::Matched, "the first application is untouched");
    let list = app.get(&guardian, "/care/applications").await.text().await.unwrap();
    assert_eq!(list.matches("/care/applications/").count(), 1);

    // Cancelled, its hours are free again for another application.
    let page = format!("/care/applications/{}", id_of(&first));
    assert_eq!(app.submit(&guardian, &page, &format!("{page}/cancel"), &[]).await.status(), 303);
    assert_eq!(apply(&app, &guardian, &kid, "elementary_emergency", "13:00", "16:00").await.status(), 303);
});

both!(declines_and_missed_deadlines_move_to_the_next_best, |app: TestApp| async move {
    let staff_id = app.account(Role::ProviderStaff, "near@test.kr", &[]).await;
    let org = app.organization_of(&staff_id).await;
    centre(&app, Some(&org), "가까운센터", 200.0, 1).await;
    let second = centre(&app, None, "두번째센터", 900.0, 1).await;
    let guardian = app.signed_in(Role::Resident, &[]).await;
    let kid = child(&app, &guardian, "박나래", "2016-09-09").await;
    let id = id_of(&apply(&app, &guardian, &kid, "elementary_emergency", "10:00", "13:00").await);

    let staff = app.browser();
    app.login(&staff, "near@test.kr", crate::support::PASSWORD).await;
    let page = format!("/care/applications/{id}");
    let no_reason = app.submit(&staff, &page, &format!("{page}/decline"), &[("reason", " ")]).await;
    assert_eq!(no_reason.status(), 422, "a decline needs a reason");
    let declined = app.submit(&staff, &page, &format!("{page}/decline"), &[("reason", "교사 부족")]).await;
    assert_eq!(declined.status(), 303);
    let a = store::get(&app.state.db, "11350", &id).await.unwrap().unwrap();
    assert_eq!((a.status(), a.facility_id.as_deref()), (Status::Matched, Some(second.as_str())));
    let record = app.get(&guardian, &page).await.text().await.unwrap();
    assert!(record.contains("가까운센터") && record.contains("거절했거나 답하지 않음") && record.contains("교사 부족"));

    // The second lets the deadline pass: nobody is left, so no match, and the child's hours are free.
    let sql = "UPDATE care_offers SET deadline = 0 WHERE application_id = $1 AND answer IS NULL";
    dolbom::db_run!(&app.state.db, p => sqlx::query(sql).bind(&id).execute(p).await.map(|_| ())).unwrap();
    let late = store::get(&app.state.db, "11350", &id).await.unwrap().unwrap();
    let too_late = offer_store::accept(&app.state.db, &late, 2, &staff_id).await;
    assert!(matches!(too_late, Err(CareError::WrongStatus)), "past the deadline nobody accepts: {too_late:?}");
    assert_eq!(flow::expire_overdue(&app.state).await.unwrap(), 1);
    assert_eq!(status(&app, &id).await, Status::NoMatch);
    let offers = offer_store::offers(&app.state.db, &id).await.unwrap();
    let answers: Vec<_> = offers.iter().map(|o| o.answer.clone().unwrap_or_default()).collect();
    assert_eq!(answers, ["declined", "expired"]);
    assert_eq!(apply(&app, &guardian, &kid, "elementary_emergency", "10:00", "13:00").await.status(), 303);
});

both!(two_accepts_at_once_never_overbook_a_place, |app: TestApp| async move {
    let only = centre(&app, None, "한자리센터", 100.0, 1).await;
    let guardian = app.signed_in(Role::Resident, &[]).await;
    let (k1, k2) =
        (child(&app, &guardian, "첫째", "2017-01-01").await, child(&app, &guardian, "둘째", "2017-02-02").await);
    let id1 = id_of(&apply(&app, &guardian, &k1, "elementary_emergency", "10:00", "14:00").await);
    // The matcher knows the place is promised; the second would get no match, so it is offered by hand to the same
    // centre to put the database's guarantee itself to the test.
    let id2 = id_of(&apply(&app, &guardian, &k2, "elementary_emergency", "11:00", "12:00").await);
    assert_eq!(status(&app, &id2).await, Status::NoMatch, "the only place was already offered");
    let sql = "UPDATE care_applications SET status = 'submitted' WHERE id = $1";
    dolbom::db_run!(&app.state.db, p => sqlx::query(sql).bind(&id2).execute(p).await.map(|_| ())).unwrap();
    offer_store::offer(&app.state.db, &id2, &ProviderRef::Facility(only.clone()), 100, i64::MAX, "{}").await.unwrap();

    let (a1, a2) = (
        store::get(&app.state.db, "11350", &id1).await.unwrap().unwrap(),
        store::get(&app.state.db, "11350", &id2).await.unwrap().unwrap(),
    );
    let actor = app.account(Role::ProviderStaff, "two@test.kr", &[]).await;
    let (db1, db2) = (app.state.db.clone(), app.state.db.clone());
    let (act1, act2) = (actor.clone(), actor.clone());
    let first = tokio::spawn(async move { offer_store::accept(&db1, &a1, 1, &act1).await });
    let second = tokio::spawn(async move { offer_store::accept(&db2, &a2, 1, &act2).await });
    let results = [first.await.unwrap(), second.await.unwrap()];
    let accepted = results.iter().filter(|r| r.is_ok()).count();
    assert_eq!(accepted, 1, "exactly one accept holds the one place: {results:?}");
    assert!(results.iter().any(|r| matches!(r, Err(CareError::Full) | Err(CareError::Db(_)))));
    let sql = "SELECT COUNT(DISTINCT application_id) FROM care_seat_hours WHERE facility_id = $1 AND hour = 11";
    let holders: i64 =
        dolbom::db_run!(&app.state.db, p => sqlx::query_scalar(sql).bind(&only).fetch_one(p).await).unwrap();
    assert_eq!(holders, 1);
});

both!(no_shows_and_incidents_are_recorded_with_who_and_when, |app: TestApp| async move {
    let staff_id = app.account(Role::ProviderStaff, "ns@test.kr", &[]).await;
    let org = app.organization_of(&staff_id).await;
    centre(&app, Some(&org), "노쇼센터", 300.0, 2).await;
    let guardian = app.signed_in(Role::Resident, &[]).await;
    let (k1, k2) =
        (child(&app, &guardian, "하나", "2016-01-01").await, child(&app, &guardian, "두리", "2016-02-02").await);
    let staff = app.browser();
    app.login(&staff, "ns@test.kr", crate::support::PASSWORD).await;
    let mut pages = Vec::new();
    for kid in [&k1, &k2] {
        let id = id_of(&apply(&app, &guardian, kid, "elementary_emergency", "10:00", "12:00").await);
        let page = format!("/care/applications/{id}");
        assert_eq!(app.submit(&staff, &page, &format!("{page}/accept"), &[]).await.status(), 303);
        pages.push((id, page));
    }
    let (absent, page) = &pages[0];
    assert_eq!(app.submit(&staff, page, &format!("{page}/no-show"), &[]).await.status(), 409, "not before the day");
    care_day_is_today(&app, absent).await;
    assert_eq!(app.submit(&staff, page, &format!("{page}/no-show"), &[]).await.status(), 303);
    assert_eq!(status(&app, absent).await, Status::NoShow);

    let (present, page) = &pages[1];
    care_day_is_today(&app, present).await;
    assert_eq!(app.submit(&staff, page, &format!("{page}/check-in"), &[]).await.status(), 303);
    let cancel = app.submit(&guardian, page, &format!("{page}/cancel"), &[]).await;
    assert_eq!(cancel.status(), 409, "care has begun: no longer cancellable");
    let empty = app.submit(&staff, page, &format!("{page}/incident"), &[("severity", "minor")]).await;
    assert_eq!(empty.status(), 422, "an incident needs a description");
    let report = [("severity", "minor"), ("description", "놀이 중 무릎이 까짐, 소독함")];
    assert_eq!(app.submit(&staff, page, &format!("{page}/incident"), &report).await.status(), 303);
    let record = app.get(&guardian, page).await.text().await.unwrap();
    assert!(record.contains("놀이 중 무릎이 까짐") && record.contains("사고 보고") && record.contains("가벼움"));
    let official = app.signed_in(Role::Official, &[]).await;
    let figures = app.get(&official, "/care/monitoring").await.text().await.unwrap();
    assert!(figures.contains("data-status=\"no_show\"><td>오지 않음</td><td>1</td>"));
    assert!(figures.contains("<td>1</td></tr>"), "one incident counted");
});
