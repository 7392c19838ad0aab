//! A manager keeps a space current through the pages, on both backends: a new space (a wrong form names each field
//! and saves nothing), its rules and hours edited, photos uploaded (only real images) and served, a closed day that
//! cancels that day's booking and tells the booker; another organization's staff cannot touch it. A confirmed
//! booking tells its booker.

use chrono::{Datelike, Days};
use dolbom::auth::Role;
use dolbom::db::time::seoul_today;
use reqwest::Client;

use crate::both;
use crate::support::{PASSWORD, TestApp, csrf_in};

fn space_form(capacity: &str) -> Vec<(&'static str, String)> {
    let mut f: Vec<(&'static str, String)> = vec![
        ("name", "중계동 마을 사랑방".into()),
        ("kind", "community_room".into()),
        ("adm_cd2", "1135056000".into()),
        ("address", "서울특별시 노원구 중계로 1".into()),
        ("capacity", capacity.into()),
        ("equipment", "탁자, 의자".into()),
        ("accessibility", "경사로".into()),
        ("slot_minutes", "60".into()),
        ("max_booking_minutes", "120".into()),
        ("max_week_hours", "4".into()),
        ("who_may_book", "residents".into()),
        ("fee_krw_per_hour", "3,000".into()),
        ("fee_exempt", "disability".into()),
        ("fee_exempt", "senior".into()),
        ("cancel_hours", "24".into()),
    ];
    for day in 0..8 {
        f.push(("hours", if day < 6 { "09:00-18:00".into() } else { String::new() }));
    }
    f
}

async fn send(
    app: &TestApp,
    client: &Client,
    page: &str,
    action: &str,
    fields: &[(&'static str, String)],
) -> reqwest::Response {
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    app.submit(client, page, action, &pairs).await
}

async fn upload(app: &TestApp, client: &Client, id: &str, bytes: &[u8]) -> reqwest::Response {
    let token = csrf_in(&app.get(client, &format!("/manage/spaces/{id}/edit")).await.text().await.unwrap()).unwrap();
    let part = reqwest::multipart::Part::bytes(bytes.to_vec()).file_name("room.png");
    let body = reqwest::multipart::Form::new().text("csrf", token).part("photo", part);
    client.post(app.url(&format!("/manage/spaces/{id}/photos"))).multipart(body).send().await.unwrap()
}

both!(a_manager_keeps_a_space_current, |app: TestApp| async move {
    let manager = app.signed_in(Role::ProviderStaff, &[]).await;
    let wrong = send(&app, &manager, "/manage/spaces/new", "/manage/spaces", &{
        let mut f = space_form("0");
        f.retain(|(k, _)| *k != "name");
        f
    })
    .await;
    assert_eq!(wrong.status(), 422);
    let html = wrong.text().await.unwrap();
    assert!(html.contains("필수 입력 항목입니다") && html.contains("0 이상의 알맞은 숫자로"), "each field named");
    assert!(html.contains("서울특별시 노원구 중계로 1"), "what was typed is kept");
    let count = || async {
        dolbom::db_run!(&app.state.db, p => sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM spaces").fetch_one(p).await).unwrap()
    };
    assert_eq!(count().await, 0, "nothing saved");

    let made = send(&app, &manager, "/manage/spaces/new", "/manage/spaces", &space_form("12")).await;
    assert_eq!(made.status(), 303);
    let edit = made.headers()["location"].to_str().unwrap().to_string();
    let id = edit.trim_start_matches("/manage/spaces/").trim_end_matches("/edit").to_string();
    let shown = app.get(&manager, &format!("/spaces/{id}")).await.text().await.unwrap();
    assert!(shown.contains("중계동 마을 사랑방") && shown.contains("장애인, 만 65세 이상"), "the exemptions listed");

    let stranger = app.signed_in(Role::ProviderStaff, &[]).await;
    assert_eq!(app.get(&stranger, &edit).await.status(), 403, "another organization's staff");

    let saved = send(&app, &manager, &edit, &edit, &space_form("30")).await;
    assert_eq!(saved.status(), 303);
    let shown = app.get(&manager, &format!("/spaces/{id}")).await.text().await.unwrap();
    assert!(shown.contains("30명"), "the new capacity: {shown}");

    assert_eq!(upload(&app, &manager, &id, b"<svg onload=alert(1)>").await.status(), 422, "not an image");
    assert_eq!(upload(&app, &manager, &id, b"\x89PNG\r\n\x1a\n0000").await.status(), 303);
    let shown = app.get(&manager, &format!("/spaces/{id}")).await.text().await.unwrap();
    let at = shown.find("/spaces/photos/").expect("the photo is shown");
    let src = &shown[at..at + "/spaces/photos/".len() + 36];
    let photo = app.get(&app.browser(), src).await;
    assert_eq!(photo.headers()["content-type"], "image/png");
    assert_eq!(photo.headers()["x-content-type-options"], "nosniff");

    // A resident books next Monday; the manager closes that day: the booking is cancelled and its booker told.
    let mut monday = seoul_today() + Days::new(2);
    while monday.weekday() != chrono::Weekday::Mon {
        monday = monday + Days::new(1);
    }
    app.account(Role::Resident, "r@test.kr", &[]).await;
    let resident = app.browser();
    assert_eq!(app.login(&resident, "r@test.kr", PASSWORD).await.status(), 303);
    let booking = send(
        &app,
        &resident,
        &format!("/spaces/{id}"),
        &format!("/spaces/{id}/bookings"),
        &[
            ("day", monday.to_string()),
            ("start", "10:00".into()),
            ("end", "11:00".into()),
            ("use_purpose", "뜨개질 모임".into()),
            ("attendees", "5".into()),
            ("exempt_reason", "disability".into()),
            ("request_key", "close-1".into()),
        ],
    )
    .await;
    assert_eq!(booking.status(), 303);
    let booking = booking.headers()["location"].to_str().unwrap().to_string();
    let page = app.get(&resident, &booking).await.text().await.unwrap();
    let token = csrf_in(&page).unwrap();
    assert_eq!(app.post_form(&resident, &format!("{booking}/confirm"), &[("csrf", &token)]).await.status(), 303);
    let told = app.get(&resident, "/notifications").await.text().await.unwrap();
    assert!(told.contains("중계동 마을 사랑방") && told.contains("예약이 확정되었습니다"), "{told}");
    let day = app.get(&manager, &format!("/manage/spaces?day={monday}")).await.text().await.unwrap();
    assert!(day.contains("감면 증빙 확인: 장애인"), "the manager is asked to check the claim");

    let closed = send(
        &app,
        &manager,
        &edit,
        &format!("/manage/spaces/{id}/closed-days"),
        &[("day", monday.to_string()), ("reason", "방역 소독".into())],
    )
    .await;
    assert_eq!(closed.status(), 303);
    let status: String = dolbom::db_run!(&app.state.db, p => sqlx::query_scalar(
        "SELECT status FROM bookings WHERE id = $1").bind(booking.trim_start_matches("/bookings/")).fetch_one(p).await)
    .unwrap();
    assert_eq!(status, "cancelled");
    let told = app.get(&resident, "/notifications").await.text().await.unwrap();
    assert!(told.contains("휴관하여 예약이 취소되었습니다: 방역 소독"), "{told}");
    let past = send(
        &app,
        &manager,
        &edit,
        &format!("/manage/spaces/{id}/closed-days"),
        &[("day", "2020-01-01".into()), ("reason", "지난 날".into())],
    )
    .await;
    assert_eq!(past.status(), 422, "a past day is refused");
});
