//! Referrals between agencies on both backends: sent → accepted → served → closed with an outcome, each step only
//! by the receiving agency and only from the step before; a stalled referral is found once per stall.

use dolbom::auth::Role;
use dolbom::db::time::now_millis;
use dolbom::people::consent::{self, NewConsent};
use dolbom::people::referrals::{self, NewReferral, ReferralError, Step};

use crate::both;
use crate::ledger::household;
use crate::support::TestApp;

/// The resident's consent to share their information with `agency` for a year from today.
pub(crate) async fn share_with(app: &TestApp, resident: &str, agency: &str, by: &str) {
    let today = dolbom::db::time::seoul_today();
    let c = NewConsent {
        resident_id: resident,
        purpose: "information_sharing",
        agency_id: Some(agency),
        given_on: today,
        expires_on: today + chrono::Days::new(365),
    };
    consent::record(&app.state.db, "11350", &c, by).await.unwrap();
}

both!(a_referral_goes_round_the_loop_and_a_stalled_one_is_reminded_once_per_stall, |app: TestApp| async move {
    let db = &app.state.db;
    household(&app, "h").await;
    let (dong, bokji) = (
        app.account(Role::WelfareWorker, "dong@test.kr", &[]).await,
        app.account(Role::WelfareWorker, "bokji@test.kr", &[]).await,
    );
    let (dong_org, bokji_org) = (app.organization_of(&dong).await, app.organization_of(&bokji).await);
    let r = NewReferral {
        household_id: "h",
        from_agency: &dong_org,
        to_agency: &bokji_org,
        domain: "care",
        need: "독거 어르신 밑반찬·안부 확인",
    };
    assert!(
        matches!(referrals::send(db, "11350", &r, &dong).await, Err(ReferralError::NoConsent)),
        "not without the household's consent to share with the welfare centre"
    );
    share_with(&app, "h-head", &bokji_org, &dong).await;
    let id = referrals::send(db, "11350", &r, &dong).await.unwrap();

    assert!(
        matches!(referrals::step(db, &id, &dong_org, Step::Accept, "").await, Err(ReferralError::OutOfOrder)),
        "only the receiving agency"
    );
    assert!(
        matches!(referrals::step(db, &id, &bokji_org, Step::Serve, "").await, Err(ReferralError::OutOfOrder)),
        "not before accepting"
    );

    // Not answered in three days: stalled, reminded once.
    let back = |column: &'static str, days: i64| {
        let sql = format!("UPDATE referrals SET {column} = $1 WHERE id = $2");
        let id = id.clone();
        async move {
            dolbom::db_run!(db, p => sqlx::query(&sql).bind(now_millis() - days * 86_400_000).bind(&id).execute(p).await.map(|_| ())).unwrap();
        }
    };
    assert!(referrals::stalled(db, "11350", now_millis()).await.unwrap().is_empty());
    back("sent_at", 4).await;
    let stalled = referrals::stalled(db, "11350", now_millis()).await.unwrap();
    assert_eq!(stalled, [(id.clone(), dong_org.clone(), "sent".to_string())]);
    assert!(referrals::mark_reminded(db, &id, now_millis()).await.unwrap());
    assert!(!referrals::mark_reminded(db, &id, now_millis()).await.unwrap(), "once");
    assert!(referrals::stalled(db, "11350", now_millis()).await.unwrap().is_empty());

    referrals::step(db, &id, &bokji_org, Step::Accept, "").await.unwrap();
    assert!(
        matches!(referrals::step(db, &id, &bokji_org, Step::Accept, "").await, Err(ReferralError::OutOfOrder)),
        "twice"
    );
    back("answered_at", 15).await;
    assert_eq!(
        referrals::stalled(db, "11350", now_millis()).await.unwrap().len(),
        1,
        "accepted and not served: a new stall"
    );
    referrals::step(db, &id, &bokji_org, Step::Serve, "").await.unwrap();
    referrals::step(db, &id, &bokji_org, Step::Close, "주 3회 밑반찬 배달 연계, 안부 확인 중").await.unwrap();
    let sql = "SELECT status, outcome FROM referrals WHERE id = $1";
    let (status, outcome): (String, String) =
        dolbom::db_run!(db, p => sqlx::query_as(sql).bind(&id).fetch_one(p).await).unwrap();
    assert_eq!((status.as_str(), outcome.as_str()), ("closed", "주 3회 밑반찬 배달 연계, 안부 확인 중"));

    // Declined: the loop ends there. Bad referrals are refused and nothing is kept.
    let other = referrals::send(db, "11350", &r, &dong).await.unwrap();
    referrals::step(db, &other, &bokji_org, Step::Decline, "정원 초과").await.unwrap();
    assert!(matches!(referrals::step(db, &other, &bokji_org, Step::Serve, "").await, Err(ReferralError::OutOfOrder)));
    let domain = referrals::send(db, "11350", &NewReferral { domain: "astrology", ..r.clone() }, &dong).await;
    assert!(matches!(domain, Err(ReferralError::UnknownDomain)), "{domain:?}");
    let need = referrals::send(db, "11350", &NewReferral { need: "  ", ..r.clone() }, &dong).await;
    assert!(matches!(need, Err(ReferralError::EmptyNeed)), "{need:?}");
    let itself = referrals::send(db, "11350", &NewReferral { to_agency: &dong_org, ..r.clone() }, &dong).await;
    assert!(matches!(itself, Err(ReferralError::ToItself)), "{itself:?}");
    let nobody = referrals::send(db, "11350", &NewReferral { household_id: "nobody", ..r.clone() }, &dong).await;
    assert!(matches!(nobody, Err(ReferralError::Unknown)), "{nobody:?}");
    let n: i64 =
        dolbom::db_run!(db, p => sqlx::query_scalar("SELECT COUNT(*) FROM referrals").fetch_one(p).await).unwrap();
    assert_eq!(n, 2);
});
