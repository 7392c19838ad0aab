//! What a space's manager sets and what it costs, on both backends: one person's racing holds never pass the weekly
//! limit, exemptions are those the space grants, and a manager's edit of the space, its hours, closed days and
//! photos is what the next booking meets.

use chrono::Days;
use dolbom::auth::Role;
use dolbom::places::hours::{Span, WeeklyHours};
use dolbom::spaces::fees::FeeError;
use dolbom::spaces::rules::{Request, RuleError};
use dolbom::spaces::space_store;
use dolbom::spaces::store::{self, BookingError, NewSpace};

use crate::both;
use crate::spaces::{ask, day, friday_noon, residents, saturday, space};
use crate::support::TestApp;

both!(one_persons_racing_holds_never_pass_the_weekly_limit, |app: TestApp| async move {
    let db = &app.state.db;
    let room = space(&app, false, None).await;
    let [who]: [String; 1] = residents(&app, 1).await.try_into().unwrap();
    // Four hours a week; five holds of three hours, Monday to Friday of the same week, all at once.
    let monday = day("2030-12-02");
    let tries = (0..5u64).map(|i| {
        let (room, who, key) = (room.clone(), who.clone(), format!("week-{i}"));
        let request = Request { day: monday + Days::new(i), start: 9 * 60, end: 12 * 60 };
        async move { store::hold(db, "11350", &room, &who, Role::Resident, &ask(request, &key), friday_noon()).await }
    });
    let results = futures_util::future::join_all(tries).await;
    assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 1, "one fits in the week: {results:?}");
    assert!(
        results
            .iter()
            .all(|r| r.is_ok() || matches!(r, Err(BookingError::Rule(RuleError::OverWeek { left_minutes: 60 })))),
        "every other is told how much of the week is left: {results:?}"
    );
});

both!(a_fee_is_waived_only_for_an_exemption_the_space_grants, |app: TestApp| async move {
    let db = &app.state.db;
    let mut room = space(&app, false, None).await;
    room.rules.fee_krw_per_hour = 5_000;
    room.fee_exempt = "disability,registered_group".into();
    let [a, b]: [String; 2] = residents(&app, 2).await.try_into().unwrap();
    let now = friday_noon();
    let paid = store::hold(db, "11350", &room, &a, Role::Resident, &ask(saturday(9, 11), "f1"), now).await.unwrap();
    assert_eq!(paid.fee_krw, 10_000, "two hours at 5,000 KRW");
    let mut claim = ask(saturday(11, 12), "f2");
    claim.exempt_reason = "senior";
    let refused = store::hold(db, "11350", &room, &b, Role::Resident, &claim, now).await;
    assert!(matches!(refused, Err(BookingError::Fee(FeeError::NotGranted))), "{refused:?}");
    claim.exempt_reason = "registered_group";
    let refused = store::hold(db, "11350", &room, &b, Role::Resident, &claim, now).await;
    assert!(matches!(refused, Err(BookingError::Fee(FeeError::NotAGroup))), "{refused:?}");
    claim.exempt_reason = "disability";
    let waived = store::hold(db, "11350", &room, &b, Role::Resident, &claim, now).await.unwrap();
    assert_eq!(waived.fee_krw, 0);
    let kept: String = dolbom::db_run!(db, p => sqlx::query_scalar("SELECT exempt_reason FROM bookings WHERE id = $1")
        .bind(&waived.id).fetch_one(p).await)
    .unwrap();
    assert_eq!(kept, "disability", "the claim is kept for the manager to check");
});

both!(a_managers_edit_is_what_the_next_booking_meets, |app: TestApp| async move {
    let db = &app.state.db;
    let room = space(&app, false, None).await;
    let [who]: [String; 1] = residents(&app, 1).await.try_into().unwrap();
    let mut rules = room.rules.clone();
    rules.max_booking_minutes = 60;
    let edit = NewSpace {
        organization_id: None,
        name: "월계동 나눔터 (새 이름)",
        kind: "co_parenting",
        adm_cd2: "1135056000",
        address: "서울특별시 노원구 월계로 2",
        lat: 37.62,
        lon: 127.06,
        capacity: 10,
        equipment: "",
        accessibility: "경사로",
        description: "",
        fee_exempt: "senior",
        rules,
    };
    // Open on Saturdays from 13:00 only.
    let mut days = room.hours.0;
    days[5] = Some(Span::new(13 * 60, 17 * 60).unwrap());
    assert!(space_store::update(db, "11350", &room.id, &edit, &WeeklyHours(days)).await.unwrap());
    assert!(!space_store::update(db, "26110", &room.id, &edit, &WeeklyHours(days)).await.unwrap(), "another city's");
    space_store::close_day(db, &room.id, day("2030-12-07"), "소독").await.unwrap();
    let photo = space_store::add_photo(db, &room.id, "image/png", b"\x89PNG\r\n\x1a\n....").await.unwrap();

    let room = store::get(db, "11350", &room.id).await.unwrap().unwrap();
    assert_eq!(
        (room.name.as_str(), room.capacity, room.fee_exempt.as_str()),
        ("월계동 나눔터 (새 이름)", 10, "senior")
    );
    assert_eq!(room.photos, vec![format!("/spaces/photos/{photo}")]);
    let hold = |r: Request, key: &'static str| {
        let (room, who) = (room.clone(), who.clone());
        async move { store::hold(db, "11350", &room, &who, Role::Resident, &ask(r, key), friday_noon()).await }
    };
    let early = hold(saturday(10, 11), "e1").await;
    assert!(matches!(early, Err(BookingError::Rule(RuleError::OutsideHours))), "{early:?}");
    let long = hold(saturday(13, 15), "e2").await;
    assert!(matches!(long, Err(BookingError::Rule(RuleError::TooLong { max_minutes: 60 }))), "{long:?}");
    let closed = hold(Request { day: day("2030-12-07"), start: 13 * 60, end: 14 * 60 }, "e3").await;
    assert!(matches!(closed, Err(BookingError::Rule(RuleError::ClosedDay))), "{closed:?}");
    space_store::reopen_day(db, &room.id, day("2030-12-07")).await.unwrap();
    let room = store::get(db, "11350", &room.id).await.unwrap().unwrap();
    assert!(room.closed.is_empty());

    let served = space_store::photo(db, "11350", &photo).await.unwrap().unwrap();
    assert_eq!(served.0, "image/png");
    assert!(space_store::photo(db, "26110", &photo).await.unwrap().is_none(), "only this city's spaces");
    assert!(space_store::delete_photo(db, &room.id, &photo).await.unwrap());
    assert!(space_store::photo(db, "11350", &photo).await.unwrap().is_none());
});

both!(two_leaders_of_one_group_share_its_weekly_hours, |app: TestApp| async move {
    let db = &app.state.db;
    let mut room = space(&app, false, None).await;
    room.rules.who_may_book = dolbom::spaces::rules::WhoMayBook::Groups;
    let group = dolbom::auth::admin_store::create_organization(db, "11350", "공릉동 부모모임", "community_group")
        .await
        .unwrap()
        .unwrap();
    let mut leaders = Vec::new();
    for i in 0..2 {
        let id = format!("leader-{i}");
        let sql = "INSERT INTO users (id, municipality_code, email, display_name, password_hash, role, organization_id, \
                   created_at, updated_at) VALUES ($1, '11350', $2, '대표', 'x', 'group_leader', $3, 0, 0)";
        dolbom::db_run!(db, p => sqlx::query(sql).bind(&id).bind(format!("l{i}@test.kr")).bind(&group)
            .execute(p).await.map(|_| ()))
        .unwrap();
        leaders.push(id);
    }
    let now = friday_noon();
    let first = ask(saturday(9, 12), "g1");
    store::hold(db, "11350", &room, &leaders[0], Role::GroupLeader, &first, now).await.unwrap();
    let second =
        store::hold(db, "11350", &room, &leaders[1], Role::GroupLeader, &ask(saturday(13, 15), "g2"), now).await;
    assert!(
        matches!(second, Err(BookingError::Rule(RuleError::OverWeek { left_minutes: 60 }))),
        "the group's four hours a week, three taken by the other leader: {second:?}"
    );
    let resident = residents(&app, 1).await;
    room.rules.who_may_book = dolbom::spaces::rules::WhoMayBook::Everyone;
    let own = store::hold(db, "11350", &room, &resident[0], Role::Resident, &ask(saturday(13, 15), "g3"), now).await;
    assert!(own.is_ok(), "a resident's hours are their own: {own:?}");
});
