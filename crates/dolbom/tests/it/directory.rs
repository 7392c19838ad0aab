use dolbom::db::change_log;
use dolbom::directory::import::{self, RowError};
use dolbom::directory::model::{NewPhone, NewService};
use dolbom::directory::store;

use crate::both;
use crate::support::TestApp;

both!(the_shipped_services_load_whole_with_their_terms, |app: TestApp| async move {
    let db = &app.state.db;
    let report = import::load_shipped(db, "11350").await.unwrap();
    assert_eq!(report.imported, 377);
    assert!(report.errors.is_empty());
    assert_eq!(store::count_services(db, "11350").await.unwrap(), 377);

    let id = store::id_by_source(db, "11350", "bokjiro:WLF00001183").await.unwrap().unwrap();
    let service = store::service(db, "11350", &id).await.unwrap().unwrap();
    assert_eq!(service.name, "다문화보육료지원");
    assert_eq!(service.organization_name.as_deref(), Some("교육부"));
    let terms: Vec<&str> = service.terms.iter().map(|t| t.id.as_str()).collect();
    for term in ["household:multicultural", "life_stage:infant", "provider:central", "theme:childcare"] {
        assert!(terms.contains(&term), "{term} in {terms:?}");
    }

    let counts = store::term_counts(db, "11350").await.unwrap();
    let central = counts.iter().find(|(t, _)| t == "provider:central").map(|(_, n)| *n);
    assert_eq!(central, Some(367));

    // Loading again updates in place: no duplicate services, terms or phones.
    let phones_before = service.phones.len();
    let again = import::load_shipped(db, "11350").await.unwrap();
    assert_eq!(again.imported, 377);
    assert_eq!(store::count_services(db, "11350").await.unwrap(), 377);
    let reloaded = store::service(db, "11350", &id).await.unwrap().unwrap();
    assert_eq!(reloaded.terms.len(), service.terms.len());
    assert_eq!(reloaded.phones.len(), phones_before);
    let changes = change_log::since(db, 0, 10_000).await.unwrap();
    assert_eq!(changes.iter().filter(|c| c.entity == "service").count(), 754, "each write reaches the change log");
});

both!(a_bad_row_is_reported_and_the_good_ones_are_kept, |app: TestApp| async move {
    let db = &app.state.db;
    store::seed_taxonomies(db).await.unwrap();
    let good = NewService {
        source_id: Some("test:1".into()),
        organization: "노원구청".into(),
        name: "어르신 안부 확인".into(),
        description: "혼자 사시는 어르신께 매주 안부 전화를 드립니다.".into(),
        status: "active".into(),
        terms: vec!["life_stage:senior".into(), "theme:care".into()],
        phones: vec![NewPhone { number: "02-2116-3114".into(), description: Some("복지정책과".into()) }],
        ..NewService::default()
    };
    let rows = vec![Ok(good), Err(RowError { line: 3, message: "서비스명 is required".into() })];
    let report = import::write(db, "11350", rows).await.unwrap();
    assert_eq!(report.imported, 1);
    assert_eq!(report.errors, vec![RowError { line: 3, message: "서비스명 is required".into() }]);

    // A service naming a term that does not exist is refused whole: no half-written service is left behind.
    let broken = NewService {
        source_id: Some("test:2".into()),
        organization: "노원구청".into(),
        name: "잘못된 분류".into(),
        status: "active".into(),
        terms: vec!["theme:no_such_theme".into()],
        ..NewService::default()
    };
    assert!(store::upsert_service(db, "11350", &broken).await.is_err());
    assert!(store::id_by_source(db, "11350", "test:2").await.unwrap().is_none());
    assert_eq!(store::count_services(db, "11350").await.unwrap(), 1);
});

both!(a_resident_checks_what_they_qualify_for_without_logging_in, |app: TestApp| async move {
    import::load_shipped(&app.state.db, "11350").await.unwrap();
    let resident = app.browser();
    let form = app.get(&resident, "/welfare/check").await;
    assert_eq!(form.status(), 200);

    let senior = [
        ("birth_date", "1954-05-01"),
        ("area", "1135063000"),
        ("household_size", "1"),
        ("monthly_income", "1,100,000"),
        ("benefits", "none"),
    ];
    let result = app.submit(&resident, "/welfare/check", "/welfare/check", &senior).await;
    assert_eq!(result.status(), 200);
    let html = result.text().await.unwrap();
    let eligible = html.split("확인이 더 필요한 서비스").next().unwrap();
    assert!(eligible.contains("기초연금"), "a 72-year-old living alone on 1.1 million won a month gets 기초연금");
    assert!(eligible.contains("만 65세 이상"));
    let unknown = html.split("확인이 더 필요한 서비스").nth(1).unwrap();
    assert!(unknown.contains("한부모가족 여부를 알려 주시면 확인할 수 있습니다"), "missing facts are named");

    let richer = [("birth_date", "1954-05-01"), ("household_size", "1"), ("monthly_income", "3,000,000")];
    let html = app.submit(&resident, "/welfare/check", "/welfare/check", &richer).await.text().await.unwrap();
    let eligible = html.split("확인이 더 필요한 서비스").next().unwrap();
    assert!(!eligible.contains(">기초연금<"), "over the 선정기준액");

    // The form keeps what was typed and names what is impossible; nothing was stored anywhere.
    let future = [("birth_date", "2099-01-01"), ("monthly_income", "-3"), ("household_size", "2")];
    let bad = app.submit(&resident, "/welfare/check", "/welfare/check", &future).await;
    assert_eq!(bad.status(), 422);
    let html = bad.text().await.unwrap();
    assert!(html.contains("생년월일이 오늘보다 뒤입니다"));
    assert!(html.contains("금액은 0원 이상이어야 합니다"));
    assert!(html.contains("value=\"2099-01-01\""));
    let (logged,): (i64,) =
        dolbom::db_run!(&app.state.db, p => sqlx::query_as("SELECT COUNT(*) FROM access_log").fetch_one(p).await)
            .unwrap();
    assert_eq!(logged, 0);
});

/// `GET /api/v1/services/search` with the given query pairs, as JSON.
async fn search(app: &TestApp, client: &reqwest::Client, query: &[(&str, &str)]) -> serde_json::Value {
    client.get(app.url("/api/v1/services/search")).query(query).send().await.unwrap().json().await.unwrap()
}

both!(residents_search_the_directory_in_korean, |app: TestApp| async move {
    import::load_shipped(&app.state.db, "11350").await.unwrap();
    // The server tails the change log every half second; this makes sure it has caught up now.
    app.state.sync_search().await.unwrap();
    assert_eq!(app.state.search.len(), 377, "the change log brought every imported service into the index");
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

both!(the_directory_prints_as_a_manual, |app: TestApp| async move {
    import::load_shipped(&app.state.db, "11350").await.unwrap();
    let client = app.browser();
    let all = app.get(&client, "/welfare/manual").await.text().await.unwrap();
    assert!(all.contains("서비스 377개"));
    assert!(all.contains("id=\"life_stage-senior\"") && all.contains("기초연금"));
    let care = app.get(&client, "/welfare/manual?term=theme%3Acare").await.text().await.unwrap();
    assert!(care.contains("노인맞춤돌봄서비스"));
    assert!(!care.contains(">청년월세 한시 특별지원<"), "only the chosen theme");
    assert_eq!(app.get(&client, "/welfare/manual?term=theme%3Aspace").await.status(), 404);
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
    assert_eq!(first["total_items"], 377);
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
    assert!(n > 0 && n < 377);
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

both!(staff_create_edit_and_retire_services, |app: TestApp| async move {
    store::seed_taxonomies(&app.state.db).await.unwrap();
    let worker = app.signed_in(dolbom::auth::Role::WelfareWorker, &["1135063000"]).await;

    let bad = app
        .submit(
            &worker,
            "/staff/services/new",
            "/staff/services",
            &[
                ("name", ""),
                ("organization", "노원구청"),
                ("url", "ftp://x"),
                ("status", "active"),
                ("minimum_age", "70"),
                ("maximum_age", "60"),
                ("phones", "전화 없음"),
                ("terms", "theme:space"),
            ],
        )
        .await;
    assert_eq!(bad.status(), 422);
    let html = bad.text().await.unwrap();
    for message in [
        "필수 입력 항목입니다",
        "https:// 또는 http://",
        "최대 나이가 최소 나이보다",
        "전화번호를 찾을 수 없는",
        "목록에 있는 값",
    ] {
        assert!(html.contains(message), "{message}");
    }
    assert!(html.contains("value=\"70\""), "typed values are kept");
    assert_eq!(store::count_services(&app.state.db, "11350").await.unwrap(), 0);

    let made = app
        .submit(
            &worker,
            "/staff/services/new",
            "/staff/services",
            &[
                ("name", "어르신 반찬 나눔"),
                ("organization", "상계1동 주민센터"),
                ("description", "혼자 사시는 어르신께 매주 반찬을 드립니다."),
                ("status", "active"),
                ("minimum_age", "65"),
                ("phones", "복지팀 02-2116-0000"),
                ("terms", "life_stage:senior"),
                ("terms", "theme:care"),
            ],
        )
        .await;
    assert_eq!(made.status(), 303);
    let id = made.headers()["location"].to_str().unwrap().trim_start_matches("/staff/services/").to_string();
    let saved = store::service(&app.state.db, "11350", &id).await.unwrap().unwrap();
    assert_eq!(saved.organization_name.as_deref(), Some("상계1동 주민센터"));
    assert_eq!(saved.phones[0].number, "02-2116-0000");
    assert!(saved.rules.as_deref().unwrap().contains("\"min\":65"), "rules derived from the 노년 stage");

    app.state.sync_search().await.unwrap();
    let request = dolbom::directory::search::SearchRequest { query: "반찬".into(), limit: 10, ..Default::default() };
    assert_eq!(app.state.search.search(&request).unwrap().total, 1);

    let page = format!("/staff/services/{id}");
    let retire = app
        .submit(
            &worker,
            &page,
            &page,
            &[("name", "어르신 반찬 나눔"), ("organization", "상계1동 주민센터"), ("status", "defunct")],
        )
        .await;
    assert_eq!(retire.status(), 303);
    app.state.sync_search().await.unwrap();
    assert_eq!(app.state.search.search(&request).unwrap().total, 0, "a retired service leaves the search");
    let list = app.get(&worker, "/staff/services?q=%EB%B0%98%EC%B0%AC").await.text().await.unwrap();
    assert!(list.contains("어르신 반찬 나눔") && list.contains("폐지"), "staff still see it, marked");
    assert_eq!(
        app.submit(
            &worker,
            &page,
            "/staff/services/nope",
            &[("name", "x"), ("organization", "y"), ("status", "active")]
        )
        .await
        .status(),
        404
    );
});

both!(hsds_export_validates_and_round_trips_through_import, |app: TestApp| async move {
    use dolbom::directory::hsds_io;
    import::load_shipped(&app.state.db, "11350").await.unwrap();
    let first = tempfile::tempdir().unwrap();
    let exported = hsds_io::export(&app.state.db, "11350", first.path()).await.unwrap();
    assert_eq!(exported.services, 377);
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
    assert_eq!((imported.services, imported.invalid.len()), (377, 0));
    let second = tempfile::tempdir().unwrap();
    hsds_io::export(&second_db, "11350", second.path()).await.unwrap();
    for file in ["services.json", "organizations.json", "taxonomies.json", "taxonomy_terms.json"] {
        let a = std::fs::read_to_string(first.path().join(file)).unwrap();
        let b = std::fs::read_to_string(second.path().join(file)).unwrap();
        assert!(a == b, "{file} differs after import → export");
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

both!(private_layer_and_donation_facts_are_shown, |app: TestApp| async move {
    import::load_shipped(&app.state.db, "11350").await.unwrap();
    let counts = store::term_counts(&app.state.db, "11350").await.unwrap();
    let private = counts.iter().find(|(t, _)| t == "provider:private").map(|(_, n)| *n).unwrap_or(0);
    assert!(private >= 5, "a private layer beside the central and local ones");
    let id = store::id_by_source(&app.state.db, "11350", "csv:demo-3").await.unwrap().unwrap();
    let page = app.get(&app.browser(), &format!("/welfare/services/{id}")).await.text().await.unwrap();
    assert!(page.contains("기부 방법") && page.contains("사랑의열매"));
    assert!(page.contains("세제 혜택") && page.contains("세액공제"));
    let hsds: serde_json::Value =
        app.browser().get(app.url(&format!("/api/hsds/services/{id}"))).send().await.unwrap().json().await.unwrap();
    let attributes = hsds["attributes"].as_array().unwrap();
    assert!(
        attributes
            .iter()
            .any(|a| a["taxonomy_term_id"] == "donation:tax_benefit" && a["value"].as_str().unwrap().contains("15%"))
    );
});
