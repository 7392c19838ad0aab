//! The best-practice contest and consulting on both backends: groups enter once, officials score with the grant
//! review's sheets, results go out only when every entry is scored and are final after; a leader's question is
//! answered and the leader told.

use dolbom::auth::Role;
use dolbom::notify::store as notify_store;

use crate::both;
use crate::support::{PASSWORD, TestApp};

async fn leader(app: &TestApp, email: &str) -> (reqwest::Client, String) {
    let id = app.account(Role::GroupLeader, email, &[]).await;
    let client = app.browser();
    app.login(&client, email, PASSWORD).await;
    (client, id)
}

both!(groups_enter_officials_score_and_results_are_published, |app: TestApp| async move {
    let official = app.signed_in(Role::Official, &[]).await;
    let rubric = [
        ("contest_name", "우수사례 경연대회"),
        ("opens_on", "2020-01-01"),
        ("closes_on", "2099-12-31"),
        ("criterion_name", "활동의 효과"),
        ("criterion_max", "60"),
        ("criterion_name", "주민 참여"),
        ("criterion_max", "40"),
    ];
    let r = app.submit(&official, "/official/contests", "/official/contests", &rubric[1..]).await;
    assert_eq!(r.status(), 422, "a contest needs its name");
    let r = app.submit(&official, "/official/contests", "/official/contests", &rubric).await;
    assert_eq!(r.status(), 303);
    let contest = r.headers()["location"].to_str().unwrap().to_string();

    let (first, _) = leader(&app, "first@test.kr").await;
    let (second, _) = leader(&app, "second@test.kr").await;
    let entries = format!("{contest}/entries");
    let entry = [("title", "아빠 놀이터"), ("body", "토요일마다 공원에서 놉니다.")];
    assert_eq!(app.submit(&first, &contest, &entries, &entry).await.status(), 303);
    let again = app.submit(&first, &contest, &entries, &[("title", "다시"), ("body", "두 번째")]).await;
    assert_eq!(again.status(), 422);
    assert!(again.text().await.unwrap().contains("이미 출품했습니다"));
    let entry = [("title", "그림책 모임"), ("body", "세 나라 말로 읽습니다.")];
    assert_eq!(app.submit(&second, &contest, &entries, &entry).await.status(), 303);
    let resident = app.signed_in(Role::Resident, &[]).await;
    assert_eq!(app.submit(&resident, &contest, &entries, &entry).await.status(), 403);

    // Not before every entry has a score.
    let publish = format!("{contest}/publish");
    let r = app.submit(&official, &contest, &publish, &[]).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("점수가 없는 출품작이 있습니다"));

    let id = contest.rsplit('/').next().unwrap();
    let listed = dolbom::hub::contest_store::entries(&app.state.db, id).await.unwrap();
    let review = |entry: &str| format!("{contest}/entries/{entry}/reviews");
    let r = app.submit(&official, &contest, &review(&listed[0].id), &[("points", "61"), ("points", "30")]).await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("value=\"61\""), "what was typed stays: {page}");
    let second_id = listed[1].id.clone();
    for (entry, points) in [(&listed[0].id, ["50", "30"]), (&second_id, ["55", "38"])] {
        let fields = [("points", points[0]), ("points", points[1]), ("comment", "좋습니다")];
        assert_eq!(app.submit(&official, &contest, &review(entry), &fields).await.status(), 303);
    }
    assert_eq!(app.submit(&official, &contest, &publish, &[]).await.status(), 303);

    let anyone = app.browser();
    let results = app.get(&anyone, &contest).await.text().await.unwrap();
    let table = &results[results.find("results-table").unwrap()..];
    let (picture_book, playground) = (table.find("그림책 모임").unwrap(), table.find("아빠 놀이터").unwrap());
    assert!(picture_book < playground, "93 points before 80: {table}");
    assert!(table.contains("93.00") && table.contains("80.00"));
    let hub = app.get(&anyone, "/hub").await.text().await.unwrap();
    let winners = &hub[hub.find("winner-list").unwrap()..];
    assert!(winners.find("1위").unwrap() < winners.find("그림책 모임").unwrap(), "{winners}");
    assert!(winners.contains("2위") && winners.contains("아빠 놀이터"), "{winners}");
    let late = app.submit(&official, &contest, &review(&second_id), &[("points", "1"), ("points", "1")]).await;
    assert_eq!(late.status(), 422);
    assert!(late.text().await.unwrap().contains("결과가 발표되어 점수를 바꿀 수 없습니다"));
});

both!(a_leader_asks_and_an_official_answers, |app: TestApp| async move {
    let (asker, asker_id) = leader(&app, "asker@test.kr").await;
    let (other, _) = leader(&app, "other@test.kr").await;
    let official = app.signed_in(Role::Official, &[]).await;
    let r = app.submit(&asker, "/consulting", "/consulting", &[("topic", "accounting"), ("question", " ")]).await;
    assert_eq!(r.status(), 422);
    let question = "영수증을 잃어버리면 어떻게 정산하나요?";
    let r = app.submit(&asker, "/consulting", "/consulting", &[("topic", "accounting"), ("question", question)]).await;
    assert_eq!(r.status(), 303);
    let mine = app.get(&asker, "/consulting").await.text().await.unwrap();
    assert!(mine.contains(question) && mine.contains("답변 기다리는 중"));
    assert!(!app.get(&other, "/consulting").await.text().await.unwrap().contains(question));

    let waiting = app.get(&official, "/official/consulting").await.text().await.unwrap();
    let start = waiting.find("id=\"request-").unwrap() + "id=\"request-".len();
    let id = &waiting[start..start + waiting[start..].find('"').unwrap()];
    let answer_to = |id: &str| format!("/official/consulting/{id}/answer");
    let r = app.submit(&official, "/official/consulting", &answer_to(id), &[("answer", "")]).await;
    assert_eq!(r.status(), 422);
    let answer = "거래처 확인서와 사유서로 대신할 수 있습니다.";
    let r = app.submit(&official, "/official/consulting", &answer_to("no-such"), &[("answer", answer)]).await;
    assert_eq!(r.status(), 404);
    assert_eq!(
        app.submit(&official, "/official/consulting", &answer_to(id), &[("answer", answer)]).await.status(),
        303
    );
    let mine = app.get(&asker, "/consulting").await.text().await.unwrap();
    assert!(mine.contains(answer) && !mine.contains("답변 기다리는 중"));
    let told = notify_store::latest(&app.state.db, &asker_id, 5).await.unwrap();
    assert!(told.iter().any(|n| n.message == "notify-consulting-answered"), "{told:?}");
    assert_eq!(app.get(&official, "/consulting").await.status(), 403);
});
