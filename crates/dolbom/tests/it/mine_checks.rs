//! Saved eligibility checks on both backends: a resident keeps a result, finds it on 내 돌봄 with what they
//! answered, asks again, deletes it; nobody else sees it, a visitor cannot save, and deletion takes them.

use dolbom::auth::Role;
use dolbom::directory::import;

use crate::both;
use crate::support::{PASSWORD, TestApp};

const SENIOR: [(&str, &str); 6] = [
    ("birth_date", "1954-05-01"),
    ("area", "1135063000"),
    ("household_size", "1"),
    ("monthly_income", "1,100,000"),
    ("benefits", "none"),
    ("save", "1"),
];

fn saved_id(location: &str) -> &str {
    location.strip_prefix("/my/checks/").expect("to the saved result")
}

both!(a_resident_keeps_a_check_and_finds_it_on_my_care, |app: TestApp| async move {
    import::load_shipped(&app.state.db, "11350").await.unwrap();
    app.account(Role::Resident, "halmoni@test.kr", &[]).await;
    let me = app.browser();
    app.login(&me, "halmoni@test.kr", PASSWORD).await;
    let shown = app.submit(&me, "/welfare/check", "/welfare/check", &SENIOR[..5]).await.text().await.unwrap();
    assert!(shown.contains("form=\"check-form\" name=\"save\""), "residents are offered to keep the result");

    let saved = app.submit(&me, "/welfare/check", "/welfare/check", &SENIOR).await;
    assert_eq!(saved.status(), 303);
    let location = saved.headers()["location"].to_str().unwrap().to_string();
    let id = saved_id(&location).to_string();
    let page = app.get(&me, &location).await.text().await.unwrap();
    let eligible = page.split("id=\"found-unknown\"").next().unwrap();
    assert!(eligible.contains(">기초연금</a>"), "what the check found is kept: {eligible}");
    assert!(page.contains("<dd><bdi>1,100,000</bdi></dd>") && page.contains("상계1동"), "and what was answered");
    assert!(page.contains("name=\"birth_date\" value=\"1954-05-01\""), "asked again with the same answers");
    let my = app.get(&me, "/my").await.text().await.unwrap();
    assert!(my.contains(&format!("href=\"/my/checks/{id}\"")));
    assert!(my.contains("받을 수 있는 서비스"));

    // Asking again runs today's rules on the same answers.
    let again: Vec<(&str, &str)> = SENIOR[..5].to_vec();
    let rerun = app.submit(&me, &location, "/welfare/check", &again).await.text().await.unwrap();
    assert!(rerun.split("확인이 더 필요한 서비스").next().unwrap().contains("기초연금"));

    // Only the resident sees it; a visitor cannot keep one.
    let other = app.signed_in(Role::Resident, &[]).await;
    assert_eq!(app.get(&other, &location).await.status(), 404);
    let delete_path = format!("/my/checks/{id}/delete");
    assert_eq!(app.submit(&other, "/my", &delete_path, &[]).await.status(), 404);
    let visitor = app.browser();
    let refused = app.submit(&visitor, "/welfare/check", "/welfare/check", &SENIOR).await;
    assert_eq!(refused.status(), 403);
    let worker = app.signed_in(Role::WelfareWorker, &[]).await;
    assert_eq!(app.submit(&worker, "/welfare/check", "/welfare/check", &SENIOR).await.status(), 403);

    // A bad answer with "save" keeps the form as typed and saves nothing.
    let bad = [("birth_date", "2099-01-01"), ("household_size", "2"), ("save", "1")];
    let refused = app.submit(&me, "/welfare/check", "/welfare/check", &bad).await;
    assert_eq!(refused.status(), 422);
    assert!(refused.text().await.unwrap().contains("value=\"2099-01-01\""));
    let data: serde_json::Value = app.get(&me, "/my/data.json").await.json().await.unwrap();
    assert_eq!(data["saved_eligibility_checks"].as_array().map(Vec::len), Some(1), "in the download");

    assert_eq!(app.submit(&me, &location, &delete_path, &[]).await.status(), 303);
    assert_eq!(app.get(&me, &location).await.status(), 404);
    assert!(!app.get(&me, "/my").await.text().await.unwrap().contains("/my/checks/"));
});

both!(a_resident_keeps_at_most_twenty, |app: TestApp| async move {
    let me = app.account(Role::Resident, "many@test.kr", &[]).await;
    for _ in 0..25 {
        dolbom::mine::checks_store::save(&app.state.db, &me, "{}", "{}").await.unwrap();
    }
    let kept = dolbom::mine::checks_store::of_user(&app.state.db, &me).await.unwrap();
    assert_eq!(kept.len() as i64, dolbom::mine::checks_store::KEEP);
});
