//! Groups' boards on both backends: members post and comment, outsiders only read; news is for the leader and
//! organisers; fake images are refused with nothing saved; photos come back as fresh JPEGs; the board pages.

use dolbom::auth::Role;
use dolbom::hub::board_store::{self, NewPost};
use dolbom::places::group_store;
use dolbom::places::model::Group;
use reqwest::multipart::{Form, Part};

use crate::both;
use crate::support::{PASSWORD, TestApp};

/// 공릉동's fathers' co-parenting group, led by the accounts of `organization`.
pub(crate) fn fathers_group(organization: String) -> Group {
    Group {
        id: String::new(),
        source_id: None,
        kind: "co_parenting".into(),
        name: "공릉동 아빠 모임".into(),
        organization_id: Some(organization),
        adm_cd2: "1135059500".into(),
        activities: "주말 놀이".into(),
        meeting_place: "공릉동 나눔터".into(),
        latitude: 37.62,
        longitude: 127.07,
        meeting_time: "토 10:00".into(),
        contact: None,
        member_count: 0,
        updated_at: 0,
    }
}

/// A group of the leader's organization, and a resident who joined it (signed in).
async fn group_with_member(app: &TestApp) -> (String, reqwest::Client, reqwest::Client, String) {
    let leader = app.account(Role::GroupLeader, "leader@test.kr", &[]).await;
    let member = app.account(Role::Resident, "member@test.kr", &[]).await;
    let g = fathers_group(app.organization_of(&leader).await);
    let db = &app.state.db;
    let id = group_store::upsert(db, "11350", &g).await.unwrap();
    assert!(group_store::request_join(db, &id, &member, "").await.unwrap());
    let request = group_store::requests(db, &id).await.unwrap().remove(0);
    assert!(group_store::answer(db, "11350", &id, &request.id, true).await.unwrap());
    let (l, m) = (app.browser(), app.browser());
    app.login(&l, "leader@test.kr", PASSWORD).await;
    app.login(&m, "member@test.kr", PASSWORD).await;
    (id, l, m, request.id)
}

fn jpeg(width: u32, height: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(width, height, |x, y| [(x % 256) as u8, (y % 256) as u8, 90].into());
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(img).write_to(&mut out, image::ImageFormat::Jpeg).unwrap();
    out.into_inner()
}

async fn post(
    app: &TestApp,
    client: &reqwest::Client,
    group: &str,
    fields: &[(&str, &str)],
    photos: Vec<(&str, Vec<u8>)>,
) -> reqwest::Response {
    let token = app.csrf(client, &format!("/groups/{group}/board")).await;
    let mut form = Form::new().text("csrf", token);
    for (k, v) in fields {
        form = form.text(k.to_string(), v.to_string());
    }
    for (name, bytes) in photos {
        form = form.part("photos", Part::bytes(bytes).file_name(name.to_string()).mime_str("image/jpeg").unwrap());
    }
    client.post(app.url(&format!("/groups/{group}/posts"))).multipart(form).send().await.unwrap()
}

async fn count(app: &TestApp, group: &str) -> i64 {
    board_store::page(&app.state.db, group, None, 1).await.unwrap().1
}

both!(members_post_and_comment_and_outsiders_only_read, |app: TestApp| async move {
    let (group, leader, member, request) = group_with_member(&app).await;
    let outsider = app.signed_in(Role::Resident, &[]).await;
    let practice = [("kind", "practice"), ("title", "아빠 놀이 준비물"), ("body", "신문지와 테이프만 있으면 됩니다.")];
    assert_eq!(post(&app, &outsider, &group, &practice, vec![]).await.status(), 403);

    // News is for the leader and organisers; a script renamed .jpg is no photo. Nothing is saved either time.
    let news = [("kind", "news"), ("title", "12월 모임 안내"), ("body", "둘째 토요일입니다.")];
    let r = post(&app, &member, &group, &news, vec![]).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("소식은 모임 대표와 운영진만"));
    let r = post(&app, &member, &group, &practice, vec![("photo.jpg", b"<script>alert(1)</script>".to_vec())]).await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("이름만 바꾼 다른 파일은 받지 않습니다") && page.contains("신문지와 테이프만"),
        "kept: {page}"
    );
    assert_eq!(count(&app, &group).await, 0);

    let r = post(&app, &member, &group, &practice, vec![("big.jpg", jpeg(2400, 1800))]).await;
    assert_eq!(r.status(), 303);
    let at = r.headers()["location"].to_str().unwrap().to_string();
    let html = app.get(&outsider, &at).await.text().await.unwrap();
    let photo = html.split("/groups/photos/").nth(1).unwrap().split('"').next().unwrap().to_string();
    let thumb = app.get(&outsider, &format!("/groups/photos/{photo}/thumb")).await;
    assert_eq!(thumb.headers()["content-type"], "image/jpeg");
    let thumb = image::load_from_memory(&thumb.bytes().await.unwrap()).unwrap();
    assert_eq!((thumb.width(), thumb.height()), (400, 300), "the thumbnail is resized");

    let token = app.csrf(&outsider, &at).await;
    let r = app.post_form(&outsider, &format!("{at}/comments"), &[("csrf", &token), ("body", "좋아요")]).await;
    assert_eq!(r.status(), 403, "outsiders read but do not comment");
    let r = app.submit(&member, &at, &format!("{at}/comments"), &[("body", "지난주 정말 즐거웠어요")]).await;
    assert_eq!(r.status(), 303);
    assert!(app.get(&outsider, &at).await.text().await.unwrap().contains("지난주 정말 즐거웠어요"));

    // The leader makes the member an organiser, who may then post news.
    let board = format!("/groups/{group}/board");
    let r = app
        .submit(&leader, &board, &format!("/leader/groups/{group}/members/{request}/role"), &[("role", "organiser")])
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(post(&app, &member, &group, &news, vec![]).await.status(), 303);
    assert_eq!(count(&app, &group).await, 2);
});

both!(the_board_pages_twenty_posts_at_a_time, |app: TestApp| async move {
    let (group, _, member, _) = group_with_member(&app).await;
    let author = app.account(Role::Resident, "writer@test.kr", &[]).await;
    for i in 0..45 {
        let title = format!("글 {i:02}");
        let p = NewPost {
            group_id: &group,
            author_id: &author,
            kind: if i % 3 == 0 { "news" } else { "practice" },
            title: &title,
            body: "내용",
        };
        board_store::create(&app.state.db, &p, &[]).await.unwrap();
        tokio::time::sleep(std::time::Duration::from_millis(2)).await;
    }
    let first = app.get(&member, &format!("/groups/{group}/board")).await.text().await.unwrap();
    assert!(first.contains("글 44") && !first.contains("글 24") && first.contains("1 / 3"));
    let third = app.get(&member, &format!("/groups/{group}/board?page=3")).await.text().await.unwrap();
    assert!(third.contains("글 00") && third.contains("글 04") && !third.contains("글 05"));
    let news = app.get(&member, &format!("/groups/{group}/board?kind=news")).await.text().await.unwrap();
    assert!(news.contains("글 42") && !news.contains("글 43") && !news.contains("rel=\"next\""));
});
