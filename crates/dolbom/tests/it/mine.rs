//! 내 돌봄 on both backends: the page shows all of a resident's dealings, each linked, and only theirs; the
//! download holds everything about them with the 주민등록번호 masked.

use dolbom::auth::Role;
use dolbom::places::group_store;
use dolbom::spaces::store;

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

both!(my_care_shows_everything_of_the_resident_and_the_download_holds_it, |app: TestApp| async move {
    let db = &app.state.db;
    let me = app.account(Role::Resident, "me@test.kr", &[]).await;
    let client = app.browser();
    app.login(&client, "me@test.kr", PASSWORD).await;
    assert_eq!(app.submit(&client, "/children/new", "/children", &CHILD).await.status(), 303);
    let leader = app.account(Role::GroupLeader, "leader@test.kr", &[]).await;
    let group = group_store::upsert(db, "11350", &fathers_group(app.organization_of(&leader).await)).await.unwrap();
    assert!(group_store::request_join(db, &group, &me, "").await.unwrap());
    let room = space(&app, false, None).await;
    let held = store::hold(db, "11350", &room, &me, Role::Resident, &ask(saturday(10, 12), "k1"), friday_noon())
        .await
        .unwrap();
    store::confirm(db, &held.id, &me, store::millis(friday_noon())).await.unwrap();
    let args = serde_json::json!({"centre": "햇살어린이집", "deadline": "12월 3일"});
    dolbom::notify::store::send(db, std::slice::from_ref(&me), "my-offer", &args, "/waitlist").await.unwrap();

    // Fluent isolates each argument (U+2068 … U+2069) so a right-to-left name cannot reorder the sentence.
    let page = app.get(&client, "/my").await.text().await.unwrap().replace(['\u{2068}', '\u{2069}'], "");
    assert!(page.contains(">김하늘</a>"), "the child, linked");
    assert!(page.contains(&format!("href=\"/bookings/{}\"", held.id)) && page.contains(&room.name));
    assert!(page.contains(&format!("href=\"/places/groups/{group}\"")) && page.contains("가입 신청함"));
    // The booking's confirmation is the other unread notification.
    assert!(page.contains("햇살어린이집에 자리가 났습니다") && page.contains("읽지 않음 2건"));
    assert!(page.contains("href=\"/my/data.json\""));

    let other = app.signed_in(Role::Resident, &[]).await;
    let theirs = app.get(&other, "/my").await.text().await.unwrap();
    assert!(!theirs.contains("김하늘") && !theirs.contains(&held.id), "another resident sees none of it");

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
    assert_eq!(data["bookings"][0]["id"], held.id.as_str());
    assert_eq!(data["groups"][0]["status"], "pending");
    let messages: Vec<&str> =
        data["notifications"].as_array().unwrap().iter().map(|n| n["message"].as_str().unwrap()).collect();
    assert_eq!(messages.len(), 2);
    assert!(messages.contains(&"my-offer"), "{messages:?}");
    assert_eq!(data["care_applications"], serde_json::json!([]));
});
