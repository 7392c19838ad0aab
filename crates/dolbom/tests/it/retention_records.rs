//! What a deletion request kept for the records goes when its period ends, on both backends: a waiting-list
//! application three years after its 보육연도, care and bookings five years on, each child once no record needs
//! it; nothing of an account that was not erased.

use chrono::{Months, NaiveDate};
use dolbom::auth::Role;
use dolbom::db::time::seoul_today;
use dolbom::mine::{deletion, retention};
use dolbom::spaces::store;
use dolbom::waitlist::store as waitlist;

use crate::both;
use crate::care::{self, id_of};
use crate::mine::{Dealings, resident_with_dealings};
use crate::spaces::friday_noon;
use crate::support::TestApp;
use crate::waitlist::{HOME, child_of};

fn later(months: u32) -> NaiveDate {
    seoul_today().checked_add_months(Months::new(months)).unwrap()
}

async fn count(app: &TestApp, sql: &str, user: &str) -> i64 {
    dolbom::db_run!(&app.state.db, p => sqlx::query_scalar(sql).bind(user).fetch_one(p).await).unwrap()
}

/// A withdrawn waiting-list application of `guardian`'s child.
async fn withdrawn_application(app: &TestApp, guardian: &str, child: &str) {
    let db = &app.state.db;
    let centre = crate::waitlist::centre(app, &format!("{child}어린이집"), 2).await;
    let child = child_of(app, guardian, child).await;
    let id = waitlist::apply(db, "11350", guardian, &child, HOME, &[centre], &[]).await.unwrap();
    assert!(waitlist::withdraw(db, "11350", guardian, &id).await.unwrap().is_some());
}

both!(kept_records_go_when_their_retention_ends, |app: TestApp| async move {
    let db = &app.state.db;
    let Dealings { me, client, booking, .. } = resident_with_dealings(&app).await;
    // Care that happened, a waiting list left, and the booking cancelled: nothing in progress.
    care::centre(&app, None, "가까운센터", 300.0, 2).await;
    let school_child = care::child(&app, &client, "이솔", "2017-08-15").await;
    let applied = care::apply(&app, &client, &school_child, "elementary_emergency", "10:00", "14:00").await;
    assert_eq!(applied.status(), 303);
    let done = "UPDATE care_applications SET status = 'completed' WHERE id = $1";
    let care_id = id_of(&applied);
    dolbom::db_run!(db, p => sqlx::query(done).bind(&care_id).execute(p).await.map(|_| ())).unwrap();
    withdrawn_application(&app, &me, "둘째").await;
    store::cancel(db, &booking, &me, store::millis(friday_noon() - chrono::Duration::days(3))).await.unwrap();
    // A neighbour who was not erased, with the same kind of record.
    let neighbour = app.account(Role::Resident, "stays@test.kr", &[]).await;
    withdrawn_application(&app, &neighbour, "이웃아이").await;

    deletion::ask(db, "11350", &me, "").await.unwrap();
    let request = deletion::latest_of(db, &me).await.unwrap().unwrap();
    let admin = app.account(Role::Admin, "admin@test.kr", &[]).await;
    deletion::process(db, "11350", &request.id, &admin).await.unwrap();
    let children = "SELECT COUNT(*) FROM children WHERE guardian_id = $1";
    assert_eq!(count(&app, children, &me).await, 2, "the two children records need are kept");

    assert_eq!(retention::purge_expired(db, seoul_today()).await.unwrap(), retention::Purged::default());
    // Three years after the 보육연도 ends (at most a year from now), the waiting-list record and its child go.
    let purged = retention::purge_expired(db, later(12 * 4 + 1)).await.unwrap();
    assert_eq!(purged, retention::Purged { waitlist: 1, children: 1, ..Default::default() });
    assert_eq!(count(&app, "SELECT COUNT(*) FROM waitlist_applications WHERE guardian_id = $1", &me).await, 0);
    // Five years after the day of care and of the booking, those and the last child.
    let purged = retention::purge_expired(db, later(12 * 10)).await.unwrap();
    assert_eq!(purged, retention::Purged { care: 1, bookings: 1, children: 1, ..Default::default() });
    assert_eq!(count(&app, "SELECT COUNT(*) FROM care_applications WHERE guardian_id = $1", &me).await, 0);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM bookings WHERE user_id = $1", &me).await, 0);
    assert_eq!(count(&app, children, &me).await, 0);
    let slots = "SELECT COUNT(*) FROM booking_slots WHERE booking_id = $1";
    assert_eq!(count(&app, slots, &booking).await, 0);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM care_child_hours WHERE application_id = $1", &care_id).await, 0);

    let theirs = "SELECT COUNT(*) FROM waitlist_applications WHERE guardian_id = $1";
    assert_eq!(count(&app, theirs, &neighbour).await, 1, "an account not erased keeps its records");
});
