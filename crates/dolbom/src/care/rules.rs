//! The three care services and their rules as data: who (ages in 만 나이, counted in months on the day of care),
//! when (hours on weekdays, weekends and public holidays), and the booking window (by when to ask, how many days
//! at once). Defaults follow 경기도's 아동 언제나돌봄; a municipality changes the data, not the code.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Timelike, Weekday};
use serde::Serialize;

use crate::calendar;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Service {
    /// 초등 시설형 긴급돌봄: at a 다함께돌봄센터 or 지역아동센터, weekday nights, weekends and holidays.
    ElementaryEmergency,
    /// 언제나 어린이집: any hour, 365 days.
    AlwaysDaycare,
    /// 방문형 긴급돌봄: at home, by a caregiver.
    HomeVisit,
}

pub const SERVICES: [Service; 3] = [Service::ElementaryEmergency, Service::AlwaysDaycare, Service::HomeVisit];

/// Minutes after midnight; `closes` may be 1440.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Window {
    pub opens: u16,
    pub closes: u16,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Rules {
    /// Youngest and oldest age on the day of care, in months (만 나이 × 12 …).
    pub min_age_months: u32,
    pub max_age_months: u32,
    /// Care hours on a weekday, and on Saturdays, Sundays and public holidays.
    pub weekday: Window,
    pub day_off: Window,
    /// Care starting today must be asked for by this time today.
    pub same_day_by: NaiveTime,
    /// Care starting at or after `night_from` must be asked for by `night_by` the day before.
    pub night_from: NaiveTime,
    pub night_by: NaiveTime,
    /// At most this many days in one request.
    pub max_days: u32,
    /// The facility types that give it (places registry codes); empty for care at home.
    pub facility_kinds: &'static [&'static str],
}

fn time(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap_or_default()
}

impl Service {
    pub fn code(self) -> &'static str {
        match self {
            Service::ElementaryEmergency => "elementary_emergency",
            Service::AlwaysDaycare => "always_daycare",
            Service::HomeVisit => "home_visit",
        }
    }

    /// The default rules (경기도 아동 언제나돌봄's booking windows).
    pub fn rules(self) -> Rules {
        let common = Rules {
            min_age_months: 0,
            max_age_months: 0,
            weekday: Window { opens: 0, closes: 1440 },
            day_off: Window { opens: 0, closes: 1440 },
            same_day_by: time(15, 0),
            night_from: time(18, 0),
            night_by: time(18, 0),
            max_days: 5,
            facility_kinds: &[],
        };
        match self {
            Service::ElementaryEmergency => Rules {
                min_age_months: 6 * 12,
                max_age_months: 13 * 12 - 1,
                weekday: Window { opens: 18 * 60, closes: 22 * 60 },
                day_off: Window { opens: 8 * 60, closes: 22 * 60 },
                facility_kinds: &["community_care", "local_children"],
                ..common
            },
            Service::AlwaysDaycare => {
                Rules { min_age_months: 6, max_age_months: 7 * 12 - 1, facility_kinds: &["daycare_24h"], ..common }
            }
            Service::HomeVisit => Rules { min_age_months: 3, max_age_months: 13 * 12 - 1, ..common },
        }
    }
}

/// Why a request cannot be made as asked (catalog keys `care-rule-*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Refusal {
    TooYoung,
    TooOld,
    OutsideHours,
    EndsBeforeStart,
    TooLateToday,
    NightTooLate,
    InThePast,
    TooManyDays,
}

impl Refusal {
    pub fn key(self) -> &'static str {
        match self {
            Refusal::TooYoung => "care-rule-too-young",
            Refusal::TooOld => "care-rule-too-old",
            Refusal::OutsideHours => "care-rule-outside-hours",
            Refusal::EndsBeforeStart => "care-rule-ends-before-start",
            Refusal::TooLateToday => "care-rule-too-late-today",
            Refusal::NightTooLate => "care-rule-night-too-late",
            Refusal::InThePast => "care-rule-in-the-past",
            Refusal::TooManyDays => "care-rule-too-many-days",
        }
    }
}

/// Full months of age on `on` (만 나이 in months).
pub fn age_in_months(birth: NaiveDate, on: NaiveDate) -> i64 {
    let months = i64::from(on.year() - birth.year()) * 12 + i64::from(on.month()) - i64::from(birth.month());
    if on.day() < birth.day() { months - 1 } else { months }
}

/// Whether the day counts as a day off (Saturday, Sunday or a public holiday).
pub fn is_day_off(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun) || calendar::is_holiday(date)
}

/// A request: care on each of `days` consecutive days from `first_day`, from `start` to `end` each day.
#[derive(Clone, Copy, Debug)]
pub struct Request {
    pub birth_date: NaiveDate,
    pub first_day: NaiveDate,
    pub days: u32,
    pub start: NaiveTime,
    pub end: NaiveTime,
    /// When it is asked (Asia/Seoul).
    pub asked_at: NaiveDateTime,
}

/// Every rule the request breaks, in the order a guardian would fix them (empty: it can be made).
pub fn check(rules: &Rules, r: &Request) -> Vec<Refusal> {
    let mut out = Vec::new();
    // Any number of days may be typed; date arithmetic only ever sees the most the rules allow.
    let days = r.days.clamp(1, rules.max_days.max(1));
    let last_day = r.first_day.checked_add_signed(Duration::days(i64::from(days) - 1)).unwrap_or(r.first_day);
    if age_in_months(r.birth_date, r.first_day) < i64::from(rules.min_age_months) {
        out.push(Refusal::TooYoung);
    }
    if age_in_months(r.birth_date, last_day) > i64::from(rules.max_age_months) {
        out.push(Refusal::TooOld);
    }
    if r.days == 0 || r.days > rules.max_days {
        out.push(Refusal::TooManyDays);
    }
    let minute = |t: NaiveTime| (t.hour() * 60 + t.minute()) as u16;
    let (start, end) = (minute(r.start), if r.end == time(0, 0) { 1440 } else { minute(r.end) });
    if end <= start {
        out.push(Refusal::EndsBeforeStart);
    } else {
        let outside = (0..days).any(|i| {
            let day = r.first_day.checked_add_signed(Duration::days(i64::from(i))).unwrap_or(r.first_day);
            let window = if is_day_off(day) { rules.day_off } else { rules.weekday };
            start < window.opens || end > window.closes
        });
        if outside {
            out.push(Refusal::OutsideHours);
        }
    }
    let begins = r.first_day.and_time(r.start);
    if begins <= r.asked_at {
        out.push(Refusal::InThePast);
    } else if r.start >= rules.night_from {
        let deadline = (r.first_day - Duration::days(1)).and_time(rules.night_by);
        if r.asked_at > deadline {
            out.push(Refusal::NightTooLate);
        }
    } else if r.first_day == r.asked_at.date() && r.asked_at.time() > rules.same_day_by {
        out.push(Refusal::TooLateToday);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn request(
        birth: NaiveDate,
        first_day: NaiveDate,
        start: (u32, u32),
        end: (u32, u32),
        asked: NaiveDateTime,
    ) -> Request {
        Request {
            birth_date: birth,
            first_day,
            days: 1,
            start: time(start.0, start.1),
            end: time(end.0, end.1),
            asked_at: asked,
        }
    }

    #[test]
    fn ages_count_in_months_on_the_day_of_care() {
        assert_eq!(age_in_months(day(2020, 5, 15), day(2026, 5, 14)), 71);
        assert_eq!(age_in_months(day(2020, 5, 15), day(2026, 5, 15)), 72);
        let rules = Service::ElementaryEmergency.rules();
        let friday = day(2026, 11, 27).and_hms_opt(9, 0, 0).unwrap();
        let saturday = day(2026, 11, 28);
        assert_eq!(check(&rules, &request(day(2020, 11, 29), saturday, (10, 0), (14, 0), friday)), [Refusal::TooYoung]);
        assert!(
            check(&rules, &request(day(2020, 11, 28), saturday, (10, 0), (14, 0), friday)).is_empty(),
            "6 that day"
        );
        assert_eq!(check(&rules, &request(day(2013, 11, 28), saturday, (10, 0), (14, 0), friday)), [Refusal::TooOld]);
    }

    #[test]
    fn hours_follow_weekdays_weekends_and_holidays() {
        let rules = Service::ElementaryEmergency.rules();
        let child = day(2018, 1, 1);
        let asked = day(2026, 12, 20).and_hms_opt(9, 0, 0).unwrap();
        // A Wednesday afternoon is school time: outside the service's hours. 성탄절 (a Friday) is a day off.
        assert_eq!(check(&rules, &request(child, day(2026, 12, 23), (13, 0), (17, 0), asked)), [Refusal::OutsideHours]);
        assert!(check(&rules, &request(child, day(2026, 12, 25), (13, 0), (17, 0), asked)).is_empty());
        assert!(check(&rules, &request(child, day(2026, 12, 23), (18, 0), (22, 0), asked)).is_empty());
        assert_eq!(
            check(&rules, &request(child, day(2026, 12, 23), (21, 0), (19, 0), asked)),
            [Refusal::EndsBeforeStart]
        );
        let always = Service::AlwaysDaycare.rules();
        assert!(
            check(&always, &request(day(2024, 1, 1), day(2026, 12, 23), (2, 0), (0, 0), asked)).is_empty(),
            "to midnight"
        );
    }

    #[test]
    fn booking_windows_are_kept() {
        let rules = Service::ElementaryEmergency.rules();
        let child = day(2018, 1, 1);
        let saturday = day(2026, 11, 28);
        let at = |d: NaiveDate, h: u32, m: u32| d.and_hms_opt(h, m, 0).unwrap();
        assert!(check(&rules, &request(child, saturday, (16, 0), (20, 0), at(saturday, 14, 59))).is_empty());
        assert_eq!(
            check(&rules, &request(child, saturday, (16, 0), (20, 0), at(saturday, 15, 1))),
            [Refusal::TooLateToday]
        );
        let friday = day(2026, 11, 27);
        assert!(check(&rules, &request(child, saturday, (18, 0), (22, 0), at(friday, 17, 59))).is_empty());
        assert_eq!(
            check(&rules, &request(child, saturday, (18, 0), (22, 0), at(friday, 18, 1))),
            [Refusal::NightTooLate]
        );
        assert_eq!(
            check(&rules, &request(child, friday, (8, 0), (10, 0), at(saturday, 9, 0)))[..],
            [Refusal::OutsideHours, Refusal::InThePast]
        );
        let long = Request { days: 6, ..request(child, saturday, (10, 0), (12, 0), at(friday, 9, 0)) };
        assert!(check(&rules, &long).contains(&Refusal::TooManyDays));
        // Absurd counts are refused without date arithmetic overflowing or looping.
        let absurd = Request { days: u32::MAX, first_day: NaiveDate::MAX, ..long };
        assert!(check(&rules, &absurd).contains(&Refusal::TooManyDays));
    }
}
