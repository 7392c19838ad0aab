//! Places: the registry, its geo search and API, the map page, provider edits and group join requests, on both
//! backends.

use dolbom::auth::Role;
use dolbom::places::{demo, group_store, store};
use rand::SeedableRng;

use crate::both;
use crate::support::{PASSWORD, TestApp};

/// The demo's places, with the given organizations owning the demo centre and group, then the index caught up.
async fn seed(app: &TestApp, organizations: &[(String, String)]) {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
    let report = demo::seed(&app.state.db, "11350", &app.state.areas, &mut rng, organizations).await.unwrap();
    assert_eq!(
        report.facilities.imported,
        246 + 29 + 38,
        "real 어린이집 and 아이휴센터, one of each demo centre per 동"
    );
    assert!(report.facilities.errors.is_empty(), "{:?}", report.facilities.errors);
    app.state.sync_places().await.unwrap();
}

async fn places(app: &TestApp, client: &reqwest::Client, query: &str) -> serde_json::Value {
    let response = app.get(client, &format!("/api/v1/places?{query}")).await;
    assert_eq!(response.status(), 200, "{query}");
    response.json().await.unwrap()
}

both!(residents_find_the_nearest_open_centre_with_a_free_place, |app: TestApp| async move {
    seed(&app, &[]).await;
    assert_eq!(app.state.places.len(), 313);
    let client = app.browser();
    // Near 노원역, a 다함께돌봄센터 with a free place, open on Saturday 28 November 2026 at 10:00, for an 8-year-old.
    let query = "lat=37.6551&lon=127.0613&kind=community_care&vacancy=1&open_at=2026-11-28T10:00&age=8&limit=5";
    let found = places(&app, &client, query).await;
    let hits = found["facilities"].as_array().unwrap();
    assert!(!hits.is_empty());
    let distances: Vec<f64> = hits.iter().map(|h| h["distance_m"].as_f64().unwrap()).collect();
    assert!(distances.windows(2).all(|w| w[0] <= w[1]), "nearest first: {distances:?}");
    for h in hits {
        assert_eq!(h["kind"], "community_care");
        assert!(h["vacancies"].as_i64().unwrap() > 0);
        assert!(h["hours"][5].is_object(), "open on Saturdays: {}", h["name"]);
    }
    // Within one 행정동, 어린이집 for a 2-year-old: all in 공릉1동.
    let in_dong = places(&app, &client, "dong=1135059500&kind=daycare&age=2&limit=500").await;
    let daycare = in_dong["facilities"].as_array().unwrap();
    assert!(daycare.len() > 5);
    assert!(daycare.iter().all(|h| h["adm_cd2"] == "1135059500" && h["min_age_months"].as_i64() <= Some(24)));
    // On 성탄절 (a Friday holiday in 2026) only places with holiday hours are open.
    let christmas = places(&app, &client, "open_at=2026-12-25T10:00&limit=500").await;
    let weekday = places(&app, &client, "open_at=2026-12-24T10:00&limit=500").await;
    assert!(christmas["facilities"].as_array().unwrap().len() < weekday["facilities"].as_array().unwrap().len() / 4);
    // Groups come when asked for.
    let groups = places(&app, &client, "lat=37.6551&lon=127.0613&group=parents&group=co_parenting&limit=3").await;
    assert!(!groups["groups"].as_array().unwrap().is_empty());

    // Bad input: every wrong field named, in Korean first.
    let bad = app.get(&client, "/api/v1/places?lat=48.85&lon=2.35&dong=1111&open_at=saturday&age=200").await;
    assert_eq!(bad.status(), 422);
    let problem: serde_json::Value = bad.json().await.unwrap();
    let fields: Vec<&str> =
        problem["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["lat", "dong", "age", "open_at"]);
    assert!(problem["errors"][0]["message"].as_str().unwrap().contains("대한민국 밖"));
});

both!(the_map_draws_the_real_dongs_and_lists_the_same_results, |app: TestApp| async move {
    seed(&app, &[]).await;
    let client = app.browser();
    let first = app.get(&client, "/places").await.text().await.unwrap();
    assert_eq!(
        first.matches("class=\"marker group-marker\"").count(),
        38,
        "a first visit shows the groups too (two per 동)"
    );
    assert_eq!(first.matches("<li id=\"group-").count(), 38);
    let page = app.get(&client, "/places?kind=community_care&vacancy=1").await.text().await.unwrap();
    assert_eq!(page.matches("class=\"dong shade-").count(), 19, "the 19 행정동 of 노원구");
    let markers = page.matches("<circle ").count();
    let listed = page.matches("<li id=\"place-").count();
    assert!(markers > 0 && markers == listed, "{markers} markers, {listed} in the list");
    assert!(page.contains("상계1동") && page.contains("통계청 SGIS"), "labels and the boundary attribution");
    assert!(page.contains("<td>"), "the per-동 layer as a table");
    // The list and the map go thirty at a time; the next page holds the rest, still one marker per entry.
    let all = app.get(&client, "/places?kind=daycare").await.text().await.unwrap();
    assert_eq!(all.matches("<li id=\"place-").count(), 30, "thirty to a page");
    assert!(all.contains("href=\"/places?kind=daycare&#38;page=2\" rel=\"next\""), "a link to the next page");
    let second = app.get(&client, "/places?kind=daycare&page=2").await.text().await.unwrap();
    let (markers, listed) = (second.matches("<circle ").count(), second.matches("<li id=\"place-").count());
    assert!(listed > 0 && markers == listed, "{markers} markers, {listed} in the list on page 2");
    let first_link = |html: &str| {
        let item = html.split("<li id=\"place-0\"").nth(1)?;
        item.split("href=\"").nth(1)?.split('"').next().map(str::to_string)
    };
    assert!(first_link(&second).is_some());
    assert_ne!(first_link(&all), first_link(&second), "page 2 starts where page 1 ended");
    let bad = app.get(&client, "/places?lat=0&lon=0").await;
    assert_eq!(bad.status(), 422);
    assert!(bad.text().await.unwrap().contains("대한민국 밖"));
    let script = app.get(&client, "/static/map.js").await;
    assert_eq!(script.status(), 200);
});

both!(providers_keep_their_own_facility_current_and_the_map_follows, |app: TestApp| async move {
    let provider_id = app.account(Role::ProviderStaff, "centre@test.kr", &[]).await;
    let org = app.organization_of(&provider_id).await;
    seed(&app, &[("상계1동 다함께돌봄센터".to_string(), org)]).await;
    let db = &app.state.db;
    let own = store::of_organization(db, "11350", &app.organization_of(&provider_id).await).await.unwrap();
    assert_eq!(own.len(), 1);
    let id = own[0].0.clone();
    let before = store::get(db, "11350", &id).await.unwrap().unwrap();

    let client = app.browser();
    assert_eq!(app.login(&client, "centre@test.kr", PASSWORD).await.status(), 303);
    let form = format!("/provider/facilities/{id}");
    let capacity = before.capacity.unwrap().to_string();
    let full = capacity.clone();
    let mut hours: Vec<(&str, &str)> = vec![("hours", "13:00-19:00"); 5];
    hours.extend([("hours", "09:00-13:00"), ("hours", ""), ("hours", "")]);
    let mut fields =
        vec![("capacity", capacity.as_str()), ("enrolled", full.as_str()), ("min_age", "6"), ("max_age", "12")];
    fields.extend(hours.iter().copied());
    fields.push(("languages", "ko"));
    fields.push(("languages", "vi"));
    let saved = app.submit(&client, &form, &form, &fields).await;
    assert_eq!(saved.status(), 303);
    let now = store::get(db, "11350", &id).await.unwrap().unwrap();
    assert_eq!((now.vacancies(), now.hours_confirmed), (Some(0), true));
    assert_eq!(now.languages, ["ko", "vi"]);
    let api = places(&app, &client, "kind=community_care&vacancy=1&limit=500").await;
    assert!(api["facilities"].as_array().unwrap().iter().all(|h| h["id"] != id.as_str()), "full now, off the list");

    // Bad input: hours that end before they start, more enrolled than places; nothing is saved.
    let mut bad =
        vec![("capacity", "10"), ("enrolled", "12"), ("min_age", "6"), ("max_age", "12"), ("hours", "19:00-13:00")];
    bad.push(("languages", "ko"));
    let refused = app.submit(&client, &form, &form, &bad).await;
    assert_eq!(refused.status(), 422);
    let text = refused.text().await.unwrap();
    assert!(text.contains("현원이 정원보다 많을 수 없습니다") && text.contains("끝나는 시각"));
    assert_eq!(store::get(db, "11350", &id).await.unwrap().unwrap(), now, "nothing half-saved");

    // Photos: a real PNG is stored and served; a script dressed as an image, or a form without the token, is not.
    let csrf = crate::support::csrf_in(&app.get(&client, &form).await.text().await.unwrap()).unwrap();
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89".to_vec();
    let upload = |bytes: Vec<u8>, token: String| {
        let part = reqwest::multipart::Part::bytes(bytes).file_name("centre.png").mime_str("image/png").unwrap();
        let body = reqwest::multipart::Form::new().text("csrf", token).part("photo", part);
        client.post(app.url(&format!("{form}/photos"))).multipart(body).send()
    };
    assert_eq!(upload(png.clone(), csrf.clone()).await.unwrap().status(), 303);
    let with_photo = store::get(db, "11350", &id).await.unwrap().unwrap();
    let photo = with_photo.photos.last().unwrap().clone();
    let served = app.get(&client, &photo).await;
    assert_eq!(served.headers()["content-type"], "image/png");
    assert_eq!(served.bytes().await.unwrap().to_vec(), png);
    let fake = upload(b"<svg onload=alert(1)>".to_vec(), csrf.clone()).await.unwrap();
    assert_eq!(fake.status(), 422);
    assert!(fake.text().await.unwrap().contains("JPEG, PNG, WebP 사진만"));
    assert_eq!(upload(png.clone(), "forged".into()).await.unwrap().status(), 403);
    assert_eq!(store::get(db, "11350", &id).await.unwrap().unwrap().photos.len(), with_photo.photos.len());

    // Another centre's page is not theirs to edit.
    let other = store::all(db, "11350").await.unwrap().into_iter().find(|f| f.id != id).unwrap();
    assert_eq!(app.get(&client, &format!("/provider/facilities/{}", other.id)).await.status(), 403);

    // The quick update on the list: enrolment only, refused above capacity.
    let capacity = now.capacity.unwrap();
    let quick = format!("{form}/enrolled");
    let lower = (capacity - 1).to_string();
    assert_eq!(
        app.submit(&client, "/provider/facilities", &quick, &[("enrolled", lower.as_str())]).await.status(),
        303
    );
    assert_eq!(store::get(db, "11350", &id).await.unwrap().unwrap().vacancies(), Some(1));
    let over = (capacity + 5).to_string();
    let refused = app.submit(&client, "/provider/facilities", &quick, &[("enrolled", over.as_str())]).await;
    assert_eq!(refused.status(), 422);
    assert_eq!(store::get(db, "11350", &id).await.unwrap().unwrap().vacancies(), Some(1));

    // A vacancy written by another process reaches this one through the change log.
    assert!(store::set_enrolled(db, "11350", &id, before.capacity.unwrap() - 2).await.unwrap());
    app.state.sync_places().await.unwrap();
    let api = places(&app, &client, "kind=community_care&vacancy=1&limit=500").await;
    let back = api["facilities"].as_array().unwrap().iter().find(|h| h["id"] == id.as_str()).cloned();
    assert_eq!(back.map(|h| h["vacancies"].clone()), Some(serde_json::json!(2)));
    assert!(!store::set_enrolled(db, "11350", &id, 10_000).await.unwrap(), "over capacity is refused");
});

both!(residents_ask_to_join_a_group_and_its_leader_answers, |app: TestApp| async move {
    let leader_id = app.account(Role::GroupLeader, "leader@test.kr", &[]).await;
    let org = app.organization_of(&leader_id).await;
    seed(&app, &[(demo::LEADER_GROUP.to_string(), org)]).await;
    let groups = group_store::all(&app.state.db, "11350").await.unwrap();
    let group = groups.iter().find(|g| g.name == demo::LEADER_GROUP).unwrap().clone();

    let visitor = app.browser();
    let page = app.get(&visitor, &format!("/places/groups/{}", group.id)).await.text().await.unwrap();
    assert!(page.contains(&group.activities) && page.contains("로그인한 뒤"));

    let resident = app.signed_in(Role::Resident, &[]).await;
    let path = format!("/places/groups/{}", group.id);
    let sent = app.submit(&resident, &path, &format!("{path}/join"), &[("message", "아이가 셋이에요")]).await;
    assert_eq!(sent.status(), 303);
    let again = app.submit(&resident, &path, &format!("{path}/join"), &[("message", "한 번 더")]).await;
    assert_eq!(again.status(), 303, "asking twice is harmless");
    let page = app.get(&resident, &path).await.text().await.unwrap();
    assert!(page.contains("가입 신청을 보냈습니다"));

    let leader = app.browser();
    assert_eq!(app.login(&leader, "leader@test.kr", PASSWORD).await.status(), 303);
    let inbox = app.get(&leader, "/leader/groups").await.text().await.unwrap();
    assert!(inbox.contains("아이가 셋이에요") && !inbox.contains("한 번 더"));
    let requests = group_store::requests(&app.state.db, &group.id).await.unwrap();
    let action = format!("/leader/groups/{}/requests/{}", group.id, requests[0].id);
    let accepted = app.submit(&leader, "/leader/groups", &action, &[("decision", "accept")]).await;
    assert_eq!(accepted.status(), 303);
    let after = group_store::get(&app.state.db, "11350", &group.id).await.unwrap().unwrap();
    assert_eq!(after.member_count, group.member_count + 1);
    let twice = app.submit(&leader, "/leader/groups", &action, &[("decision", "accept")]).await;
    assert_eq!(twice.status(), 409, "an answered request stays answered");
    assert_eq!(
        group_store::get(&app.state.db, "11350", &group.id).await.unwrap().unwrap().member_count,
        after.member_count
    );
    let page = app.get(&resident, &path).await.text().await.unwrap();
    assert!(page.contains("환영합니다"));

    // A leader of another group cannot answer for this one.
    let stranger = app.signed_in(Role::GroupLeader, &[]).await;
    let other = app.submit(&stranger, "/leader/groups", &action, &[("decision", "decline")]).await;
    assert_eq!(other.status(), 403);
});

both!(a_re_import_updates_what_the_source_knows_and_keeps_what_staff_saved, |app: TestApp| async move {
    use dolbom::places::import;
    let db = &app.state.db;
    let csv = |name: &str, second_status: &str| {
        format!(
            "어린이집코드,어린이집명,어린이집유형,운영현황,상세주소,정원,현원,시설 위도(좌표값),시설 경도(좌표값),제공서비스,홈페이지주소\n\
             A1,{name},국공립,정상,서울특별시 노원구 노해로 437,40,30,37.6542,127.0568,일반,javascript:alert(1)\n\
             A2,둘째어린이집,가정,{second_status},서울특별시 노원구 노해로 438,20,10,37.6543,127.0569,일반,https://a2.example.kr\n"
        )
    };
    let hidden = indicatif::ProgressBar::hidden();
    let first = import::write(db, "11350", import::parse(&csv("첫째어린이집", "정상"), &app.state.areas), &hidden)
        .await
        .unwrap();
    assert_eq!((first.imported, first.retired), (2, 0));
    let mut staff = store::all(db, "11350").await.unwrap().into_iter().find(|f| f.name == "첫째어린이집").unwrap();
    assert_eq!(staff.website, None, "a javascript: link from the source is dropped");
    let org = app.organization_of(&app.account(Role::ProviderStaff, "a1@test.kr", &[]).await).await;
    staff.organization_id = Some(org.clone());
    staff.enrolled = Some(38);
    staff.hours.0[5] = None;
    staff.hours_confirmed = true;
    staff.programmes = vec!["숲 놀이".into()];
    store::upsert(db, "11350", &staff).await.unwrap();

    let again = import::write(db, "11350", import::parse(&csv("첫째숲어린이집", "폐지"), &app.state.areas), &hidden)
        .await
        .unwrap();
    assert_eq!((again.imported, again.retired, again.skipped), (1, 1, 1), "the closed centre is taken off");
    let after = store::get(db, "11350", &staff.id).await.unwrap().unwrap();
    assert_eq!(after.name, "첫째숲어린이집", "the source's name");
    assert_eq!(after.organization_id, Some(org), "its staff can still edit it");
    assert_eq!((after.enrolled, after.hours_confirmed, after.hours), (Some(38), true, staff.hours), "staff's figures");
    assert_eq!(after.programmes, ["숲 놀이"]);
    assert_eq!(store::all(db, "11350").await.unwrap().len(), 1);
    app.state.sync_places().await.unwrap();
    assert!(app.state.places.facility(&staff.id).is_some() && app.state.places.len() == 1, "the index follows");
});

both!(the_care_services_show_their_rules_and_the_places_free_now, |app: TestApp| async move {
    seed(&app, &[]).await;
    let page = app.get(&app.browser(), "/care").await.text().await.unwrap();
    for service in ["초등 시설형 긴급돌봄", "언제나 어린이집", "방문형 긴급돌봄"] {
        assert!(page.contains(service), "{service}");
    }
    assert!(page.contains("만 6세 – 만 12세") && page.contains("6개월 – 만 6세") && page.contains("18:00–22:00"));
    assert!(page.contains("그날 15:00까지") && page.contains("전날 18:00까지"));
    let free: i64 = store::all(&app.state.db, "11350")
        .await
        .unwrap()
        .iter()
        .filter(|f| ["community_care", "local_children"].contains(&f.kind.as_str()))
        .filter_map(|f| f.vacancies())
        .map(i64::from)
        .sum();
    assert!(page.contains(&format!("38곳에 {free}자리")), "the free places of the 38 centres, as counted now");
});
