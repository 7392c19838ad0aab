//! The resource linkage ledger on both backends: a link saved; the same household's same support from another
//! agency in an overlapping period is refused until a reason is given, and then saved with the warning kept; a
//! period that does not overlap, or another category, goes through; unknown households and services are refused.

use chrono::NaiveDate;
use dolbom::auth::Role;
use dolbom::directory::model::NewService;
use dolbom::directory::store as directory;
use dolbom::ledger::model::NewLink;
use dolbom::ledger::store::{self, LedgerError};
use dolbom::people::store::{NewHousehold, insert_household};

use crate::both;
use crate::support::TestApp;

async fn household(app: &TestApp, id: &str) {
    let mut tx = app.state.db.begin().await.unwrap();
    let h = NewHousehold {
        id,
        municipality_code: "11350",
        adm_cd2: "1135056000",
        address: "서울특별시 노원구 월계로 1",
        lat: 37.62,
        lon: 127.06,
    };
    insert_household(&mut tx, &h).await.unwrap();
    tx.commit().await.unwrap();
}

async fn service(app: &TestApp, name: &str, theme: &str) -> String {
    let s = NewService {
        source_id: Some(format!("test:{name}")),
        organization: "노원구청".into(),
        name: name.into(),
        status: "active".into(),
        terms: vec![format!("theme:{theme}")],
        ..NewService::default()
    };
    directory::upsert_service(&app.state.db, "11350", &s).await.unwrap()
}

fn link(household: &str, service: &str, from: &str, to: &str, reason: &str) -> NewLink {
    let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    NewLink {
        household_id: household.into(),
        service_id: service.into(),
        starts_on: day(from),
        ends_on: day(to),
        amount_krw: Some(100_000),
        in_kind: String::new(),
        reason: reason.into(),
    }
}

both!(the_same_support_twice_needs_a_reason_and_both_are_logged, |app: TestApp| async move {
    let db = &app.state.db;
    directory::seed_taxonomies(db).await.unwrap();
    household(&app, "h1").await;
    let voucher = service(&app, "푸드뱅크 식품 이용권", "living").await;
    let other_voucher = service(&app, "복지관 밑반찬 지원", "living").await;
    let counselling = service(&app, "마음건강 상담", "mental_health").await;
    let (centre, welfare) = (
        app.account(Role::WelfareWorker, "dong@test.kr", &[]).await,
        app.account(Role::WelfareWorker, "bokji@test.kr", &[]).await,
    );
    let (centre_org, welfare_org) = (app.organization_of(&centre).await, app.organization_of(&welfare).await);

    let first = store::save(db, "11350", &link("h1", &voucher, "2026-12-01", "2027-02-28", ""), &centre_org, &centre)
        .await
        .unwrap();
    assert!(first.warned_of.is_empty());

    // Another agency, the same category, an overlapping period: refused with the earlier link, nothing saved.
    let again = link("h1", &other_voucher, "2027-01-15", "2027-03-31", "");
    let refused = store::save(db, "11350", &again, &welfare_org, &welfare).await;
    let Err(LedgerError::NeedsReason(earlier)) = refused else { panic!("{refused:?}") };
    assert_eq!(earlier.len(), 1);
    assert_eq!((earlier[0].id.as_str(), earlier[0].service_name.as_str()), (first.id.as_str(), "푸드뱅크 식품 이용권"));
    assert!(earlier[0].agency_name.contains("dong@test.kr"), "the agency that linked it is named");
    assert_eq!(store::of_household(db, "h1").await.unwrap().len(), 1, "nothing saved");

    // With a reason it is saved, and the warning is kept beside it.
    let with_reason = link("h1", &other_voucher, "2027-01-15", "2027-03-31", "겨울철 긴급 추가 지원 (사례회의 결정)");
    let saved = store::save(db, "11350", &with_reason, &welfare_org, &welfare).await.unwrap();
    assert_eq!(saved.warned_of, std::slice::from_ref(&first.id));
    assert_eq!(store::warnings(db, "11350").await.unwrap(), (1, 1));
    let links = store::of_household(db, "h1").await.unwrap();
    assert_eq!(links.len(), 2);
    assert!(links.iter().any(|l| l.reason.starts_with("겨울철")));

    // After the period, or another category: no warning.
    let later =
        store::save(db, "11350", &link("h1", &voucher, "2027-04-01", "2027-06-30", ""), &centre_org, &centre).await;
    assert!(later.unwrap().warned_of.is_empty());
    let talk =
        store::save(db, "11350", &link("h1", &counselling, "2027-01-01", "2027-01-31", ""), &welfare_org, &welfare)
            .await;
    assert!(talk.unwrap().warned_of.is_empty());

    // Unknown household or service: refused, nothing saved.
    let nobody =
        store::save(db, "11350", &link("nobody", &voucher, "2027-01-01", "2027-01-31", ""), &centre_org, &centre).await;
    assert!(matches!(nobody, Err(LedgerError::UnknownHousehold)), "{nobody:?}");
    let nothing =
        store::save(db, "11350", &link("h1", "no-such", "2027-01-01", "2027-01-31", ""), &centre_org, &centre).await;
    assert!(matches!(nothing, Err(LedgerError::UnknownService)), "{nothing:?}");
    assert_eq!(store::of_household(db, "h1").await.unwrap().len(), 4);
});

both!(two_agencies_linking_at_once_are_both_seen, |app: TestApp| async move {
    let db = &app.state.db;
    directory::seed_taxonomies(db).await.unwrap();
    household(&app, "h2").await;
    let voucher = service(&app, "에너지 바우처", "energy").await;
    let mut agencies = Vec::new();
    for i in 0..6 {
        let user = app.account(Role::WelfareWorker, &format!("a{i}@test.kr"), &[]).await;
        agencies.push((app.organization_of(&user).await, user));
    }
    let tries = agencies.iter().map(|(org, user)| {
        let l = link("h2", &voucher, "2026-12-01", "2027-03-31", "");
        async move { store::save(db, "11350", &l, org, user).await }
    });
    let results = futures_util::future::join_all(tries).await;
    let saved = results.iter().filter(|r| r.is_ok()).count();
    assert_eq!(saved, 1, "one saved, the others warned: {results:?}");
    assert!(results.iter().all(|r| r.is_ok() || matches!(r, Err(LedgerError::NeedsReason(_)))), "{results:?}");
    assert_eq!(store::of_household(db, "h2").await.unwrap().len(), 1);
});
