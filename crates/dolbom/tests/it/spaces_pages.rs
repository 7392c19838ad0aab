//! Booking a space through the pages on both backends: the search shows only spaces free then, a resident holds and
//! confirms (a double submit makes one booking), a second is told the time is taken and joins the waiting list, the
//! first cancels and the second is offered it; bad times are named; the booking exports as iCalendar.

use chrono::{Datelike, Days};
use dolbom::auth::Role;
use dolbom::db::time::seoul_today;

use crate::both;
use crate::spaces::space;
use crate::support::{PASSWORD, TestApp, csrf_in};

both!(residents_book_wait_and_are_offered_a_cancelled_room, |app: TestApp| async move {
    let room = space(&app, false, None).await;
    // A Saturday at least three days ahead: far enough to cancel under the 24-hour rule.
    let mut day = seoul_today() + Days::new(3);
    while day.weekday() != chrono::Weekday::Sat {
        day = day + Days::new(1);
    }
    let day = day.format("%Y-%m-%d").to_string();
    for email in ["a@test.kr", "b@test.kr"] {
        app.account(Role::Resident, email, &[]).await;
    }
    let (a, b) = (app.browser(), app.browser());
    assert_eq!(app.login(&a, "a@test.kr", PASSWORD).await.status(), 303);
    assert_eq!(app.login(&b, "b@test.kr", PASSWORD).await.status(), 303);
    let page = format!("/spaces/{}?day={day}&start=10:00", room.id);
    let action = format!("/spaces/{}/bookings", room.id);
    let form = |start: &str, end: &str, key: &str| {
        vec![
            ("day", day.clone()),
            ("start", start.to_string()),
            ("end", end.to_string()),
            ("use_purpose", "아이들 책 모임".to_string()),
            ("attendees", "6".to_string()),
            ("request_key", key.to_string()),
        ]
    };
    let send = |client: &reqwest::Client, fields: Vec<(&'static str, String)>| {
        let (app, page, action) = (&app, page.clone(), action.clone());
        let client = client.clone();
        async move {
            let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.submit(&client, &page, &action, &pairs).await
        }
    };

    let shown = app.get(&a, &page).await.text().await.unwrap();
    assert!(shown.contains("월계동 공동육아나눔터") && shown.contains("예약 가능"), "the week shows free slots");
    let outside = send(&a, form("07:00", "08:00", "x1")).await;
    assert_eq!(outside.status(), 422);
    assert!(outside.text().await.unwrap().contains("운영 시간 밖입니다"));
    let held = send(&a, form("10:00", "12:00", "k-a")).await;
    assert_eq!(held.status(), 303);
    let booking = held.headers()["location"].to_str().unwrap().to_string();
    let twice = send(&a, form("10:00", "12:00", "k-a")).await;
    assert_eq!(twice.headers()["location"].to_str().unwrap(), booking, "a double submit: the same booking");
    let html = app.get(&a, &booking).await.text().await.unwrap();
    assert!(html.contains("잡아 둠"), "{html}");
    let token = csrf_in(&html).unwrap();
    let confirmed = app.post_form(&a, &format!("{booking}/confirm"), &[("csrf", &token)]).await;
    assert_eq!(confirmed.status(), 303);
    assert!(app.get(&a, &booking).await.text().await.unwrap().contains("확정"));

    let search = app.get(&b, &format!("/spaces?day={day}&from=10:00&to=12:00")).await.text().await.unwrap();
    assert!(search.contains("조건에 맞는 빈 공간이 없습니다"), "taken then: not listed");
    let later = app.get(&b, &format!("/spaces?day={day}&from=14:00&to=16:00")).await.text().await.unwrap();
    assert!(later.contains("월계동 공동육아나눔터"), "free then: listed");
    let taken = send(&b, form("11:00", "12:00", "k-b")).await;
    assert_eq!(taken.status(), 409);
    assert!(taken.text().await.unwrap().contains("대기자로 올리기"));
    let fields = form("11:00", "12:00", "k-b2");
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let waiting = app.submit(&b, &page, &format!("/spaces/{}/waits", room.id), &pairs).await;
    assert_eq!(waiting.status(), 303);
    assert!(app.get(&b, "/bookings").await.text().await.unwrap().contains("대기 중"));

    let ics = app.get(&a, &format!("{booking}/calendar.ics")).await;
    assert_eq!(ics.headers()["content-type"], "text/calendar; charset=utf-8");
    assert!(ics.text().await.unwrap().contains("DTSTART:"));
    assert_eq!(app.get(&b, &booking).await.status(), 404, "not b's booking");

    let html = app.get(&a, &booking).await.text().await.unwrap();
    let token = csrf_in(&html).unwrap();
    assert_eq!(app.post_form(&a, &format!("{booking}/cancel"), &[("csrf", &token)]).await.status(), 303);
    let offered = app.get(&b, "/bookings").await.text().await.unwrap();
    assert!(offered.contains("자리가 났습니다"), "{offered}");
    let inbox = app.get(&b, "/notifications").await.text().await.unwrap();
    assert!(inbox.contains("자리가 났습니다"), "{inbox}");
});

both!(a_manager_approves_marks_a_no_show_and_sees_the_use, |app: TestApp| async move {
    use dolbom::spaces::manage;
    use dolbom::spaces::rules::Request;
    use dolbom::spaces::store::{self, HoldRequest};
    let db = &app.state.db;
    let manager = app.account(Role::ProviderStaff, "hall@test.kr", &[]).await;
    let org = app.organization_of(&manager).await;
    let hall = space(&app, true, Some(&org)).await;
    let resident = app.account(Role::Resident, "r@test.kr", &[]).await;
    let ask = |day: chrono::NaiveDate, key: &'static str| HoldRequest {
        request: Request { day, start: 10 * 60, end: 11 * 60 },
        purpose: "주민 모임",
        attendees: 5,
        group_name: "",
        exempt_reason: "",
        request_key: key,
    };
    // Last Tuesday's booking, made the week before: it happened, and no one came.
    let mut last = seoul_today() - Days::new(1);
    while last.weekday() != chrono::Weekday::Tue {
        last = last - Days::new(1);
    }
    let then = (last - Days::new(7)).and_hms_opt(12, 0, 0).unwrap();
    let past = store::hold(db, "11350", &hall, &resident, Role::Resident, &ask(last, "p"), then).await.unwrap();
    store::confirm(db, &past.id, &resident, store::millis(then)).await.unwrap();
    store::decide(db, &past.id, Some(&org), &manager, true, "").await.unwrap();
    let mut next = seoul_today() + Days::new(3);
    while next.weekday() == chrono::Weekday::Sun {
        next = next + Days::new(1);
    }
    let now = dolbom::db::time::seoul_local(dolbom::db::time::now_millis());
    let coming = store::hold(db, "11350", &hall, &resident, Role::Resident, &ask(next, "c"), now).await.unwrap();
    store::confirm(db, &coming.id, &resident, dolbom::db::time::now_millis()).await.unwrap();

    let browser = app.browser();
    assert_eq!(app.login(&browser, "hall@test.kr", PASSWORD).await.status(), 303);
    let page = app.get(&browser, "/manage/spaces").await.text().await.unwrap();
    assert!(page.contains("주민 모임") && page.contains("승인"), "{page}");
    let action = format!("/manage/bookings/{}/decision", coming.id);
    let no_reason = app.submit(&browser, "/manage/spaces", &action, &[("decision", "reject")]).await;
    assert_eq!(no_reason.status(), 409);
    assert_eq!(app.submit(&browser, "/manage/spaces", &action, &[("decision", "approve")]).await.status(), 303);
    assert_eq!(store::booking(db, &coming.id).await.unwrap().unwrap().status, "confirmed");
    assert_eq!(dolbom::notify::latest(db, &resident, 5).await.unwrap()[0].message, "notify-booking-approved");

    let day_page = format!("/manage/spaces?day={}", last.format("%Y-%m-%d"));
    let shown = app.get(&browser, &day_page).await.text().await.unwrap();
    assert!(shown.contains("오지 않음으로 표시"), "{shown}");
    let mark = format!("/manage/bookings/{}/no-show", past.id);
    assert_eq!(app.submit(&browser, &day_page, &mark, &[]).await.status(), 303);
    assert_eq!(app.submit(&browser, &day_page, &mark, &[]).await.status(), 409, "once");
    assert_eq!(
        app.submit(&browser, "/manage/spaces", &format!("/manage/bookings/{}/no-show", coming.id), &[]).await.status(),
        409,
        "not before it starts"
    );
    let usage = manage::usage(db, &hall, last - Days::new(1), last + Days::new(1)).await.unwrap();
    assert_eq!((usage.bookings, usage.no_shows, usage.booked_hours), (1, 1, 1.0));
    assert!(usage.open_hours >= 9.0 && usage.occupancy > 0.0);
    let other = app.account(Role::ProviderStaff, "other@test.kr", &[]).await;
    let other_org = app.organization_of(&other).await;
    assert!(
        manage::managed(db, "11350", Some(&other_org)).await.unwrap().is_empty(),
        "another organization's staff manage none"
    );
});

both!(the_spaces_api_searches_shows_a_week_and_books_once, |app: TestApp| async move {
    let room = space(&app, false, None).await;
    let mut day = seoul_today() + Days::new(2);
    while day.weekday() == chrono::Weekday::Sun {
        day = day + Days::new(1);
    }
    let day = day.format("%Y-%m-%d").to_string();
    for email in ["a@test.kr", "b@test.kr"] {
        app.account(Role::Resident, email, &[]).await;
    }
    let (a, b) = (app.browser(), app.browser());
    assert_eq!(app.login(&a, "a@test.kr", PASSWORD).await.status(), 303);
    assert_eq!(app.login(&b, "b@test.kr", PASSWORD).await.status(), 303);
    let list: serde_json::Value =
        a.get(app.url("/api/v1/spaces?area=1135056000")).send().await.unwrap().json().await.unwrap();
    assert_eq!(list[0]["id"], room.id.as_str());
    assert_eq!(list[0]["max_week_minutes"], 240);
    assert_eq!(list[0]["fee_exempt"], serde_json::json!([]));
    assert_eq!(list[0]["photos"], serde_json::json!([]));
    assert_eq!(a.get(app.url("/api/v1/spaces?day=someday&from=10:00&to=11:00")).send().await.unwrap().status(), 422);
    let week: serde_json::Value = a
        .get(app.url(&format!("/api/v1/spaces/{}/availability?from={day}&days=1", room.id)))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(week["slot_minutes"], 60);
    assert!(week["days"][0]["cells"].as_array().unwrap().iter().any(|c| c == "free"), "{week}");
    assert_eq!(
        a.get(app.url(&format!("/api/v1/spaces/{}/availability?days=90", room.id))).send().await.unwrap().status(),
        422
    );

    let body = |key: &str| serde_json::json!({"space_id": room.id, "day": day, "start": "10:00", "end": "11:00", "use_purpose": "독서 모임", "attendees": 4, "request_key": key});
    let made = a.post(app.url("/api/v1/bookings")).json(&body("api-1")).send().await.unwrap();
    assert_eq!(made.status(), 201);
    let made: serde_json::Value = made.json().await.unwrap();
    let again: serde_json::Value =
        a.post(app.url("/api/v1/bookings")).json(&body("api-1")).send().await.unwrap().json().await.unwrap();
    assert_eq!(again["id"], made["id"], "the same key: the same booking");
    let taken = b.post(app.url("/api/v1/bookings")).json(&body("api-2")).send().await.unwrap();
    assert_eq!(taken.status(), 409);
    let problem: serde_json::Value = taken.json().await.unwrap();
    assert_eq!(problem["code"], "space_taken");
    assert!(problem.to_string().contains("이미 예약된 시간입니다"), "{problem}");
    let confirmed: serde_json::Value = a
        .post(app.url(&format!("/api/v1/bookings/{}/confirm", made["id"].as_str().unwrap())))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(confirmed["status"], "confirmed");
    let mine: serde_json::Value = a.get(app.url("/api/v1/bookings")).send().await.unwrap().json().await.unwrap();
    assert_eq!(mine.as_array().unwrap().len(), 1);
});

both!(an_open_week_is_told_when_someone_books_in_it, |app: TestApp| async move {
    let room = space(&app, false, None).await;
    let [who]: [String; 1] = crate::spaces::residents(&app, 1).await.try_into().unwrap();
    let client = app.browser();
    let mut live = client.get(app.url(&format!("/spaces/{}/live?week=2030-11-25", room.id))).send().await.unwrap();
    assert_eq!(live.headers()["content-type"], "text/event-stream");
    let ask = crate::spaces::ask(crate::spaces::saturday(10, 12), "live-1");
    let now = crate::spaces::friday_noon();
    dolbom::spaces::store::hold(&app.state.db, "11350", &room, &who, Role::Resident, &ask, now).await.unwrap();
    let told = tokio::time::timeout(std::time::Duration::from_secs(5), async {
        let mut seen = String::new();
        while !seen.contains("event: changed") {
            let chunk = live.chunk().await.unwrap().expect("the stream stays open");
            seen.push_str(&String::from_utf8_lossy(&chunk));
        }
        seen
    })
    .await
    .expect("an event within seconds");
    assert!(told.contains("data: 2"), "the week's two taken slots: {told}");
    let missing = client.get(app.url(&format!("/spaces/{}/live", dolbom::db::new_id()))).send().await.unwrap();
    assert_eq!(missing.status(), 404);
});
