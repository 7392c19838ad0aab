use chrono::{Duration, NaiveDate};

use super::*;
use crate::care::ledger::hours;
use crate::places::hours::{DAYS, Span};

fn saturday() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
}

fn open(opens: u16, closes: u16) -> WeeklyHours {
    WeeklyHours([Some(Span { opens, closes }); DAYS])
}

fn centre(id: &str, x: f64, places: u32) -> Provider {
    Provider {
        id: id.into(),
        point: [x, 0.0],
        hours: open(8 * 60, 22 * 60),
        kind: ProviderKind::Facility { kind: "community_care".into(), min_age_months: 72, max_age_months: 155, places },
    }
}

fn caregiver(id: &str, x: f64, sex: &str, qualifications: &[&str]) -> Provider {
    Provider {
        id: id.into(),
        point: [x, 0.0],
        hours: open(7 * 60, 23 * 60),
        kind: ProviderKind::Caregiver {
            sex: sex.into(),
            languages: vec!["ko".into(), "vi".into()],
            qualifications: qualifications.iter().map(|q| q.to_string()).collect(),
            weekly_limit_minutes: 40 * 60,
        },
    }
}

fn need(service: Service, x: f64, age_months: i32) -> Need {
    Need {
        service,
        point: [x, 0.0],
        age_months,
        first_day: saturday(),
        days: 1,
        start: 10 * 60,
        end: 14 * 60,
        requires: requirements(age_months, false),
        caregiver_sex: None,
        language: None,
        preferred: None,
        refused_by: Vec::new(),
    }
}

#[test]
fn nearest_centre_with_a_free_place_that_serves_the_age() {
    let providers = vec![centre("near", 100.0, 1), centre("far", 3_000.0, 2)];
    let mut young = centre("young", 50.0, 5);
    young.kind =
        ProviderKind::Facility { kind: "community_care".into(), min_age_months: 0, max_age_months: 60, places: 5 };
    let providers = [vec![young], providers].concat();
    let result = match_all(&providers, &[], &[need(Service::ElementaryEmergency, 0.0, 96)], &Settings::default());
    assert_eq!(result[0].provider, Some(1));
    assert_eq!(result[0].passed_over, [Passed { provider: 0, distance_m: 50.0, reason: Reason::Age }]);
}

#[test]
fn a_full_centre_sends_the_next_child_to_the_next_nearest_and_says_so() {
    let providers = vec![centre("near", 100.0, 1), centre("far", 3_000.0, 2)];
    let booked = [Booking { provider: 0, day: saturday(), start: 9 * 60, end: 11 * 60 }];
    let result = match_all(&providers, &booked, &[need(Service::ElementaryEmergency, 0.0, 96)], &Settings::default());
    assert_eq!(result[0].provider, Some(1));
    assert_eq!(result[0].passed_over[0].reason, Reason::Full);
    // Booked only in the morning hours that don't touch ours: the place is free.
    let booked = [Booking { provider: 0, day: saturday(), start: 8 * 60, end: 10 * 60 }];
    let result = match_all(&providers, &booked, &[need(Service::ElementaryEmergency, 0.0, 96)], &Settings::default());
    assert_eq!(result[0].provider, Some(0));
}

#[test]
fn applications_for_the_same_hours_are_placed_for_the_least_total_distance() {
    // A lives at 0 with only "a" (at 900) near; B lives at 1,000 between "a" and "b" (at 1,200).
    // First come first served would give B "a" (100 m) and send A to "b" (1,200 m): 1,300 m.
    // Joint placement: A → a (900 m), B → b (200 m): 1,100 m.
    let providers = vec![centre("a", 900.0, 1), centre("b", 1_200.0, 1)];
    let needs = [need(Service::ElementaryEmergency, 1_000.0, 96), need(Service::ElementaryEmergency, 0.0, 96)];
    let result = match_all(&providers, &[], &needs, &Settings::default());
    assert_eq!(result[0].provider, Some(1));
    assert_eq!(result[1].provider, Some(0));
    assert_eq!(result[0].passed_over[0].reason, Reason::Taken, "{:?}", result[0]);
}

#[test]
fn places_are_never_promised_twice_across_groups_of_hours() {
    let providers = vec![centre("only", 100.0, 1)];
    let mut later = need(Service::ElementaryEmergency, 0.0, 96);
    later.start = 12 * 60;
    later.end = 16 * 60;
    let mut evening = need(Service::ElementaryEmergency, 0.0, 96);
    evening.start = 18 * 60;
    evening.end = 20 * 60;
    let needs = [need(Service::ElementaryEmergency, 0.0, 96), later, evening];
    let result = match_all(&providers, &[], &needs, &Settings::default());
    assert_eq!(result[0].provider, Some(0));
    assert_eq!(result[1].provider, None, "12–16 overlaps 10–14 in the only place");
    assert_eq!(result[1].passed_over[0].reason, Reason::Full);
    assert_eq!(result[2].provider, Some(0), "the evening is free again");
}

#[test]
fn caregivers_need_qualifications_preferences_time_and_workload() {
    let providers = vec![
        caregiver("m", 10.0, "M", &["infant"]),
        caregiver("f-basic", 20.0, "F", &[]),
        caregiver("f-infant", 500.0, "F", &["infant"]),
    ];
    let mut baby = need(Service::HomeVisit, 0.0, 20);
    baby.caregiver_sex = Some("F".into());
    let result = match_all(&providers, &[], &[baby.clone()], &Settings::default());
    assert_eq!(result[0].provider, Some(2));
    let reasons: Vec<Reason> = result[0].passed_over.iter().map(|p| p.reason).collect();
    assert_eq!(reasons, [Reason::Preference, Reason::Qualification]);

    // Time is held by the clock hour: care until 10:30 keeps 10 o'clock, so 10:30–12:00 is not free either.
    let morning = [Booking { provider: 2, day: saturday(), start: 9 * 60, end: 10 * 60 + 30 }];
    let mut after = baby.clone();
    (after.start, after.end) = (10 * 60 + 30, 12 * 60);
    let result = match_all(&providers, &morning, &[after], &Settings::default());
    assert_eq!(result[0].passed_over.last().map(|p| p.reason), Some(Reason::Busy));
    let busy = [Booking { provider: 2, day: saturday(), start: 13 * 60, end: 15 * 60 }];
    let result = match_all(&providers, &busy, &[baby.clone()], &Settings::default());
    assert_eq!(result[0].provider, None);
    assert_eq!(result[0].passed_over.last().map(|p| p.reason), Some(Reason::Busy));

    // 38 hours already this week (Mon 23 Nov – Sun 29 Nov): four more would pass the 40-hour limit.
    let monday = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let week: Vec<Booking> = (0..5)
        .map(|d| Booking { provider: 2, day: monday + Duration::days(d), start: 8 * 60, end: 8 * 60 + 456 })
        .collect();
    let result = match_all(&providers, &week, &[baby], &Settings::default());
    assert_eq!(result[0].passed_over.last().map(|p| p.reason), Some(Reason::Workload));
}

#[test]
fn a_decline_moves_to_the_next_best_and_a_preferred_provider_comes_first() {
    let providers = vec![centre("a", 100.0, 1), centre("b", 200.0, 1), centre("c", 2_000.0, 1)];
    let mut n = need(Service::ElementaryEmergency, 0.0, 96);
    n.refused_by = vec!["a".into()];
    let result = match_all(&providers, &[], &[n.clone()], &Settings::default());
    assert_eq!(result[0].provider, Some(1));
    assert_eq!(result[0].passed_over[0].reason, Reason::Declined);
    n.refused_by.clear();
    n.preferred = Some("c".into());
    assert_eq!(match_all(&providers, &[], &[n], &Settings::default())[0].provider, Some(2));
}

#[test]
fn closed_hours_and_out_of_reach_are_no_match() {
    let mut night = centre("day-only", 100.0, 3);
    night.hours = open(9 * 60, 18 * 60);
    let far = centre("far", 20_000.0, 3);
    let mut n = need(Service::ElementaryEmergency, 0.0, 96);
    n.start = 18 * 60;
    n.end = 22 * 60;
    let result = match_all(&[night, far], &[], &[n], &Settings::default());
    assert_eq!(result[0].provider, None);
    assert_eq!(result[0].passed_over, [Passed { provider: 0, distance_m: 100.0, reason: Reason::Closed }]);
}

#[test]
fn beyond_the_candidates_the_nearest_with_room_is_still_found() {
    let mut providers: Vec<Provider> = (0..3).map(|i| centre(&format!("c{i}"), 100.0 + f64::from(i), 1)).collect();
    providers.push(centre("far", 5_000.0, 1));
    let needs: Vec<Need> = (0..4).map(|_| need(Service::ElementaryEmergency, 0.0, 96)).collect();
    let settings = Settings { candidates: 2, ..Settings::default() };
    let result = match_all(&providers, &[], &needs, &settings);
    let mut chosen: Vec<usize> = result.iter().filter_map(|m| m.provider).collect();
    chosen.sort();
    assert_eq!(chosen, [0, 1, 2, 3]);
}

#[test]
fn the_ledger_counts_the_hours_the_database_holds() {
    assert_eq!(hours(18 * 60 + 30, 20 * 60).collect::<Vec<_>>(), [18, 19]);
    assert_eq!(hours(0, 1440).count(), 24);
}
