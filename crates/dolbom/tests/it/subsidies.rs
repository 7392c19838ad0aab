//! Subsidy programmes on both backends: a group leader applies with a budget plan, reviewers score, an official
//! approves; the leader asks for a plan change, the official approves it, the leader records spending, and the
//! ledger balances. Spending past a line is refused, and racing spends on one line never overspend it.

use chrono::NaiveDate;
use dolbom::auth::Role;
use dolbom::subsidies::ledger_store::{self, Spending};
use dolbom::subsidies::store::{self, NewApplication, NewProgramme, SubsidyError};
use grants::ledger::SpendError;
use grants::plan::{BudgetLine, LineChange, Plan, PlanError};
use grants::review::Criterion;

use crate::both;
use crate::support::TestApp;

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn line(code: &str, name: &str, amount: i64) -> BudgetLine {
    BudgetLine { code: code.into(), name: name.into(), amount }
}

fn plan() -> Plan {
    Plan {
        lines: vec![
            line("teachers", "강사비", 1_200_000),
            line("materials", "재료비", 500_000),
            line("events", "행사비", 300_000),
        ],
    }
}

/// An official, two reviewers, a group leader; a programme open through 2031; the leader's application.
async fn applied(app: &TestApp) -> (String, String, String, String) {
    let db = &app.state.db;
    let official = app.account(Role::Official, "official@test.kr", &[]).await;
    let leader = app.account(Role::GroupLeader, "leader@test.kr", &[]).await;
    let group = app.organization_of(&leader).await;
    let rubric = vec![
        Criterion { code: "need".into(), name: "사업 필요성".into(), max_points: 40 },
        Criterion { code: "plan".into(), name: "실행 계획".into(), max_points: 60 },
    ];
    let p = NewProgramme {
        name: "2030 돌봄 공동체 지원사업",
        description: "초보 자조모임의 활동비를 지원합니다.",
        eligibility: "노원구에서 활동하는 5인 이상 모임",
        documents: "사업계획서\n회원 명부",
        budget_krw: 20_000_000,
        max_grant_krw: 2_000_000,
        opens_on: day("2030-01-01"),
        closes_on: day("2031-12-31"),
        rubric: &rubric,
    };
    let programme_id = store::create_programme(db, "11350", &official, &p).await.unwrap();
    let programme = store::programme(db, "11350", &programme_id).await.unwrap().unwrap();
    let a = NewApplication {
        group_id: &group,
        applicant_id: &leader,
        title: "아빠와 함께 주말 놀이",
        summary: "월 2회",
        plan: &plan(),
    };
    let id = store::apply(db, &programme, &a, day("2030-03-02")).await.unwrap();
    assert!(matches!(store::apply(db, &programme, &a, day("2030-03-02")).await, Err(SubsidyError::AppliedAlready)));
    (official, leader, programme_id, id)
}

both!(a_grant_goes_from_application_through_a_plan_change_to_a_balanced_ledger, |app: TestApp| async move {
    let db = &app.state.db;
    let (official, leader, programme_id, id) = applied(&app).await;
    let programme = store::programme(db, "11350", &programme_id).await.unwrap().unwrap();
    for (i, points) in [[30, 50], [34, 46]].iter().enumerate() {
        let reviewer = app.account(Role::Official, &format!("reviewer{i}@test.kr"), &[]).await;
        store::review(db, &programme, &id, &reviewer, points, "좋습니다").await.unwrap();
    }
    let bad = store::review(db, &programme, &id, &official, &[41, 0], "").await;
    assert!(matches!(bad, Err(SubsidyError::Sheet(_))), "{bad:?}");
    assert_eq!(store::outcome(db, &id).await.unwrap().unwrap().score_hundredths, 8000);

    // Spending before approval is out of order.
    let buy = |code: &'static str, amount: i64| Spending {
        line_code: code,
        amount,
        spent_on: day("2030-04-01"),
        description: "구입",
        receipt: None,
    };
    assert!(matches!(ledger_store::spend(db, &id, &buy("materials", 1), &leader).await, Err(SubsidyError::OutOfOrder)));
    store::decide(db, &id, &official, Some(2_000_000), "적정").await.unwrap();
    assert!(matches!(store::decide(db, &id, &official, None, "").await, Err(SubsidyError::OutOfOrder)), "once only");
    let early = ledger_store::disburse(db, &id, 1_500_000, day("2030-03-20"), &official).await;
    assert!(matches!(early, Err(SubsidyError::NotAgreed)), "nothing is paid before the agreement");
    let group = app.organization_of(&leader).await;
    assert!(matches!(store::agree(db, &id, "another-group", &leader).await, Err(SubsidyError::OutOfOrder)));
    store::agree(db, &id, &group, &leader).await.unwrap();
    assert!(matches!(store::agree(db, &id, &group, &leader).await, Err(SubsidyError::OutOfOrder)), "once only");
    ledger_store::disburse(db, &id, 1_500_000, day("2030-03-20"), &official).await.unwrap();
    ledger_store::spend(db, &id, &buy("events", 200_000), &leader).await.unwrap();

    // Past a line: refused until a plan change moves money to it.
    let over = ledger_store::spend(db, &id, &buy("materials", 600_000), &leader).await;
    assert!(
        matches!(over, Err(SubsidyError::Spend(SpendError::OverLine { ref code, remaining: 500_000 })) if code == "materials"),
        "{over:?}"
    );
    let mut change = plan();
    change.lines[1].amount = 700_000;
    change.lines[2].amount = 100_000;
    let below = ledger_store::propose_change(db, &id, &change, "재료비 부족", &leader).await;
    assert!(
        matches!(below, Err(SubsidyError::Plan(ref p)) if p == &vec![PlanError::BelowSpent { code: "events".into(), amount: 100_000, spent: 200_000 }]),
        "{below:?}"
    );
    change.lines[2].amount = 200_000;
    change.lines[0].amount = 1_100_000;
    let (version, diff) = ledger_store::propose_change(db, &id, &change, "재료비 부족", &leader).await.unwrap();
    assert_eq!(version, 2);
    assert_eq!(diff.iter().map(LineChange::delta).sum::<i64>(), 0);
    assert_eq!(diff.len(), 3);
    assert!(
        matches!(ledger_store::propose_change(db, &id, &change, "다시", &leader).await, Err(SubsidyError::OutOfOrder)),
        "one waits at a time"
    );
    ledger_store::decide_change(db, &id, version, &official, true, "승인").await.unwrap();

    ledger_store::spend(db, &id, &buy("materials", 600_000), &leader).await.unwrap();
    let (balance, in_force) = ledger_store::balance(db, &id).await.unwrap().unwrap();
    assert_eq!(in_force, 2);
    assert_eq!(
        (balance.granted, balance.disbursed, balance.spent, balance.on_hand, balance.remaining),
        (2_000_000, 1_500_000, 800_000, 700_000, 1_200_000)
    );
    assert_eq!(balance.lines.iter().map(|l| l.spent).sum::<i64>(), balance.spent, "the lines add up");
    assert_eq!(balance.lines.iter().map(|l| l.planned).sum::<i64>(), balance.granted);
    let history = ledger_store::versions(db, &id).await.unwrap();
    assert_eq!(history.iter().map(|v| (v.0, v.1.as_str())).collect::<Vec<_>>(), vec![(1, "approved"), (2, "approved")]);
});

both!(racing_spends_on_one_line_never_overspend_it, |app: TestApp| async move {
    let db = &app.state.db;
    let (official, leader, _, id) = applied(&app).await;
    store::decide(db, &id, &official, Some(2_000_000), "").await.unwrap();
    store::agree(db, &id, &app.organization_of(&leader).await, &leader).await.unwrap();
    ledger_store::disburse(db, &id, 2_000_000, day("2030-03-20"), &official).await.unwrap();
    // Ten spends of 100,000 on the 500,000 materials line at once: five fit.
    let tries = (0..10).map(|_| {
        let (leader, id) = (leader.clone(), id.clone());
        async move {
            let s = Spending {
                line_code: "materials",
                amount: 100_000,
                spent_on: day("2030-04-01"),
                description: "재료",
                receipt: None,
            };
            ledger_store::spend(db, &id, &s, &leader).await
        }
    });
    let results = futures_util::future::join_all(tries).await;
    assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 5, "{results:?}");
    let (balance, _) = ledger_store::balance(db, &id).await.unwrap().unwrap();
    assert_eq!(balance.lines[1].remaining, 0);
});
