//! 내 돌봄 on both backends: the page shows all of a resident's dealings, each linked, and only theirs; the
//! download holds everything about them with the 주민등록번호 masked.

use dolbom::auth::Role;
use dolbom::places::group_store;
use dolbom::spaces::store::{self, Space};

use crate::board::fathers_group;
use crate::both;
use crate::spaces::{ask, friday_noon, saturday, space};
use crate::support::{PASSWORD, TestApp};

const CHILD: [(&str, &str); 8] = [
    ("name", "김하늘"),
    ("birth_date", "2018-05-04"),
    ("sex", "F"),
    ("rrn", "180504-4123452"),
    ("contact_name", "김엄마"),
    ("contact_relation", "어머니"),
    ("contact_phone", "010-1234-5678"),
    ("consent", "data"),
];

/// A signed-in resident (`me@test.kr`) with a child, a request to join a group, and a confirmed booking.
pub(crate) struct Dealings {
    pub(crate) me: String,
    pub(crate) client: reqwest::Client,
    pub(crate) group: String,
    pub(crate) room: Space,
    pub(crate) booking: String,
}

pub(crate) async fn resident_with_dealings(app: &TestApp) -> Dealings {
    let db = &app.state.db;
    let me = app.account(Role::Resident, "me@test.kr", &[]).await;
    let client = app.browser();
    app.login(&client, "me@test.kr", PASSWORD).await;
    assert_eq!(app.submit(&client, "/children/new", "/children", &CHILD).await.status(), 303);
    let leader = app.account(Role::GroupLeader, "leader@test.kr", &[]).await;
    let group = group_store::upsert(db, "11350", &fathers_group(app.organization_of(&leader).await)).await.unwrap();
    assert!(group_store::request_join(db, &group, &me, "").await.unwrap());
    let room = space(app, false, None).await;
    let held = store::hold(db, "11350", &room, &me, Role::Resident, &ask(saturday(10, 12), "k1"), friday_noon())
        .await
        .unwrap();
    store::confirm(db, &held.id, &me, store::millis(friday_noon())).await.unwrap();
    Dealings { me, client, group, room, booking: held.id }
}

both!(my_care_shows_everything_of_the_resident_and_the_download_holds_it, |app: TestApp| async move {
    let db = &app.state.db;
    let Dealings { me, client, group, room, booking } = resident_with_dealings(&app).await;
    let args = serde_json::json!({"centre": "햇살어린이집", "deadline": "12월 3일"});
    dolbom::notify::store::send(db, std::slice::from_ref(&me), "my-offer", &args, "/waitlist").await.unwrap();

    // Fluent isolates each argument (U+2068 … U+2069) so a right-to-left name cannot reorder the sentence.
    let page = app.get(&client, "/my").await.text().await.unwrap().replace(['\u{2068}', '\u{2069}'], "");
    assert!(page.contains("><bdi>김하늘</bdi></a>"), "the child, linked");
    assert!(page.contains(&format!("href=\"/bookings/{}\"", booking)) && page.contains(&room.name));
    assert!(page.contains(&format!("href=\"/places/groups/{group}\"")) && page.contains("가입 신청함"));
    // The booking's confirmation is the other unread notification.
    assert!(page.contains("햇살어린이집에 자리가 났습니다") && page.contains("읽지 않음 2건"));
    assert!(page.contains("href=\"/my/data.json\""));

    let other = app.signed_in(Role::Resident, &[]).await;
    let theirs = app.get(&other, "/my").await.text().await.unwrap();
    assert!(!theirs.contains("김하늘") && !theirs.contains(&booking), "another resident sees none of it");

    let download = app.get(&client, "/my/data.json").await;
    assert_eq!(download.status(), 200);
    let disposition = download.headers()["content-disposition"].to_str().unwrap().to_string();
    assert!(disposition.starts_with("attachment; filename=\"dolbom-my-data-"), "{disposition}");
    let body = download.text().await.unwrap();
    assert!(!body.contains("4123452"), "the 주민등록번호 only masked");
    let data: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(data["account"]["email"], "me@test.kr");
    assert_eq!(data["children"][0]["name"], "김하늘");
    assert_eq!(data["children"][0]["rrn_masked"], "180504-4******");
    assert_eq!(data["children"][0]["contacts"][0]["phone"], "010-1234-5678");
    assert_eq!(data["bookings"][0]["id"], booking.as_str());
    assert_eq!(data["groups"][0]["status"], "pending");
    let messages: Vec<&str> =
        data["notifications"].as_array().unwrap().iter().map(|n| n["message"].as_str().unwrap()).collect();
    assert_eq!(messages.len(), 2);
    assert!(messages.contains(&"my-offer"), "{messages:?}");
    assert_eq!(data["care_applications"], serde_json::json!([]));
});

both!(
    a_deletion_request_waits_for_what_is_in_progress_then_deletes_and_keeps_by_the_rules,
    |app: TestApp| async move {
        let db = &app.state.db;
        let Dealings { me, client, booking, .. } = resident_with_dealings(&app).await;

        // A reason past 500 characters is refused and kept as typed.
        let long = "가".repeat(501);
        let refused = app.submit(&client, "/my", "/my/deletion", &[("reason", long.as_str())]).await;
        assert_eq!(refused.status(), 422);
        assert!(refused.text().await.unwrap().contains(&long));
        let asked = app.submit(&client, "/my", "/my/deletion", &[("reason", "이사를 갑니다")]).await;
        assert_eq!(asked.status(), 303);
        let again = app.submit(&client, "/my", "/my/deletion", &[("reason", "")]).await;
        assert_eq!(again.status(), 303, "asking twice is the same request");
        let mine = app.get(&client, "/my").await.text().await.unwrap();
        assert!(mine.contains("삭제 요청을 받았습니다") && mine.contains("먼저 취소해 주세요"));

        let admin = app.signed_in(Role::Admin, &[]).await;
        let queue = app.get(&admin, "/admin/deletion-requests").await.text().await.unwrap();
        assert!(queue.contains("me@test.kr") && queue.contains("이사를 갑니다"));
        assert!(
            queue.replace(['\u{2068}', '\u{2069}'], "").contains("다가오는 예약 1건"),
            "the booking to come is named"
        );
        assert!(!queue.contains("/process\""), "no button while something is in progress");
        let (id,): (String,) =
            dolbom::db_run!(db, p => sqlx::query_as("SELECT id FROM deletion_requests").fetch_one(p).await).unwrap();
        let process = format!("/admin/deletion-requests/{id}/process");
        assert_eq!(app.submit(&admin, "/admin/deletion-requests", &process, &[]).await.status(), 409);

        let days_before = friday_noon() - chrono::Duration::days(3);
        store::cancel(db, &booking, &me, store::millis(days_before)).await.unwrap();
        let done = app.submit(&admin, "/admin/deletion-requests", &process, &[]).await;
        assert_eq!(done.status(), 303);
        assert_eq!(app.submit(&admin, "/admin/deletion-requests", &process, &[]).await.status(), 409, "once only");

        // Signed out everywhere, and the account names no one.
        assert_eq!(app.get(&client, "/my").await.status(), 303);
        let (email, name, active): (String, String, bool) = dolbom::db_run!(db, p => sqlx::query_as(
        "SELECT email, display_name, active FROM users WHERE id = $1").bind(&me).fetch_one(p).await)
        .unwrap();
        assert!(email.starts_with("deleted-") && name.is_empty() && !active, "{email} {name} {active}");
        let count = |sql: &'static str| {
            let me = me.clone();
            async move {
                let n: i64 = dolbom::db_run!(db, p => sqlx::query_scalar(sql).bind(&me).fetch_one(p).await).unwrap();
                n
            }
        };
        assert_eq!(
            count("SELECT COUNT(*) FROM children WHERE guardian_id = $1").await,
            0,
            "no record needed the child"
        );
        assert_eq!(count("SELECT COUNT(*) FROM notifications WHERE user_id = $1").await, 0);
        assert_eq!(count("SELECT COUNT(*) FROM group_join_requests WHERE user_id = $1").await, 0);
        assert_eq!(count("SELECT COUNT(*) FROM bookings WHERE user_id = $1").await, 1, "the booking record is kept");
        let after = app.get(&admin, "/admin/deletion-requests").await.text().await.unwrap();
        assert!(!after.contains("me@test.kr") && after.contains("처리된 요청"));
    }
);
