//! Local resources and 권역 sharing on both backends: a resource found in the field enters the directory on approval
//! and is linked like any service; a pool gives through the ledger, never more than it holds (also when gives
//! race), and a campaign's pledges join the pool once received.

use chrono::Days;
use dolbom::auth::Role;
use dolbom::db::time::seoul_today;
use dolbom::ledger::store::{self as ledger, LedgerError};
use dolbom::sharing::pools::{self, GiveError, NewItem, NewPledge};
use dolbom::sharing::resources::{self, NewResource, ReviewError};

use crate::both;
use crate::ledger::household;
use crate::support::{PASSWORD, TestApp};

both!(a_resource_found_on_a_visit_enters_the_directory_after_review_and_is_linked, |app: TestApp| async move {
    let db = &app.state.db;
    dolbom::directory::store::seed_taxonomies(db).await.unwrap();
    household(&app, "h").await;
    app.account(Role::WelfareWorker, "dong@test.kr", &["1135056000"]).await;
    let official = app.account(Role::Official, "gu@test.kr", &[]).await;
    let worker = app.browser();
    assert_eq!(app.login(&worker, "dong@test.kr", PASSWORD).await.status(), 303);
    let bad = app
        .submit(
            &worker,
            "/staff/resources",
            "/staff/resources",
            &[("name", ""), ("kind", "meal"), ("area", "1135058000")],
        )
        .await;
    assert_eq!(bad.status(), 422);
    let text = bad.text().await.unwrap();
    assert!(text.contains("필수 입력 항목입니다") && text.contains(r##"href="#resource-area""##), "{text}");
    let sent = app
        .submit(
            &worker,
            "/staff/resources",
            "/staff/resources",
            &[
                ("name", "월계 행복식당"),
                ("kind", "meal"),
                ("description", "매주 화요일 홀몸 어르신 점심 10인분"),
                ("contact", "02-900-0000"),
                ("area", "1135056000"),
            ],
        )
        .await;
    assert_eq!(sent.status(), 303);
    let list = resources::list(db, "11350").await.unwrap();
    assert_eq!((list.len(), list[0].status.as_str()), (1, "proposed"));
    let id = list[0].id.clone();

    let gu = app.browser();
    assert_eq!(app.login(&gu, "gu@test.kr", PASSWORD).await.status(), 303);
    let no_reason =
        app.submit(&gu, "/staff/resources", &format!("/staff/resources/{id}/review"), &[("decision", "reject")]).await;
    assert_eq!(no_reason.status(), 409, "a rejection needs its reason");
    let service = resources::review(db, "11350", &id, true, "현장 확인", &official).await.unwrap().unwrap();
    assert!(
        matches!(resources::review(db, "11350", &id, false, "x", &official).await, Err(ReviewError::NotProposed)),
        "once"
    );
    let detail = dolbom::directory::store::service(db, "11350", &service).await.unwrap().unwrap();
    assert_eq!((detail.name.as_str(), detail.status.as_str()), ("월계 행복식당", "active"));

    let org = app.organization_of(&app.account(Role::WelfareWorker, "bokji@test.kr", &[]).await).await;
    let link = crate::ledger::link("h", &service, "2026-12-01", "2026-12-31", "");
    let saved = ledger::save(db, "11350", &link, &org, &official).await.unwrap();
    assert!(saved.warned_of.is_empty(), "linked like any service");
    let r = NewResource { adm_cd2: "1135056000", name: "x", kind: "meal", description: "y", ..NewResource::default() };
    resources::propose(db, "11350", &r, &official).await.unwrap();
});

both!(a_pool_gives_through_the_ledger_and_never_more_than_it_holds, |app: TestApp| async move {
    let db = &app.state.db;
    dolbom::directory::store::seed_taxonomies(db).await.unwrap();
    for h in ["h1", "h2", "h3", "h4", "h5", "h6"] {
        household(&app, h).await;
    }
    let worker = app.account(Role::WelfareWorker, "dong@test.kr", &["1135056000"]).await;
    let org = app.organization_of(&worker).await;
    let region =
        pools::create_region(db, "11350", "월계권역", &["1135056000".into(), "1135058000".into()]).await.unwrap();
    let rice = NewItem { name: "쌀", unit: "kg", quantity: 10, donor: "월계농협", campaign_id: None };
    let item = pools::add_item(db, &region, &rice, &worker).await.unwrap();
    let today = (seoul_today(), seoul_today() + Days::new(6));
    pools::give(db, "11350", &item, "h1", 3, today, "", &org, &worker).await.unwrap();
    let links = ledger::of_household(db, "h1").await.unwrap();
    assert_eq!((links.len(), links[0].in_kind.as_str()), (1, "쌀 3kg"), "the give is a ledger link");
    assert!(matches!(
        pools::give(db, "11350", &item, "h2", 8, today, "", &org, &worker).await,
        Err(GiveError::NotEnough(7))
    ));
    let twice = pools::give(db, "11350", &item, "h1", 1, today, "", &org, &worker).await;
    assert!(matches!(twice, Err(GiveError::Ledger(LedgerError::NeedsReason(_)))), "the duplicate check sees the pool");
    assert_eq!(pools::items(db, &region).await.unwrap()[0].quantity, 7, "nothing taken when warned");

    // Five gives of 2 race for the 7 left: three get it, nothing goes below zero.
    let tries = ["h2", "h3", "h4", "h5", "h6"].map(|h| {
        let (item, org, worker) = (item.clone(), org.clone(), worker.clone());
        async move { pools::give(db, "11350", &item, h, 2, today, "", &org, &worker).await }
    });
    let results = futures_util::future::join_all(tries).await;
    assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 3, "{results:?}");
    assert!(results.iter().all(|r| r.is_ok() || matches!(r, Err(GiveError::NotEnough(_)))), "{results:?}");
    let left = &pools::items(db, &region).await.unwrap()[0];
    assert_eq!((left.quantity, left.given), (1, 9));
    assert_eq!(pools::given(db, &region).await.unwrap().len(), 4);
});

both!(a_campaign_pledge_joins_the_pool_once_received, |app: TestApp| async move {
    let db = &app.state.db;
    dolbom::directory::store::seed_taxonomies(db).await.unwrap();
    let worker = app.account(Role::WelfareWorker, "dong@test.kr", &["1135056000"]).await;
    app.account(Role::Resident, "neighbour@test.kr", &[]).await;
    let region = pools::create_region(db, "11350", "월계권역", &["1135056000".into()]).await.unwrap();
    let period = (seoul_today(), seoul_today() + Days::new(30));
    let campaign =
        pools::create_campaign(db, &region, "겨울 이불 나눔", "홀몸 어르신 이불 50채", period, &worker).await.unwrap();

    let resident = app.browser();
    assert_eq!(app.login(&resident, "neighbour@test.kr", PASSWORD).await.status(), 303);
    let action = format!("/sharing/campaigns/{campaign}/pledges");
    let bad = app.submit(&resident, "/sharing", &action, &[("item", "이불"), ("unit", "채"), ("quantity", "0")]).await;
    assert_eq!(bad.status(), 422);
    assert!(bad.text().await.unwrap().contains("수량은 1 이상의 숫자로"));
    let ok = app.submit(&resident, "/sharing", &action, &[("item", "이불"), ("unit", "채"), ("quantity", "2")]).await;
    assert_eq!(ok.status(), 200);
    assert!(ok.text().await.unwrap().contains("기부 약속을 받았습니다"));
    let ended = pools::create_campaign(
        db,
        &region,
        "지난 캠페인",
        "x",
        (seoul_today() - Days::new(9), seoul_today() - Days::new(1)),
        &worker,
    )
    .await
    .unwrap();
    let p = NewPledge { donor: "x", donor_user: None, item: "y", unit: "개", quantity: 1 };
    assert!(!pools::pledge(db, "11350", &ended, &p, seoul_today()).await.unwrap(), "not after it ended");

    let pledges = pools::pledges(db, &campaign).await.unwrap();
    assert_eq!(pledges.len(), 1);
    let item = pools::receive(db, &pledges[0].id, &worker).await.unwrap().unwrap();
    assert!(pools::receive(db, &pledges[0].id, &worker).await.unwrap().is_none(), "once");
    let items = pools::items(db, &region).await.unwrap();
    assert_eq!((items[0].id.as_str(), items[0].quantity, items[0].name.as_str()), (item.as_str(), 2, "이불"));
    let running = pools::running(db, "11350", seoul_today()).await.unwrap();
    assert_eq!(running.iter().map(|c| (c.pledges, c.received)).collect::<Vec<_>>(), [(1, 1)]);
});
