//! Cases and outreach on both backends: a case goes from intake through assessment, plan, review and closure with
//! its timeline; only its agency changes it; another agency sees a household only while a consent shares it with
//! them; a visit is recorded once by its worker and puts the household on the 행정동's at-risk list.

use chrono::Days;
use dolbom::auth::{Role, admin_store};
use dolbom::cases::model::{Assessment, PlanItem};
use dolbom::cases::store::{self as cases, CaseError};
use dolbom::cases::timeline;
use dolbom::db::time::{now_millis, seoul_today};
use dolbom::outreach::model::VisitRecord;
use dolbom::outreach::store::{self as outreach, VisitError};
use dolbom::people::consent;
use dolbom::people::referrals::{self, NewReferral, Step};

use crate::both;
use crate::ledger::household;
use crate::referrals::share_with;
use crate::support::{PASSWORD, TestApp};

both!(a_case_runs_from_intake_to_closure_and_only_its_agency_changes_it, |app: TestApp| async move {
    let db = &app.state.db;
    household(&app, "h").await;
    let (dong, bokji) = (
        app.account(Role::WelfareWorker, "dong@test.kr", &["1135056000"]).await,
        app.account(Role::WelfareWorker, "bokji@test.kr", &[]).await,
    );
    let (dong_org, bokji_org) = (app.organization_of(&dong).await, app.organization_of(&bokji).await);
    let id = cases::open(db, "11350", "h", &dong_org, &dong, "홀몸 어르신, 겨울 난방비 걱정").await.unwrap();
    assert!(matches!(
        cases::open(db, "11350", "nobody", &dong_org, &dong, "x").await,
        Err(CaseError::UnknownHousehold)
    ));

    let housing = |level| Assessment { domain: "housing".into(), level, note: format!("단계 {level}") };
    cases::assess(db, &id, &dong_org, &dong, &housing(2)).await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    cases::assess(db, &id, &dong_org, &dong, &housing(3)).await.unwrap();
    let care = Assessment { domain: "care".into(), level: 1, note: String::new() };
    cases::assess(db, &id, &dong_org, &dong, &care).await.unwrap();
    let needs = cases::needs(db, &id).await.unwrap();
    let current: Vec<(&str, i32)> = needs.iter().map(|n| (n.domain.as_str(), n.level)).collect();
    assert_eq!(current, [("housing", 3), ("care", 1)], "the latest per domain, the highest first");

    let due = seoul_today() + Days::new(14);
    let item = PlanItem { domain: "housing".into(), goal: "에너지바우처 신청".into(), due_on: due };
    cases::add_plan_item(db, &id, &dong_org, &dong, &item).await.unwrap();
    let plan = cases::plan(db, &id).await.unwrap();
    assert_eq!(plan.len(), 1);
    assert!(
        matches!(cases::complete_plan_item(db, &id, &bokji_org, &plan[0].id).await, Err(CaseError::NotOpenHere)),
        "another agency cannot change the case"
    );
    cases::complete_plan_item(db, &id, &dong_org, &plan[0].id).await.unwrap();
    assert!(
        matches!(cases::complete_plan_item(db, &id, &dong_org, &plan[0].id).await, Err(CaseError::NotOpenHere)),
        "once"
    );

    let next = seoul_today() + Days::new(30);
    cases::review(db, &id, &dong_org, &dong, "바우처 신청 완료, 한 달 뒤 다시 점검", next).await.unwrap();
    assert_eq!(cases::get(db, "11350", &id).await.unwrap().unwrap().next_review_on, next);
    assert!(matches!(cases::review(db, &id, &bokji_org, &bokji, "x", next).await, Err(CaseError::NotOpenHere)));

    cases::close(db, &id, &dong_org, "resolved", "").await.unwrap();
    assert!(matches!(cases::assess(db, &id, &dong_org, &dong, &care).await, Err(CaseError::NotOpenHere)), "closed");
    assert_eq!(cases::needs(db, &id).await.unwrap().len(), 2, "nothing added after closing");

    let case = cases::get(db, "11350", &id).await.unwrap().unwrap();
    assert_eq!((case.status.as_str(), case.closure_reason.as_str()), ("closed", "resolved"));
    let events = timeline::of_case(db, &case).await.unwrap();
    let whats: Vec<&str> = events.iter().map(|e| e.what).collect();
    for what in [
        "timeline-opened",
        "timeline-assessed",
        "timeline-planned",
        "timeline-plan-done",
        "timeline-reviewed",
        "timeline-closed",
    ] {
        assert!(whats.contains(&what), "{what} in {whats:?}");
    }
    assert_eq!(whats.first(), Some(&"timeline-closed"), "newest first: {whats:?}");
    assert_eq!(whats.last(), Some(&"timeline-opened"));
    assert!(events.windows(2).all(|w| w[0].at >= w[1].at));
});

both!(another_agency_sees_a_household_only_while_a_consent_shares_it, |app: TestApp| async move {
    let db = &app.state.db;
    household(&app, "h").await;
    let dong = app.account(Role::WelfareWorker, "dong@test.kr", &["1135056000"]).await;
    let bokji = app.account(Role::WelfareWorker, "bokji@test.kr", &[]).await;
    let (dong_org, bokji_org) = (app.organization_of(&dong).await, app.organization_of(&bokji).await);
    let centre = app.browser();
    assert_eq!(app.login(&centre, "bokji@test.kr", PASSWORD).await.status(), 303);
    let page = "/staff/households/h?purpose=case_management";
    assert_eq!(app.get(&centre, page).await.status(), 404, "out of the centre's 행정동s, nothing shared");

    share_with(&app, "h-head", &bokji_org, &dong).await;
    assert_eq!(app.get(&centre, page).await.status(), 404, "a consent alone opens nothing: no case or referral yet");
    let r = NewReferral {
        household_id: "h",
        from_agency: &dong_org,
        to_agency: &bokji_org,
        domain: "income",
        need: "긴급 생계",
    };
    let referral = referrals::send(db, "11350", &r, &dong).await.unwrap();
    let shown = app.get(&centre, page).await;
    assert_eq!(shown.status(), 200, "referred with consent: the centre opens it");
    assert!(shown.text().await.unwrap().contains("긴급 생계"));
    let case = cases::open(db, "11350", "h", &dong_org, &dong, "긴급 생계 지원").await.unwrap();
    assert_eq!(
        cases::shared_with(db, "11350", &bokji_org).await.unwrap().len(),
        1,
        "the case is shared with the centre"
    );
    assert_eq!(app.get(&centre, &format!("/staff/cases/{case}")).await.status(), 200);
    let changed = app
        .submit(
            &centre,
            &format!("/staff/cases/{case}"),
            &format!("/staff/cases/{case}/close"),
            &[("reason", "resolved")],
        )
        .await;
    assert_eq!(changed.status(), 409, "a sharing agency reads but does not change the case");
    assert!(changed.text().await.unwrap().contains("다른 기관의 사례라서 바꿀 수 없습니다"), "the conflict says why");

    referrals::step(db, &referral, &bokji_org, Step::Decline, "").await.unwrap();
    assert_eq!(app.get(&centre, page).await.status(), 200, "still shared through the open case");

    let consents = consent::of_household(db, "h").await.unwrap();
    assert!(consent::withdraw(db, &consents[0].id).await.unwrap());
    assert_eq!(app.get(&centre, page).await.status(), 404, "withdrawn: sharing stops at once");
    assert_eq!(app.get(&centre, &format!("/staff/cases/{case}")).await.status(), 404);
    assert!(cases::shared_with(db, "11350", &bokji_org).await.unwrap().is_empty());

    // A consent for the whole consortium shares with members only.
    let all = consent::NewConsent {
        resident_id: "h-head",
        purpose: "information_sharing",
        agency_id: None,
        given_on: seoul_today(),
        expires_on: seoul_today() + Days::new(30),
    };
    consent::record(db, "11350", &all, &dong).await.unwrap();
    assert_eq!(app.get(&centre, page).await.status(), 404, "the centre is not in the consortium");
    admin_store::set_consortium(db, "11350", &bokji_org, true).await.unwrap();
    assert_eq!(app.get(&centre, page).await.status(), 200, "a member of the consortium");
});

both!(a_visit_is_recorded_once_by_its_worker_and_puts_the_household_at_risk, |app: TestApp| async move {
    let db = &app.state.db;
    household(&app, "h").await;
    let dong = app.account(Role::WelfareWorker, "dong@test.kr", &["1135056000"]).await;
    let other = app.account(Role::WelfareWorker, "other@test.kr", &["1135056000"]).await;
    let dong_org = app.organization_of(&dong).await;
    let visit = outreach::schedule(db, "11350", "h", &dong, &dong_org, seoul_today()).await.unwrap();
    assert!(matches!(
        outreach::schedule(db, "11350", "nobody", &dong, &dong_org, seoul_today()).await,
        Err(VisitError::UnknownHousehold)
    ));
    assert_eq!(outreach::of_worker(db, &dong).await.unwrap().len(), 1);
    assert!(outreach::at_risk(db, "11350", "1135056000").await.unwrap().is_empty());

    let seen = VisitRecord {
        made: true,
        notes: "보일러 고장, 식사 거름".into(),
        risk_level: 3,
        flags: vec!["food".into(), "housing".into()],
        task: Some(("보일러 수리 업체 연결".into(), seoul_today() + Days::new(2))),
    };
    assert!(matches!(outreach::record(db, "11350", &visit, &other, &seen).await, Err(VisitError::NotScheduledForYou)));
    outreach::record(db, "11350", &visit, &dong, &seen).await.unwrap();
    assert!(
        matches!(outreach::record(db, "11350", &visit, &dong, &seen).await, Err(VisitError::NotScheduledForYou)),
        "once"
    );

    let at_risk = outreach::at_risk(db, "11350", "1135056000").await.unwrap();
    assert_eq!(at_risk.len(), 1);
    assert_eq!((at_risk[0].risk_level, at_risk[0].risk_flags.as_str(), at_risk[0].open_tasks), (3, "food housing", 1));
    assert!(outreach::at_risk(db, "11350", "1135058000").await.unwrap().is_empty(), "per 행정동");
    let tasks = outreach::open_tasks(db, &dong).await.unwrap();
    assert_eq!(tasks.len(), 1);
    assert!(!outreach::complete_task(db, &other, &tasks[0].id).await.unwrap(), "not theirs");
    assert!(outreach::complete_task(db, &dong, &tasks[0].id).await.unwrap());

    // A later visit without risk takes the household off the list.
    let again = outreach::schedule(db, "11350", "h", &dong, &dong_org, seoul_today()).await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let calm = VisitRecord {
        made: true,
        notes: "수리 완료, 도시락 배달 시작".into(),
        risk_level: 0,
        flags: vec![],
        task: None,
    };
    outreach::record(db, "11350", &again, &dong, &calm).await.unwrap();
    assert!(outreach::at_risk(db, "11350", "1135056000").await.unwrap().is_empty());
});

both!(the_visit_form_keeps_what_was_typed_and_names_each_bad_field, |app: TestApp| async move {
    household(&app, "h").await;
    let dong = app.account(Role::WelfareWorker, "dong@test.kr", &["1135056000"]).await;
    let dong_org = app.organization_of(&dong).await;
    let visit = outreach::schedule(&app.state.db, "11350", "h", &dong, &dong_org, seoul_today()).await.unwrap();
    let worker = app.browser();
    assert_eq!(app.login(&worker, "dong@test.kr", PASSWORD).await.status(), 303);
    let page = format!("/staff/visits/{visit}");
    let bad = app
        .submit(
            &worker,
            &page,
            &page,
            &[
                ("outcome", "done"),
                ("notes", "문 앞 우편물 쌓임"),
                ("risk_level", "9"),
                ("flag", "isolation"),
                ("task", "재방문"),
                ("task_due_on", "어제"),
            ],
        )
        .await;
    assert_eq!(bad.status(), 422);
    let text = bad.text().await.unwrap();
    assert!(text.contains("문 앞 우편물 쌓임") && text.contains("재방문"), "what was typed stays");
    assert!(text.contains("날짜는 2026-11-27처럼 써 주세요"), "{text}");
    assert!(text.contains(r#"value="isolation" checked"#), "the ticked flag stays ticked");
    let ok = app
        .submit(
            &worker,
            &page,
            &page,
            &[("outcome", "done"), ("notes", "문 앞 우편물 쌓임"), ("risk_level", "2"), ("flag", "isolation")],
        )
        .await;
    assert_eq!(ok.status(), 303);
    let shown = app.get(&worker, &page).await.text().await.unwrap();
    assert!(shown.contains("고립·단절") && shown.contains("위기"), "{shown}");
    let refer = app
        .submit(
            &worker,
            "/staff/households/h?purpose=case_management",
            "/staff/households/h/referrals",
            &[("to_agency", &dong_org), ("domain", "income"), ("need", "x")],
        )
        .await;
    assert_eq!(refer.status(), 422, "not to itself");
});

both!(a_stalled_referral_reminds_both_agencies_once, |app: TestApp| async move {
    let db = &app.state.db;
    household(&app, "h").await;
    let dong = app.account(Role::WelfareWorker, "dong@test.kr", &[]).await;
    let bokji = app.account(Role::WelfareWorker, "bokji@test.kr", &[]).await;
    let (dong_org, bokji_org) = (app.organization_of(&dong).await, app.organization_of(&bokji).await);
    share_with(&app, "h-head", &bokji_org, &dong).await;
    let r = NewReferral {
        household_id: "h",
        from_agency: &dong_org,
        to_agency: &bokji_org,
        domain: "care",
        need: "밑반찬",
    };
    let id = referrals::send(db, "11350", &r, &dong).await.unwrap();
    assert_eq!(referrals::remind_stalled(db, "11350").await.unwrap(), 0);
    let sql = "UPDATE referrals SET sent_at = $1 WHERE id = $2";
    dolbom::db_run!(db, p => sqlx::query(sql).bind(now_millis() - 4 * 86_400_000).bind(&id).execute(p).await.map(|_| ())).unwrap();
    assert_eq!(referrals::remind_stalled(db, "11350").await.unwrap(), 1);
    assert_eq!(referrals::remind_stalled(db, "11350").await.unwrap(), 0, "once per stall");
    for user in [&dong, &bokji] {
        let inbox = dolbom::notify::latest(db, user, 10).await.unwrap();
        assert_eq!(inbox.iter().filter(|n| n.message == "notify-referral-unanswered").count(), 1, "{user}");
    }
});

both!(
    the_dashboard_counts_per_area_and_a_warning_not_gone_ahead_from_is_a_duplicate_prevented,
    |app: TestApp| async move {
        use dolbom::cases::dashboard;
        use dolbom::ledger::store as ledger;
        let db = &app.state.db;
        dolbom::directory::store::seed_taxonomies(db).await.unwrap();
        household(&app, "h").await;
        let voucher = crate::ledger::service(&app, "푸드뱅크 식품 이용권", "living").await;
        let dong = app.account(Role::WelfareWorker, "dong@test.kr", &["1135056000"]).await;
        let bokji = app.account(Role::WelfareWorker, "bokji@test.kr", &[]).await;
        let (dong_org, bokji_org) = (app.organization_of(&dong).await, app.organization_of(&bokji).await);
        cases::open(db, "11350", "h", &dong_org, &dong, "식품 지원").await.unwrap();
        let link = |reason: &str| crate::ledger::link("h", &voucher, "2026-12-01", "2027-02-28", reason);
        ledger::save(db, "11350", &link(""), &dong_org, &dong).await.unwrap();
        assert!(ledger::save(db, "11350", &link(""), &bokji_org, &bokji).await.is_err(), "warned");
        assert!(
            ledger::save(db, "11350", &link(""), &bokji_org, &bokji).await.is_err(),
            "warned again, same duplicate"
        );
        let areas =
            vec![("1135056000".to_string(), "월계1동".to_string()), ("1135058000".to_string(), "월계2동".to_string())];
        let since = now_millis() - 86_400_000;
        let (rows, totals) = dashboard::figures(db, "11350", &areas, since).await.unwrap();
        // open cases, visits, scheduled, at risk, referrals open, referrals closed, links, went ahead, prevented
        assert_eq!(rows[0].values, [1, 0, 0, 0, 0, 0, 1, 0, 1]);
        assert_eq!(rows[1].values, [0; 9]);
        assert_eq!(totals, rows[0].values);

        ledger::save(db, "11350", &link("긴급 추가 지원"), &bokji_org, &bokji).await.unwrap();
        let (rows, _) = dashboard::figures(db, "11350", &areas, since).await.unwrap();
        assert_eq!(rows[0].values[6..], [2, 1, 0], "gone ahead with a reason: no longer prevented");
    }
);
