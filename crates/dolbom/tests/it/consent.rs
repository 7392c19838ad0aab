//! Residents' consents on both backends: in force for its purpose and agency (or the whole consortium) from the
//! day given to the day it expires, and no more once withdrawn; a reversed period, an unknown purpose or resident
//! is refused and nothing is kept.

use chrono::NaiveDate;
use dolbom::auth::{Role, admin_store};
use dolbom::people::consent::{self, ConsentError, NewConsent, RecordError};

use crate::both;
use crate::ledger::household;
use crate::support::TestApp;

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

both!(a_consent_is_in_force_for_its_purpose_agency_and_period_until_withdrawn, |app: TestApp| async move {
    let db = &app.state.db;
    household(&app, "h").await;
    let (dong, bokji) = (
        app.account(Role::WelfareWorker, "dong@test.kr", &[]).await,
        app.account(Role::WelfareWorker, "bokji@test.kr", &[]).await,
    );
    let (dong_org, bokji_org) = (app.organization_of(&dong).await, app.organization_of(&bokji).await);
    let only_bokji = NewConsent {
        resident_id: "h-head",
        purpose: "information_sharing",
        agency_id: Some(&bokji_org),
        given_on: day("2026-11-01"),
        expires_on: day("2027-10-31"),
    };
    let id = consent::record(db, "11350", &only_bokji, &dong).await.unwrap();
    let force = |agency: &str, on: &str, purpose: &str| {
        let (agency, on, purpose) = (agency.to_string(), day(on), purpose.to_string());
        async move { consent::in_force(db, "h-head", &purpose, &agency, on).await.unwrap() }
    };
    assert!(force(&bokji_org, "2027-01-15", "information_sharing").await);
    assert!(!force(&dong_org, "2027-01-15", "information_sharing").await, "another agency is not covered");
    assert!(!force(&bokji_org, "2027-11-01", "information_sharing").await, "expired");
    assert!(!force(&bokji_org, "2026-10-31", "information_sharing").await, "not yet given");
    assert!(!force(&bokji_org, "2027-01-15", "outreach").await, "another purpose");

    let consortium = NewConsent { agency_id: None, purpose: "case_management", ..only_bokji.clone() };
    consent::record(db, "11350", &consortium, &dong).await.unwrap();
    assert!(!force(&dong_org, "2027-01-15", "case_management").await, "not a member of the consortium yet");
    assert!(admin_store::set_consortium(db, "11350", &dong_org, true).await.unwrap());
    assert!(force(&dong_org, "2027-01-15", "case_management").await, "the whole consortium");

    assert!(consent::withdraw(db, &id).await.unwrap());
    assert!(!force(&bokji_org, "2027-01-15", "information_sharing").await, "withdrawn");
    assert!(!consent::withdraw(db, &id).await.unwrap(), "once");

    let reversed = NewConsent { expires_on: day("2026-01-01"), ..only_bokji.clone() };
    assert!(matches!(
        consent::record(db, "11350", &reversed, &dong).await,
        Err(RecordError::Invalid(ConsentError::Reversed))
    ));
    let unknown = NewConsent { purpose: "marketing", ..only_bokji.clone() };
    assert!(matches!(
        consent::record(db, "11350", &unknown, &dong).await,
        Err(RecordError::Invalid(ConsentError::UnknownPurpose))
    ));
    let nobody = NewConsent { resident_id: "nobody", ..only_bokji.clone() };
    assert!(matches!(
        consent::record(db, "11350", &nobody, &dong).await,
        Err(RecordError::Invalid(ConsentError::UnknownResident))
    ));
    let sql = "SELECT COUNT(*) FROM resident_consents";
    let n: i64 = dolbom::db_run!(db, p => sqlx::query_scalar(sql).fetch_one(p).await).unwrap();
    assert_eq!(n, 2, "the refused ones left nothing");
});
