use dolbom::db::change_log;
use dolbom::directory::import::{self, RowError};
use dolbom::directory::model::{NewPhone, NewService};
use dolbom::directory::store;

use crate::both;
use crate::support::TestApp;

both!(the_shipped_services_load_whole_with_their_terms, |app: TestApp| async move {
    let db = &app.state.db;
    let report = import::load_shipped(db, "11350").await.unwrap();
    assert_eq!(report.imported, 378);
    assert!(report.errors.is_empty());
    assert_eq!(store::count_services(db, "11350").await.unwrap(), 378);

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
    assert_eq!(again.imported, 378);
    assert_eq!(store::count_services(db, "11350").await.unwrap(), 378);
    let reloaded = store::service(db, "11350", &id).await.unwrap().unwrap();
    assert_eq!(reloaded.terms.len(), service.terms.len());
    assert_eq!(reloaded.phones.len(), phones_before);
    let changes = change_log::since(db, 0, 10_000).await.unwrap();
    assert_eq!(changes.iter().filter(|c| c.entity == "service").count(), 756, "each write reaches the change log");
    let centres = store::id_by_source(db, "11350", "nowon-ihue").await.unwrap().unwrap();
    let places = dolbom::directory::location_store::locations_of(db, &centres).await.unwrap();
    assert_eq!(places.len(), 29, "places are updated in place too");
    let (locations,): (i64,) =
        dolbom::db_run!(db, p => sqlx::query_as("SELECT COUNT(*) FROM locations").fetch_one(p).await).unwrap();
    assert_eq!(locations, 29);
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

both!(the_directory_prints_as_a_manual, |app: TestApp| async move {
    import::load_shipped(&app.state.db, "11350").await.unwrap();
    let client = app.browser();
    let all = app.get(&client, "/welfare/manual").await.text().await.unwrap();
    assert!(all.contains("서비스 378개"));
    assert!(all.contains("id=\"life_stage-senior\"") && all.contains("기초연금"));
    let care = app.get(&client, "/welfare/manual?term=theme%3Acare").await.text().await.unwrap();
    assert!(care.contains("노인맞춤돌봄서비스"));
    assert!(!care.contains(">청년월세 한시 특별지원<"), "only the chosen theme");
    assert_eq!(app.get(&client, "/welfare/manual?term=theme%3Aspace").await.status(), 404);
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
