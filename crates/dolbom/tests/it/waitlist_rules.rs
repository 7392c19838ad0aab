//! A municipality's own priority rules on both backends: an official saves them (checked whole, refused with what
//! is wrong and the text kept), and the next round and offers follow them.

use dolbom::auth::Role;
use dolbom::waitlist::priority::PriorityRules;
use dolbom::waitlist::{round, rules_store, store};

use crate::both;
use crate::support::TestApp;
use crate::waitlist::{HOME, centre, child_of, ids};

const MINE: &str = r#"{"source":"남양주시 입소 우선순위","offer_hours":24,"siblings_together":false,
  "classes":[{"class":1,"facts":["multicultural"]}],
  "points":{"multicultural":50,"dual_income":5},
  "documents":{"multicultural":"가족관계증명서","dual_income":"재직증명서"}}"#;

both!(an_official_sets_the_rules_and_the_next_round_follows_them, |app: TestApp| async move {
    let official = app.signed_in(Role::Official, &[]).await;
    let page = app.get(&official, "/official/waitlist/rules").await.text().await.unwrap();
    assert!(page.contains("기본 규칙") && page.contains("basic_livelihood"), "the default is shown and in force");

    let bad = r#"{"source":"x","offer_hours":0,"classes":[],"points":{},"documents":{}}"#;
    let refused =
        app.submit(&official, "/official/waitlist/rules", "/official/waitlist/rules", &[("rules", bad)]).await;
    assert_eq!(refused.status(), 422);
    let text = refused.text().await.unwrap();
    assert!(text.contains("답할 시간은 1시간부터 720시간(30일)까지입니다. 지금은 0시간입니다"), "{text}");
    let unescaped = text.replace("&#34;", "\"").replace("&quot;", "\"");
    assert!(unescaped.contains(r#""offer_hours":0"#), "what was typed stays");
    let undocumented = r#"{"source":"x","classes":[{"class":1,"facts":["new_fact"]}],"points":{},"documents":{}}"#;
    let refused =
        app.submit(&official, "/official/waitlist/rules", "/official/waitlist/rules", &[("rules", undocumented)]).await;
    let text = refused.text().await.unwrap().replace("&#34;", "\"").replace("&quot;", "\"");
    assert!(text.contains(r#""new_fact"를 확인할 증빙 서류(documents)가 없습니다"#), "{text}");
    let broken = app.submit(&official, "/official/waitlist/rules", "/official/waitlist/rules", &[("rules", "{")]).await;
    assert!(broken.text().await.unwrap().contains("JSON 형식이 맞지 않습니다"));
    let rules = rules_store::rules(&app.state.db, "11350").await.unwrap();
    assert_eq!(rules.offer_hours, 72, "nothing refused was saved");

    let saved = app.submit(&official, "/official/waitlist/rules", "/official/waitlist/rules", &[("rules", MINE)]).await;
    assert_eq!(saved.status(), 303);
    let page = app.get(&official, "/official/waitlist/rules").await.text().await.unwrap();
    assert!(page.contains("저장한 우리 구의 규칙이 적용 중입니다") && page.contains("남양주시 입소 우선순위"));

    // Under the default, 맞벌이 is class 1 and 다문화 too (with fewer points); here only 다문화 is class 1.
    let db = &app.state.db;
    let c1 = centre(&app, "새싹어린이집", 1).await;
    let staff = app.account(Role::WelfareWorker, "w@test.kr", &[]).await;
    let mut apps = Vec::new();
    for (n, fact) in [("하나", "dual_income"), ("두리", "multicultural")] {
        let g = app.account(Role::Resident, &format!("{n}@test.kr"), &[]).await;
        let kid = child_of(&app, &g, n).await;
        let a = store::apply(db, "11350", &g, &kid, HOME, std::slice::from_ref(&c1), &ids(&[fact])).await.unwrap();
        assert!(store::verify(db, "11350", &a, fact, &staff).await.unwrap());
        apps.push(a);
    }
    // 하나's younger sister waits too: this municipality does not place siblings together.
    let g1 = dolbom::db_run!(db, p => sqlx::query_scalar::<_, String>("SELECT guardian_id FROM waitlist_applications \
        WHERE id = $1").bind(&apps[0]).fetch_one(p).await)
    .unwrap();
    let sister = child_of(&app, &g1, "하나동생").await;
    store::apply(db, "11350", &g1, &sister, HOME, std::slice::from_ref(&c1), &[]).await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let r = store::publish_round(db, "11350", 3, None).await.unwrap();
    let rules = rules_store::rules(db, "11350").await.unwrap();
    round::run(&app.state, &r, &rules, None).await.unwrap();
    let sql = "SELECT application_id, expires_at - offered_at FROM waitlist_offers WHERE status = 'open'";
    let offers: Vec<(String, i64)> = dolbom::db_run!(db, p => sqlx::query_as(sql).fetch_all(p).await).unwrap();
    assert_eq!(offers.len(), 1);
    assert_eq!(offers[0].0, apps[1], "다문화 is this municipality's first class");
    assert!((offers[0].1 - 24 * 3_600_000).abs() < 60_000, "and its offers last 24 hours: {}", offers[0].1);
    assert_eq!(siblings_in(&app, &r).await, [0, 0, 0], "siblings are not tied together under these rules");

    // Under the default rules (siblings together), the next round ties the two sisters.
    let next = store::publish_round(db, "11350", 4, None).await.unwrap();
    round::run(&app.state, &next, &PriorityRules::default_rules(), None).await.unwrap();
    assert_eq!(siblings_in(&app, &next).await, [1, 1], "the two sisters still waiting, each the other's sibling");
});

/// Siblings per child in a round's published input.
async fn siblings_in(app: &TestApp, round_id: &str) -> Vec<usize> {
    let input = store::round_input(&app.state.db, "11350", round_id).await.unwrap().unwrap();
    let input: allocation::Input = serde_json::from_str(&input).unwrap();
    input.children.iter().map(|k| k.siblings.len()).collect()
}
