//! Spaces and bookings on both backends: a slot is held by one booking only (racing holds: exactly one wins), a
//! double submit makes one booking, each rule names itself, cancelling and rejecting give the slots back, approval
//! waits for the manager, and a hold not confirmed in time lets the slot go.

use chrono::{NaiveDate, NaiveDateTime};
use dolbom::auth::Role;
use dolbom::places::hours::{HOLIDAY, Span, WeeklyHours};
use dolbom::spaces::rules::{Request, RuleError, Rules, WhoMayBook};
use dolbom::spaces::store::{self, BookingError, HoldRequest, NewSpace, Space};

use crate::both;
use crate::support::TestApp;

pub(crate) fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// Friday noon before the Saturday booked, Seoul time.
pub(crate) fn friday_noon() -> NaiveDateTime {
    day("2030-11-29").and_hms_opt(12, 0, 0).unwrap()
}

pub(crate) fn saturday(start: u16, end: u16) -> Request {
    Request { day: day("2030-11-30"), start: start * 60, end: end * 60 }
}

pub(crate) async fn space(app: &TestApp, needs_approval: bool, org: Option<&str>) -> Space {
    space_in(&app.state.db, needs_approval, org).await
}

/// A 공동육아나눔터 open 9:00–18:00 Monday to Saturday: one-hour slots, four hours a week per resident.
pub(crate) async fn space_in(db: &dolbom::db::Db, needs_approval: bool, org: Option<&str>) -> Space {
    let mut days = [None; 8];
    for d in days.iter_mut().take(6) {
        *d = Some(Span::new(9 * 60, 18 * 60).unwrap());
    }
    days[HOLIDAY] = None;
    let s = NewSpace {
        organization_id: org,
        name: "월계동 공동육아나눔터",
        kind: "co_parenting",
        adm_cd2: "1135056000",
        address: "서울특별시 노원구 월계로 1",
        lat: 37.62,
        lon: 127.06,
        capacity: 12,
        equipment: "놀이매트, 빔프로젝터",
        accessibility: "엘리베이터, 경사로",
        description: "",
        fee_exempt: "",
        rules: Rules {
            slot_minutes: 60,
            max_booking_minutes: 180,
            max_week_minutes: 240,
            who_may_book: WhoMayBook::Residents,
            needs_approval,
            fee_krw_per_hour: 0,
            cancel_hours: 24,
        },
    };
    let id = store::create(db, "11350", &s, &WeeklyHours(days)).await.unwrap();
    store::get(db, "11350", &id).await.unwrap().unwrap()
}

/// Residents written straight into the table: the race needs many accounts, not password hashes.
pub(crate) async fn residents(app: &TestApp, n: usize) -> Vec<String> {
    let mut ids = Vec::new();
    for i in 0..n {
        let id = format!("resident-{i}");
        let sql = "INSERT INTO users (id, municipality_code, email, display_name, password_hash, role, created_at, updated_at) \
                   VALUES ($1, '11350', $2, '주민', 'x', 'resident', 0, 0)";
        dolbom::db_run!(&app.state.db, p => sqlx::query(sql).bind(&id).bind(format!("r{i}@test.kr")).execute(p).await.map(|_| ())).unwrap();
        ids.push(id);
    }
    ids
}

pub(crate) fn ask(request: Request, key: &str) -> HoldRequest<'_> {
    HoldRequest {
        request, purpose: "아이들 모임", attendees: 8, group_name: "", exempt_reason: "", request_key: key
    }
}

both!(racing_holds_for_one_slot_give_it_to_exactly_one, |app: TestApp| async move {
    let db = &app.state.db;
    let room = space(&app, false, None).await;
    let people = residents(&app, 200).await;
    let tries = people.iter().enumerate().map(|(i, who)| {
        let (room, key) = (room.clone(), format!("key-{i}"));
        async move {
            store::hold(db, "11350", &room, who, Role::Resident, &ask(saturday(10, 12), &key), friday_noon()).await
        }
    });
    let results = futures_util::future::join_all(tries).await;
    let won: Vec<_> = results.iter().filter(|r| r.is_ok()).collect();
    assert_eq!(won.len(), 1, "exactly one");
    assert!(
        results.iter().all(|r| r.is_ok() || matches!(r, Err(BookingError::Taken))),
        "every other is told it is taken"
    );
    let count: i64 =
        dolbom::db_run!(db, p => sqlx::query_scalar("SELECT COUNT(*) FROM booking_slots").fetch_one(p).await).unwrap();
    assert_eq!(count, 2, "two slots, one holder");
});

both!(a_booking_follows_the_rules_and_gives_its_slots_back, |app: TestApp| async move {
    let db = &app.state.db;
    let room = space(&app, false, None).await;
    let [a, b]: [String; 2] = residents(&app, 2).await.try_into().unwrap();
    let now = friday_noon();
    let held = store::hold(db, "11350", &room, &a, Role::Resident, &ask(saturday(10, 12), "k1"), now).await.unwrap();
    assert_eq!(held.status, "held");
    let again = store::hold(db, "11350", &room, &a, Role::Resident, &ask(saturday(10, 12), "k1"), now).await.unwrap();
    assert_eq!(again.id, held.id, "the same form twice: one booking");
    let ms = store::millis(now);
    let confirmed = store::confirm(db, &held.id, &a, ms).await.unwrap();
    assert_eq!(confirmed.status, "confirmed");
    assert!(matches!(
        store::hold(db, "11350", &room, &b, Role::Resident, &ask(saturday(11, 13), "k2"), now).await,
        Err(BookingError::Taken)
    ));

    let rule = |r: Request, key: &'static str| {
        let (room, a) = (room.clone(), a.clone());
        async move { store::hold(db, "11350", &room, &a, Role::Resident, &ask(r, key), now).await }
    };
    assert!(matches!(
        rule(saturday(14, 17), "k3").await,
        Err(BookingError::Rule(RuleError::OverWeek { left_minutes: 120 }))
    ));
    assert!(matches!(rule(saturday(17, 19), "k4").await, Err(BookingError::Rule(RuleError::OutsideHours))));
    assert!(matches!(
        rule(Request { day: day("2030-12-01"), start: 600, end: 660 }, "k5").await,
        Err(BookingError::Rule(RuleError::ClosedDay))
    ));
    assert!(matches!(
        rule(Request { day: day("2030-11-28"), start: 600, end: 660 }, "k6").await,
        Err(BookingError::Rule(RuleError::Past))
    ));
    let crowd = HoldRequest { attendees: 30, ..ask(saturday(14, 15), "k7") };
    assert!(matches!(
        store::hold(db, "11350", &room, &b, Role::Resident, &crowd, now).await,
        Err(BookingError::OverCapacity { capacity: 12 })
    ));
    assert!(matches!(
        store::hold(db, "11350", &room, &b, Role::GroupLeader, &ask(saturday(14, 15), "k8"), now).await,
        Err(BookingError::NotAllowed)
    ));

    // Cancelled the day before: too late by the 24-hour rule; two days before: the slots go back.
    let late = store::millis(day("2030-11-30").and_hms_opt(8, 0, 0).unwrap());
    assert!(matches!(store::cancel(db, &held.id, &a, late).await, Err(BookingError::TooLateToCancel { hours: 24 })));
    assert!(matches!(store::cancel(db, &held.id, &b, ms).await, Err(BookingError::OutOfOrder)), "not b's");
    store::cancel(db, &held.id, &a, store::millis(day("2030-11-28").and_hms_opt(8, 0, 0).unwrap())).await.unwrap();
    let taken_by_b =
        store::hold(db, "11350", &room, &b, Role::Resident, &ask(saturday(11, 13), "k9"), now).await.unwrap();
    assert_eq!(taken_by_b.status, "held");

    // A hold not confirmed in ten minutes lets the slot go.
    let later = now + chrono::Duration::minutes(11);
    let stale = store::hold(db, "11350", &room, &a, Role::Resident, &ask(saturday(9, 10), "k10"), now).await.unwrap();
    assert!(matches!(store::confirm(db, &stale.id, &a, store::millis(later)).await, Err(BookingError::OutOfOrder)));
    store::hold(db, "11350", &room, &b, Role::Resident, &ask(saturday(9, 10), "k11"), later).await.unwrap();
});

both!(a_space_that_needs_approval_waits_for_its_manager, |app: TestApp| async move {
    let db = &app.state.db;
    let manager = app.account(Role::ProviderStaff, "hall@test.kr", &[]).await;
    let org = app.organization_of(&manager).await;
    let hall = space(&app, true, Some(&org)).await;
    let [a]: [String; 1] = residents(&app, 1).await.try_into().unwrap();
    let now = friday_noon();
    let held = store::hold(db, "11350", &hall, &a, Role::Resident, &ask(saturday(10, 11), "a1"), now).await.unwrap();
    assert_eq!(store::confirm(db, &held.id, &a, store::millis(now)).await.unwrap().status, "pending");
    assert!(
        matches!(
            store::decide(db, &held.id, Some("another-org"), &manager, true, "").await,
            Err(BookingError::OutOfOrder)
        ),
        "not their space"
    );
    store::decide(db, &held.id, Some(&org), &manager, false, "행사 준비로 사용 불가").await.unwrap();
    assert_eq!(store::booking(db, &held.id).await.unwrap().unwrap().reject_reason, "행사 준비로 사용 불가");
    let next = store::hold(db, "11350", &hall, &a, Role::Resident, &ask(saturday(10, 11), "a2"), now).await.unwrap();
    store::confirm(db, &next.id, &a, store::millis(now)).await.unwrap();
    store::decide(db, &next.id, None, &manager, true, "").await.unwrap();
    assert_eq!(store::booking(db, &next.id).await.unwrap().unwrap().status, "confirmed");
    let taken = store::taken(db, &hall.id, 0, i64::MAX, store::millis(now)).await.unwrap();
    assert_eq!(taken.len(), 1);
});

both!(a_cancelled_slot_is_offered_to_the_first_waiting, |app: TestApp| async move {
    use dolbom::spaces::waits::{self, WaitError};
    let db = &app.state.db;
    let room = space(&app, false, None).await;
    let [a, b, c]: [String; 3] = residents(&app, 3).await.try_into().unwrap();
    // Wednesday: early enough to cancel under the 24-hour rule.
    let now = friday_noon() - chrono::Duration::days(2);
    let ms = store::millis(now);
    let first = store::hold(db, "11350", &room, &a, Role::Resident, &ask(saturday(10, 12), "w1"), now).await.unwrap();
    store::confirm(db, &first.id, &a, ms).await.unwrap();
    let free = waits::join(db, &room, &c, &saturday(14, 15), "모임", 4, ms).await;
    assert!(matches!(free, Err(WaitError::NotTaken)), "a free span is booked, not waited for");
    let wait = waits::join(db, &room, &b, &saturday(10, 12), "모임", 4, ms).await.unwrap();
    assert_eq!(waits::join(db, &room, &b, &saturday(10, 12), "모임", 4, ms).await.unwrap(), wait, "once");
    waits::join(db, &room, &c, &saturday(10, 12), "모임", 4, ms + 1).await.unwrap();
    assert_eq!(waits::offer_freed(db, "11350", &room.id, now).await.unwrap(), 0, "nothing free yet");

    store::cancel(db, &first.id, &a, ms).await.unwrap();
    assert_eq!(waits::offer_freed(db, "11350", &room.id, now).await.unwrap(), 1, "the first waiting only");
    let mine = waits::of_user(db, &b).await.unwrap();
    assert_eq!(mine[0].status, "offered");
    let offered = store::booking(db, mine[0].booking_id.as_deref().unwrap()).await.unwrap().unwrap();
    assert_eq!(offered.status, "held");
    assert!(offered.hold_expires_at.unwrap() >= ms + 23 * 3_600_000, "kept a day to answer");
    let inbox = dolbom::notify::latest(db, &b, 5).await.unwrap();
    assert_eq!(inbox[0].message, "notify-space-offered");
    assert_eq!(store::confirm(db, &offered.id, &b, ms + 3_600_000).await.unwrap().status, "confirmed");
    assert_eq!(waits::of_user(db, &c).await.unwrap()[0].status, "waiting", "still waiting, behind b");
});
