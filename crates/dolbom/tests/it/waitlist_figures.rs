//! The officials' waitlist figures on both backends: waiting children over time per 행정동 and per centre (chart,
//! table, CSV), time to a place, empty places, and the next centre's site ranked on the map.

use dolbom::auth::Role;
use dolbom::waitlist::priority::PriorityRules;
use dolbom::waitlist::{offer_store, round, store};

use crate::both;
use crate::support::TestApp;
use crate::waitlist::{centre, child_of};

both!(officials_see_waiting_over_time_time_to_place_empty_places_and_where_to_build, |app: TestApp| async move {
    let db = &app.state.db;
    let (c1, c2) = (centre(&app, "별빛어린이집", 1).await, centre(&app, "달빛어린이집", 3).await);
    let official_id = app.account(Role::Official, "o@test.kr", &[]).await;
    // Three children from 월계1동 wait for 별빛 (one place), one from 월계3동 for 달빛.
    let mut guardians = Vec::new();
    for (n, home, choice) in
        [("가", "1135056000", &c1), ("나", "1135056000", &c1), ("다", "1135056000", &c1), ("라", "1135058000", &c2)]
    {
        let g = app.account(Role::Resident, &format!("{n}@test.kr"), &[]).await;
        let kid = child_of(&app, &g, n).await;
        store::apply(db, "11350", &g, &kid, Some(home), std::slice::from_ref(choice), &[]).await.unwrap();
        guardians.push(g);
    }
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let r = store::publish_round(db, "11350", 5, Some(&official_id)).await.unwrap();
    round::run(&app.state, &r, &PriorityRules::default_rules(), None).await.unwrap();
    for g in &guardians {
        for o in offer_store::of_guardian(db, "11350", g).await.unwrap() {
            offer_store::answer(db, "11350", g, &o.id, true).await.unwrap().unwrap();
        }
    }

    let official = app.signed_in(Role::Official, &[]).await;
    let page = app.get(&official, "/official/waitlist").await.text().await.unwrap();
    assert!(page.contains("<svg") && page.contains("id=\"waiting-chart\""), "the chart is drawn");
    let row = |name: &str| page.split(&format!("<th scope=\"row\">{name}</th>")).nth(1).map(|r| r[..40].to_string());
    assert!(row("전체").unwrap().starts_with("<td>2</td>"), "two still wait today: {:?}", row("전체"));
    assert!(row("월계1동").is_some_and(|r| r.starts_with("<td>2</td>")), "{page}");
    assert!(page.contains("중앙값 0.0일") && page.contains("자리를 받은 아동 2명"), "time to a place");
    assert!(page.contains("대기 명단으로 더 줄 수 있는 빈자리 2석"), "달빛 keeps 2 of its 3 places empty");
    let by_centre = app.get(&official, "/official/waitlist?by=centre").await.text().await.unwrap();
    assert!(by_centre.contains("<th scope=\"row\">별빛어린이집</th><td>2</td>"), "two wait for 별빛");

    let csv = app.get(&official, "/official/waitlist.csv?by=area").await.text().await.unwrap();
    let mut lines = csv.trim_start_matches('\u{feff}').lines();
    assert_eq!(lines.next(), Some("date,key,name,waiting"));
    let today = dolbom::db::time::seoul_today().to_string();
    assert!(
        csv.contains(&format!("{today},total,,2")) && csv.contains(&format!("{today},1135056000,월계1동,2")),
        "{csv}"
    );

    // The site where the two waiting children live comes first; an entered site is ranked with the rest.
    let ask = "/official/waitlist?capacity=10&limit_km=1&sites=%EA%B5%AC%EC%B2%AD+%EC%98%86%2C+37.6542%2C+127.0568";
    let siting = app.get(&official, ask).await.text().await.unwrap();
    let table = siting.split("id=\"siting-table\"").nth(1).unwrap();
    let first_row = table.split("<tr>").nth(2).unwrap();
    assert!(first_row.contains("<td>2</td>"), "the best site takes both waiting children: {first_row}");
    assert!(
        siting.contains("구청 옆 (직접 입력)") && siting.contains("class=\"site-marker\""),
        "entered, and on the map"
    );
    let bad =
        app.get(&official, "/official/waitlist?capacity=0&limit_km=abc&sites=nowhere").await.text().await.unwrap();
    for message in ["정원은 1명부터 500명까지", "이동 거리는 0.1km부터 20km까지", "우리 구 안의 위치"]
    {
        assert!(bad.contains(message), "{message}");
    }
});
