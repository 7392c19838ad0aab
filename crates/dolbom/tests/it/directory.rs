use dolbom::db::change_log;
use dolbom::directory::import::{self, RowError};
use dolbom::directory::model::{NewPhone, NewService};
use dolbom::directory::store;

use crate::both;
use crate::support::TestApp;

both!(the_shipped_services_load_whole_with_their_terms, |app: TestApp| async move {
    let db = &app.state.db;
    let report = import::load_shipped(db, "11350").await.unwrap();
    assert_eq!(report.imported, 369);
    assert!(report.errors.is_empty());
    assert_eq!(store::count_services(db, "11350").await.unwrap(), 369);

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
    assert_eq!(again.imported, 369);
    assert_eq!(store::count_services(db, "11350").await.unwrap(), 369);
    let reloaded = store::service(db, "11350", &id).await.unwrap().unwrap();
    assert_eq!(reloaded.terms.len(), service.terms.len());
    assert_eq!(reloaded.phones.len(), phones_before);
    let changes = change_log::since(db, 0, 10_000).await.unwrap();
    assert_eq!(changes.iter().filter(|c| c.entity == "service").count(), 738, "each write reaches the change log");
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
