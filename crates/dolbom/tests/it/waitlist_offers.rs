//! Places between rounds on both backends: an offer declined, left to expire or given back goes to the next child
//! in the centre's order, each guardian is told, and the centre enrols the child who accepted (its count grows by
//! one, and the seat leaves the waitlist's hold).

use dolbom::auth::Role;
use dolbom::db::time::now_millis;
use dolbom::waitlist::offer_store;
use dolbom::waitlist::offers;
use dolbom::waitlist::priority::PriorityRules;
use dolbom::waitlist::{round, store};

use crate::both;
use crate::support::TestApp;
use crate::waitlist::{HOME, centre_of, child_of, ids};

/// The open offer of an application, if any: (offer id, centre).
async fn open_offer(app: &TestApp, application: &str) -> Option<(String, String)> {
    let sql = "SELECT id, facility_id FROM waitlist_offers WHERE application_id = $1 AND status = 'open'";
    dolbom::db_run!(&app.state.db, p => sqlx::query_as(sql).bind(application).fetch_optional(p).await).unwrap()
}

async fn told(app: &TestApp, guardian: &str) -> usize {
    let sql = "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND message = 'notify-waitlist-offer'";
    let n: i64 =
        dolbom::db_run!(&app.state.db, p => sqlx::query_scalar(sql).bind(guardian).fetch_one(p).await).unwrap();
    n as usize
}

both!(a_freed_seat_moves_down_the_centres_order_until_a_child_is_enrolled, |app: TestApp| async move {
    let db = &app.state.db;
    let rules = PriorityRules::default_rules();
    let staff_id = app.account(Role::ProviderStaff, "centre@test.kr", &[]).await;
    let org = app.organization_of(&staff_id).await;
    let c1 = centre_of(&app, Some(&org), "한빛어린이집", 1).await;
    let official = app.account(Role::Official, "o@test.kr", &[]).await;
    let mut apps = Vec::new();
    let mut guardians = Vec::new();
    for (n, facts) in [("가람", &["dual_income"][..]), ("나라", &["two_children"][..]), ("다솜", &[][..])] {
        let g = app.account(Role::Resident, &format!("{n}@test.kr"), &[]).await;
        let kid = child_of(&app, &g, n).await;
        let a = store::apply(db, "11350", &g, &kid, HOME, std::slice::from_ref(&c1), &ids(facts)).await.unwrap();
        for fact in facts {
            assert!(store::verify(db, "11350", &a, fact, &official).await.unwrap());
        }
        apps.push(a);
        guardians.push(g);
    }
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;

    // Before any round there is no drawn order: a seat waits for the first round.
    assert_eq!(offers::offer_on(&app.state, &rules, &c1).await.unwrap(), 0);
    let r = store::publish_round(db, "11350", 11, Some(&official)).await.unwrap();
    round::run(&app.state, &r, &rules, Some(&official)).await.unwrap();
    let (first, at) = open_offer(&app, &apps[0]).await.expect("class 1 first");
    assert_eq!((at, told(&app, &guardians[0]).await), (c1.clone(), 1), "and its guardian is told");

    // Declined: the seat goes to the next (class 2), who is told; the child who declined is not offered it again.
    let declined = offer_store::answer(db, "11350", &guardians[0], &first, false).await.unwrap();
    assert_eq!(declined.as_deref(), Some(c1.as_str()));
    assert_eq!(offers::offer_on(&app.state, &rules, &c1).await.unwrap(), 1);
    let (second, _) = open_offer(&app, &apps[1]).await.expect("class 2 next");
    assert_eq!(told(&app, &guardians[1]).await, 1);
    assert!(offer_store::answer(db, "11350", &guardians[0], &first, true).await.unwrap().is_none(), "answered");

    // Not answered in time: it expires on the tick and moves on to the last child.
    let overdue = "UPDATE waitlist_offers SET expires_at = $1 WHERE id = $2";
    dolbom::db_run!(db, p => sqlx::query(overdue).bind(now_millis() - 1).bind(&second).execute(p).await.map(|_| ()))
        .unwrap();
    assert!(offer_store::answer(db, "11350", &guardians[1], &second, true).await.unwrap().is_none(), "too late");
    assert_eq!(offers::expire_overdue(&app.state, &rules).await.unwrap(), 1);
    let (third, _) = open_offer(&app, &apps[2]).await.expect("the last child");

    // A new child applies; the third accepts and then gives the place back before starting: the newcomer gets it.
    let g4 = app.account(Role::Resident, "라온@test.kr", &[]).await;
    let kid4 = child_of(&app, &g4, "라온").await;
    let a4 = store::apply(db, "11350", &g4, &kid4, HOME, std::slice::from_ref(&c1), &[]).await.unwrap();
    assert!(offer_store::answer(db, "11350", &guardians[2], &third, true).await.unwrap().is_some());
    assert_eq!(open_offer(&app, &a4).await, None, "the seat is held by the accepted place");
    let freed = store::withdraw(db, "11350", &guardians[2], &apps[2]).await.unwrap().unwrap();
    offers::offer_on(&app.state, &rules, &freed.unwrap()).await.unwrap();
    let (fourth, _) = open_offer(&app, &a4).await.expect("the newcomer");
    assert!(offer_store::answer(db, "11350", &g4, &fourth, true).await.unwrap().is_some());

    // The centre enrols the child: its count grows by one and the waitlist holds no seat there any more.
    let provider = app.browser();
    app.login(&provider, "centre@test.kr", crate::support::PASSWORD).await;
    let page = app.get(&provider, "/provider/waitlist").await.text().await.unwrap();
    assert!(page.contains("라온") && page.contains("입소 확정"), "{page}");
    let form = [("offer_id", fourth.as_str())];
    let enrol = format!("/provider/waitlist/{c1}/enrol");
    assert_eq!(app.submit(&provider, "/provider/waitlist", &enrol, &form).await.status(), 303);
    assert_eq!(app.submit(&provider, "/provider/waitlist", &enrol, &form).await.status(), 409, "enrolled once");
    let f = dolbom::places::store::get(db, "11350", &c1).await.unwrap().unwrap();
    assert_eq!(f.enrolled, Some(20));
    let free = store::free_seats(db, "11350").await.unwrap();
    assert_eq!(free.iter().find(|(id, _)| *id == c1).map(|(_, n)| *n), Some(0));
    assert_eq!(store::withdraw(db, "11350", &g4, &a4).await.unwrap(), None, "enrolled: no longer on the list");
    let other = app.signed_in(Role::ProviderStaff, &[]).await;
    assert_eq!(app.submit(&other, "/provider/waitlist", &enrol, &form).await.status(), 403, "not their centre");
    let logged = "SELECT COUNT(*) FROM access_log WHERE record_kind = 'waitlist_application'";
    let n: i64 = dolbom::db_run!(db, p => sqlx::query_scalar(logged).fetch_one(p).await).unwrap();
    assert!(n >= 1, "the centre's read of the child's name is in the access log");
});
