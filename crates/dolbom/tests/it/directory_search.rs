//! The directory's search, its HSDS API and files, and synonyms, on both backends.

use dolbom::directory::import;
use dolbom::directory::model::NewService;
use dolbom::directory::store;

use crate::both;
use crate::support::TestApp;

/// `GET /api/v1/services/search` with the given query pairs, as JSON.
async fn search(app: &TestApp, client: &reqwest::Client, query: &[(&str, &str)]) -> serde_json::Value {
    client.get(app.url("/api/v1/services/search")).query(query).send().await.unwrap().json().await.unwrap()
}

both!(residents_search_the_directory_in_korean, |app: TestApp| async move {
    import::load_shipped(&app.state.db, "11350").await.unwrap();
    // The server tails the change log every half second; this makes sure it has caught up now.
    app.state.sync_search().await.unwrap();
    assert_eq!(app.state.search.len(), 378, "the change log brought every imported service into the index");
    let client = app.browser();

    let page = app.get(&client, "/welfare?q=%EB%8F%8C%EB%B4%84").await.text().await.unwrap(); // 돌봄
    assert!(page.contains("<mark>돌봄</mark>"), "matches are highlighted");
    assert!(page.contains("노인맞춤돌봄서비스"));

    let api: serde_json::Value = search(&app, &client, &[("q", "ㄱㅊㅇㄱ")]).await;
    let names: Vec<&str> = api["hits"].as_array().unwrap().iter().map(|h| h["name"].as_str().unwrap()).collect();
    assert!(names.contains(&"기초연금"), "초성 ㄱㅊㅇㄱ finds 기초연금: {names:?}");

    let typo: serde_json::Value = search(&app, &client, &[("q", "기초연급")]).await;
    assert_eq!(typo["suggestion"], "기초연금");

    let faceted: serde_json::Value =
        search(&app, &client, &[("q", "지원"), ("facet", "/life_stage/senior"), ("facet", "/provider/central")]).await;
    assert!(faceted["total"].as_u64().unwrap() > 0);
    assert!(faceted["facets"].as_array().unwrap().iter().any(|f| f[0] == "/life_stage/senior"));

    // A search that finds nothing is counted, without who asked; staff see it.
    for _ in 0..2 {
        let none: serde_json::Value = search(&app, &client, &[("q", "우주여행")]).await;
        assert_eq!(none["total"], 0);
    }
    let worker = app.signed_in(dolbom::auth::Role::WelfareWorker, &["1135063000"]).await;
    let misses = app.get(&worker, "/staff/search-misses").await.text().await.unwrap();
    assert!(misses.contains("우주여행") && misses.contains("<td>2</td>"));

    // A service's own page.
    let id = store::id_by_source(&app.state.db, "11350", "bokjiro:WLF00001164").await.unwrap().unwrap();
    let service = app.get(&client, &format!("/welfare/services/{id}")).await.text().await.unwrap();
    assert!(service.contains("기초연금") && service.contains("보건복지부"));
    assert_eq!(app.get(&client, "/welfare/services/nope").await.status(), 404);

    // Odd input is harmless.
    let long = "돌봄".repeat(1_000);
    let odd = client.get(app.url("/welfare")).query(&[("q", long.as_str())]).send().await.unwrap();
    assert_eq!(odd.status(), 200);
    assert!(odd.text().await.unwrap().contains("앞 200자로 찾았습니다"), "a long query is cut, and said so");
    assert_eq!(app.get(&client, "/welfare?q=%zz&facet=%ff").await.status(), 200, "broken encodings are read leniently");
});

both!(the_index_follows_changes_made_after_start, |app: TestApp| async move {
    store::seed_taxonomies(&app.state.db).await.unwrap();
    let new = NewService {
        source_id: Some("test:late".into()),
        organization: "노원구청".into(),
        name: "늦게 생긴 반찬 나눔".into(),
        description: "혼자 사는 어르신께 반찬을 나눕니다.".into(),
        status: "active".into(),
        ..NewService::default()
    };
    store::upsert_service(&app.state.db, "11350", &new).await.unwrap();
    let request = dolbom::directory::search::SearchRequest { query: "반찬".into(), limit: 10, ..Default::default() };
    app.state.sync_search().await.unwrap();
    assert_eq!(app.state.search.search(&request).unwrap().total, 1);
    let retired = NewService { status: "inactive".into(), ..new };
    store::upsert_service(&app.state.db, "11350", &retired).await.unwrap();
    app.state.sync_search().await.unwrap();
    assert_eq!(app.state.search.search(&request).unwrap().total, 0, "retired services leave the index");
});

both!(the_hsds_read_api_pages_and_filters, |app: TestApp| async move {
    import::load_shipped(&app.state.db, "11350").await.unwrap();
    app.state.sync_search().await.unwrap();
    let client = app.browser();
    let get = |path: &str| {
        let client = client.clone();
        let url = app.url(path);
        async move { client.get(url).send().await.unwrap() }
    };

    let first: serde_json::Value = get("/api/hsds/services?per_page=10").await.json().await.unwrap();
    assert_eq!(first["total_items"], 378);
    assert_eq!(first["total_pages"], 38);
    assert_eq!(first["size"], 10);
    assert_eq!(first["first_page"], true);
    let service = &first["contents"][0];
    for field in ["id", "name", "status", "attributes", "phones", "organization_id"] {
        assert!(service.get(field).is_some(), "HSDS service has {field}");
    }

    let care: serde_json::Value =
        get("/api/hsds/services?taxonomy_term_id=theme%3Acare&per_page=200").await.json().await.unwrap();
    let n = care["total_items"].as_i64().unwrap();
    assert!(n > 0 && n < 378);
    assert!(care["contents"].as_array().unwrap().iter().all(|s| {
        s["attributes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["taxonomy_term_id"] == "theme:care" && a["taxonomy_term"]["name"] == "보호·돌봄")
    }));

    let searched: serde_json::Value =
        get("/api/hsds/services?search=%EA%B8%B0%EC%B4%88%EC%97%B0%EA%B8%88").await.json().await.unwrap();
    assert_eq!(searched["contents"][0]["name"], "기초연금");

    let one_id = service["id"].as_str().unwrap().to_string();
    let one: serde_json::Value = get(&format!("/api/hsds/services/{one_id}")).await.json().await.unwrap();
    assert_eq!(one["id"], one_id.as_str());
    assert_eq!(get("/api/hsds/services/none").await.status(), 404);

    let taxonomies: serde_json::Value = get("/api/hsds/taxonomies").await.json().await.unwrap();
    assert_eq!(taxonomies["total_items"], 7);
    let stages: serde_json::Value = get("/api/hsds/taxonomy_terms?taxonomy_id=life_stage").await.json().await.unwrap();
    assert_eq!(stages["total_items"], 7);
    let orgs: serde_json::Value = get("/api/hsds/organizations?search=%EB%B3%B4%EA%B1%B4").await.json().await.unwrap();
    assert!(orgs["contents"].as_array().unwrap().iter().any(|o| o["name"] == "보건복지부"));

    let bad = get("/api/hsds/services?per_page=0&modified_after=yesterday").await;
    assert_eq!(bad.status(), 422);
    let problem: serde_json::Value = bad.json().await.unwrap();
    let fields: Vec<&str> =
        problem["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["per_page", "modified_after"]);
});

both!(hsds_export_validates_and_round_trips_through_import, |app: TestApp| async move {
    use dolbom::directory::hsds_io;
    import::load_shipped(&app.state.db, "11350").await.unwrap();
    let first = tempfile::tempdir().unwrap();
    let exported = hsds_io::export(&app.state.db, "11350", first.path()).await.unwrap();
    assert_eq!(exported.services, 378);
    assert!(
        exported.invalid.is_empty(),
        "every exported service validates: {:?}",
        &exported.invalid[..exported.invalid.len().min(3)]
    );

    // Import into an empty database of the same backend, export again: the same files.
    let other = crate::support::TestDb::create(app.backend()).await.unwrap();
    let second_db = dolbom::db::connect(&other.url).await.unwrap();
    second_db.migrate().await.unwrap();
    let imported = hsds_io::import(&second_db, "11350", first.path()).await.unwrap();
    assert_eq!((imported.services, imported.invalid.len()), (378, 0));
    let second = tempfile::tempdir().unwrap();
    hsds_io::export(&second_db, "11350", second.path()).await.unwrap();
    for file in ["services.json", "organizations.json", "taxonomies.json", "taxonomy_terms.json"] {
        let a = std::fs::read_to_string(first.path().join(file)).unwrap();
        let b = std::fs::read_to_string(second.path().join(file)).unwrap();
        let at = a.bytes().zip(b.bytes()).position(|(x, y)| x != y).unwrap_or(a.len().min(b.len()));
        let around = |s: &str| s.get(at.saturating_sub(200)..(at + 200).min(s.len())).unwrap_or("").to_string();
        assert!(a == b, "{file} differs after import → export at byte {at}:\n{}\n---\n{}", around(&a), around(&b));
    }

    // A file with broken records: each reported by JSON pointer, the valid one imported.
    let broken = tempfile::tempdir().unwrap();
    let records = serde_json::json!([
        { "id": "ok-1", "name": "주민 반찬 나눔", "status": "active" },
        { "id": "bad-1", "status": "sometimes" },
        { "id": "bad-2", "name": "분류 없음", "status": "active",
          "attributes": [{ "id": "a", "link_id": "bad-2", "link_type": "service", "link_entity": "service", "taxonomy_term_id": "theme:space" }] },
    ]);
    std::fs::write(broken.path().join("services.json"), records.to_string()).unwrap();
    let report = hsds_io::import(&second_db, "11350", broken.path()).await.unwrap();
    assert_eq!(report.services, 1);
    let pointers: Vec<&str> = report.invalid.iter().map(|p| p.pointer.as_str()).collect();
    assert!(pointers.contains(&"services.json#/1/status"), "{pointers:?}");
    assert!(pointers.contains(&"services.json#/1"), "missing name at the record itself: {pointers:?}");
    assert!(pointers.contains(&"services.json#/2/attributes/0/taxonomy_term_id"), "{pointers:?}");
    assert!(store::id_by_source(&second_db, "11350", "bad-1").await.unwrap().is_none());
    second_db.close().await;
    other.drop_now().await;
});

both!(staff_add_synonyms_where_residents_words_miss, |app: TestApp| async move {
    store::seed_taxonomies(&app.state.db).await.unwrap();
    let service = NewService {
        source_id: Some("test:side-dishes".into()),
        organization: "노원구청".into(),
        name: "어르신 반찬 나눔".into(),
        status: "active".into(),
        ..NewService::default()
    };
    store::upsert_service(&app.state.db, "11350", &service).await.unwrap();
    app.state.sync_search().await.unwrap();
    let client = app.browser();
    assert_eq!(search(&app, &client, &[("q", "할머니")]).await["total"], 0);

    let worker = app.signed_in(dolbom::auth::Role::WelfareWorker, &["1135063000"]).await;
    let misses = app.get(&worker, "/staff/search-misses").await.text().await.unwrap();
    assert!(misses.contains("<td>할머니</td>"));
    let bad = app.submit(&worker, "/staff/search-misses", "/staff/search-synonyms", &[("terms", "할머니")]).await;
    assert_eq!(bad.status(), 422);
    assert!(bad.text().await.unwrap().contains("2개에서 10개까지"));
    let added =
        app.submit(&worker, "/staff/search-misses", "/staff/search-synonyms", &[("terms", "할머니, 어르신")]).await;
    assert_eq!(added.status(), 303);
    let found = search(&app, &client, &[("q", "할머니")]).await;
    assert_eq!(found["total"], 1, "the new synonym group widens the search at once");
    assert_eq!(found["hits"][0]["name"], "어르신 반찬 나눔");
    assert!(app.get(&worker, "/staff/search-misses").await.text().await.unwrap().contains("<li>할머니, 어르신</li>"));
});

both!(places_give_services_a_dong_facet_an_hsds_location_and_a_dong_manual, |app: TestApp| async move {
    import::load_shipped(&app.state.db, "11350").await.unwrap();
    app.state.sync_search().await.unwrap();
    let client = app.browser();
    // 상계8동 (1135070000) holds the 아이휴센터 "상계10단지" (노원로 564).
    let sanggye8 = "/dong/1135070000";
    let browse: serde_json::Value = search(&app, &client, &[("q", "돌봄")]).await;
    let facet = browse["facets"].as_array().unwrap().iter().find(|f| f[0] == sanggye8).cloned();
    assert!(facet.is_some_and(|f| f[1].as_u64() >= Some(1)), "a 행정동 facet with counts: {}", browse["facets"]);
    let narrowed: serde_json::Value = search(&app, &client, &[("q", "돌봄"), ("facet", sanggye8)]).await;
    let names: Vec<&str> = narrowed["hits"].as_array().unwrap().iter().map(|h| h["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["노원 아이휴센터 초등 돌봄"], "only services with a place in 상계8동");
    let page = app.get(&client, "/welfare?q=%EB%8F%8C%EB%B4%84").await.text().await.unwrap();
    assert!(page.contains("상계8동") && page.contains("facet=%2Fdong%2F1135070000"), "the page offers the 동 filter");

    // The service's page lists its places with their 동; HSDS shows them as service_at_locations.
    let id = store::id_by_source(&app.state.db, "11350", "nowon-ihue").await.unwrap().unwrap();
    let service = app.get(&client, &format!("/welfare/services/{id}")).await.text().await.unwrap();
    assert!(service.contains("아이휴센터 상계10단지") && service.contains("(상계8동)"));
    let links: serde_json::Value =
        app.get(&client, "/api/hsds/service_at_locations?per_page=50").await.json().await.unwrap();
    assert_eq!(links["total_items"], 29);
    let first = &links["contents"][0];
    assert_eq!(first["service_id"], id.as_str());
    assert!(first["location"]["addresses"][0]["address_1"].as_str().unwrap().starts_with("서울특별시 노원구"));
    let one_id = first["id"].as_str().unwrap();
    let one: serde_json::Value =
        app.get(&client, &format!("/api/hsds/service_at_locations/{one_id}")).await.json().await.unwrap();
    assert_eq!(one["location"]["id"], first["location"]["id"]);
    assert_eq!(app.get(&client, "/api/hsds/service_at_locations/nope").await.status(), 404);

    // The 상계8동 edition of the manual: everyone's services, and only this 동's centres.
    let manual = app.get(&client, "/welfare/manual?dong=1135070000").await.text().await.unwrap();
    assert!(manual.contains("기초연금") && manual.contains("아이휴센터 상계10단지"));
    assert!(!manual.contains("아이휴센터 월계문화"), "a centre of 월계1동 is not in 상계8동's edition");
    assert_eq!(app.get(&client, "/welfare/manual?dong=9999999999").await.status(), 404);
});

/// A small Korean tabular package: the official descriptor's tables we read, typed as the spec types them.
fn write_package(dir: &std::path::Path, services: &str, phones: &str) {
    let descriptor = std::fs::read_to_string("tests/data/hsds-csv/datapackage.json").unwrap();
    std::fs::write(dir.join("datapackage.json"), descriptor).unwrap();
    let files = [
        (
            "organizations.csv",
            "id,name,description\norg-1,노원구 공동육아 협동조합,부모들이 함께 운영하는 협동조합\n".to_string(),
        ),
        ("services.csv", services.to_string()),
        ("phones.csv", phones.to_string()),
        (
            "attributes.csv",
            "id,link_id,taxonomy_term_id,link_type,link_entity,value\na-1,svc-1,theme:care,service,service,\n".into(),
        ),
        ("service_at_location.csv", "id,service_id,location_id,description\nsal-1,svc-1,loc-1,\n".into()),
        (
            "locations.csv",
            "id,location_type,name,latitude,longitude\nloc-1,physical,공릉 나눔터,37.6255,127.0760\n".into(),
        ),
        (
            "addresses.csv",
            "id,location_id,address_1,city,state_province,postal_code,country,address_type\n\
             ad-1,loc-1,서울특별시 노원구 동일로 1000,노원구,서울특별시,01800,KR,physical\n"
                .into(),
        ),
    ];
    for (name, text) in files {
        std::fs::write(dir.join(name), text).unwrap();
    }
}

both!(hsds_tabular_packages_import_whole_records_and_point_at_bad_rows, |app: TestApp| async move {
    use dolbom::directory::hsds_io;
    let db = &app.state.db;

    // The spec's own example package reads; its organization names a parent the package does not hold, so it and
    // then its service are reported, each at its row.
    let official = hsds_io::import(db, "11350", std::path::Path::new("tests/data/hsds-csv")).await.unwrap();
    let pointers: Vec<&str> = official.invalid.iter().map(|p| p.pointer.as_str()).collect();
    assert_eq!(pointers, ["organizations.csv#row=2/parent_organization_id", "services.csv#row=2/organization_id"]);
    assert_eq!((official.organizations, official.services), (0, 0));

    let package = tempfile::tempdir().unwrap();
    write_package(
        package.path(),
        "id,organization_id,name,status,minimum_age,maximum_age\n\
         svc-1,org-1,공동육아 품앗이,active,0,7\n\
         svc-2,org-1,나이가 글자인 서비스,active,열두,\n\
         svc-3,org-1,전화가 빈 서비스,active,,\n",
        "id,service_id,number,description\np-1,svc-1,02-000-0000,대표\np-2,svc-3,,\n",
    );
    let report = hsds_io::import(db, "11350", package.path()).await.unwrap();
    assert_eq!((report.organizations, report.services), (1, 1));
    let pointers: Vec<&str> = report.invalid.iter().map(|p| p.pointer.as_str()).collect();
    assert!(pointers.contains(&"services.csv#row=3/minimum_age"), "{pointers:?}");
    assert!(pointers.contains(&"phones.csv#row=3"), "a phone without its number: {pointers:?}");

    let imported = store::service(db, "11350", "svc-1").await.unwrap().unwrap();
    assert_eq!((imported.minimum_age, imported.maximum_age), (Some(0), Some(7)));
    assert_eq!(imported.phones[0].number, "02-000-0000");
    assert!(imported.terms.iter().any(|t| t.id == "theme:care"));
    let place = &imported.locations[0];
    assert_eq!(place.address.as_ref().unwrap().postal_code, "01800");
    assert_eq!(place.adm_cd2.as_deref(), Some("1135059500"), "placed in 공릉1동 by its coordinates");
    assert!(store::service(db, "11350", "svc-2").await.unwrap().is_none(), "nothing of a bad record is kept");
});
