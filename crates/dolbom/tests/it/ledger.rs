//! The resource linkage ledger on both backends: a link saved; the same household's same support from another
//! agency in an overlapping period is refused until a reason is given, and then saved with the warning kept; a
//! period that does not overlap, or another category, goes through; unknown households and services are refused.

use chrono::NaiveDate;
use dolbom::auth::Role;
use dolbom::directory::model::NewService;
use dolbom::directory::store as directory;
use dolbom::ledger::model::NewLink;
use dolbom::ledger::store::{self, LedgerError};
use dolbom::people::store::{NewHousehold, NewResident, insert_household, insert_resident};

use crate::both;
use crate::support::{PASSWORD, TestApp};

/// A household `id` in 월계1동 with its head, resident `{id}-head`.
pub(crate) async fn household(app: &TestApp, id: &str) {
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
    let head = NewResident {
        id: &format!("{id}-head"),
        municipality_code: "11350",
        household_id: id,
        name: "박순자",
        birth_date: NaiveDate::from_ymd_opt(1948, 5, 2).unwrap(),
        sex: "F",
        relation: "head",
        phone: None,
        rrn_hmac: None,
        rrn_sealed: None,
    };
    insert_resident(&mut tx, &head).await.unwrap();
    tx.commit().await.unwrap();
}

pub(crate) async fn service(app: &TestApp, name: &str, theme: &str) -> String {
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

pub(crate) fn link(household: &str, service: &str, from: &str, to: &str, reason: &str) -> NewLink {
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

both!(a_worker_links_a_voucher_and_a_second_agency_is_warned_on_the_page, |app: TestApp| async move {
    directory::seed_taxonomies(&app.state.db).await.unwrap();
    household(&app, "h3").await;
    let voucher = service(&app, "푸드뱅크 식품 이용권", "living").await;
    let page = "/staff/households/h3?purpose=case_management";
    let action = "/staff/households/h3/links?purpose=case_management";
    let mut browsers = Vec::new();
    for email in ["dong@test.kr", "bokji@test.kr", "far@test.kr"] {
        let area = if email == "far@test.kr" { "1135058000" } else { "1135056000" };
        app.account(Role::WelfareWorker, email, &[area]).await;
        let browser = app.browser();
        assert_eq!(app.login(&browser, email, PASSWORD).await.status(), 303);
        browsers.push(browser);
    }
    let fields = |reason: &'static str| {
        vec![
            ("service_id", voucher.clone()),
            ("starts_on", "2026-12-01".to_string()),
            ("ends_on", "2027-02-28".to_string()),
            ("amount_krw", "50,000".to_string()),
            ("reason", reason.to_string()),
        ]
    };
    let send = |i: usize, reason: &'static str| {
        let f = fields(reason);
        let browser = &browsers[i];
        let app = &app;
        async move {
            let pairs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.submit(browser, page, action, &pairs).await
        }
    };
    assert_eq!(send(0, "").await.status(), 303, "the 동주민센터 links the voucher");
    let warned = send(1, "").await;
    assert_eq!(warned.status(), 422);
    let text = warned.text().await.unwrap();
    assert!(
        text.contains("같은 종류의 지원을 겹치는 기간에 이미 받고 있습니다") && text.contains("기관 dong@test.kr"),
        "{text}"
    );
    assert!(text.contains("겹치는 지원이 있어 사유가 필요합니다"));
    assert_eq!(send(1, "긴급 추가 지원(사례회의)").await.status(), 303, "with a reason it goes ahead");
    let shown = app.get(&browsers[0], page).await.text().await.unwrap();
    assert!(shown.contains("중복 경고 후 진행: 긴급 추가 지원(사례회의)") && shown.contains("50,000원"), "{shown}");
    assert_eq!(send(2, "").await.status(), 404, "a worker of another 행정동 cannot link it");
    let reversed = app
        .submit(
            &browsers[0],
            page,
            action,
            &[
                ("service_id", voucher.as_str()),
                ("starts_on", "2027-03-01"),
                ("ends_on", "2027-01-01"),
                ("amount_krw", "1"),
            ],
        )
        .await;
    assert_eq!(reversed.status(), 422);
    assert!(reversed.text().await.unwrap().contains("끝나는 날이 시작하는 날보다 앞섭니다"));
    assert_eq!(store::of_household(&app.state.db, "h3").await.unwrap().len(), 2, "the refused ones left nothing");
});
