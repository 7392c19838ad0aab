//! A space's booking rules, and a request checked against them: pure, so every rule is a unit test.

use chrono::{Datelike, Days, NaiveDate, NaiveDateTime, NaiveTime};

use crate::calendar;
use crate::places::hours::WeeklyHours;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WhoMayBook {
    /// Residents of the municipality (any signed-in resident account).
    Residents,
    /// Registered community groups (their leaders).
    Groups,
    Everyone,
}

impl WhoMayBook {
    pub fn parse(s: &str) -> Option<WhoMayBook> {
        match s {
            "residents" => Some(WhoMayBook::Residents),
            "groups" => Some(WhoMayBook::Groups),
            "everyone" => Some(WhoMayBook::Everyone),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            WhoMayBook::Residents => "residents",
            WhoMayBook::Groups => "groups",
            WhoMayBook::Everyone => "everyone",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rules {
    pub slot_minutes: u16,
    /// The longest one booking may be.
    pub max_booking_minutes: u16,
    /// The most one person may hold at this space in a week (Monday to Sunday).
    pub max_week_minutes: u32,
    pub who_may_book: WhoMayBook,
    pub needs_approval: bool,
    pub fee_krw_per_hour: i64,
    /// Cancelling is possible until this many hours before the start.
    pub cancel_hours: u32,
}

/// A booking asked for: a day and a span in minutes after midnight (Asia/Seoul).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Request {
    pub day: NaiveDate,
    pub start: u16,
    pub end: u16,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RuleError {
    #[error("the span ends before it starts")]
    Reversed,
    #[error("in the past")]
    Past,
    #[error("not on the slot grid")]
    OffGrid { slot_minutes: u16 },
    #[error("longer than one booking may be")]
    TooLong { max_minutes: u16 },
    #[error("the space is closed that day")]
    ClosedDay,
    #[error("outside opening hours")]
    OutsideHours,
    #[error("over the weekly limit")]
    OverWeek { left_minutes: u32 },
}

impl Request {
    pub fn minutes(&self) -> u32 {
        u32::from(self.end.saturating_sub(self.start))
    }

    pub fn at(&self, minute: u16) -> NaiveDateTime {
        self.day.and_time(NaiveTime::MIN) + chrono::Duration::minutes(i64::from(minute))
    }
}

/// The Monday the week of `day` starts on.
pub fn week_start(day: NaiveDate) -> NaiveDate {
    day - Days::new(u64::from(day.weekday().num_days_from_monday()))
}

/// Checks a request against the rules, the hours and the closed days, at `now` (Seoul); the starts of the slots it
/// takes, or the first rule it breaks. The weekly limit needs what the person already holds: `held_this_week`.
pub fn check(
    rules: &Rules,
    hours: &WeeklyHours,
    closed: &[NaiveDate],
    request: &Request,
    now: NaiveDateTime,
    held_this_week: u32,
) -> Result<Vec<NaiveDateTime>, RuleError> {
    if request.end <= request.start || request.end > 24 * 60 {
        return Err(RuleError::Reversed);
    }
    if request.at(request.start) < now {
        return Err(RuleError::Past);
    }
    let slot = rules.slot_minutes.max(1);
    if !request.start.is_multiple_of(slot) || !request.end.is_multiple_of(slot) {
        return Err(RuleError::OffGrid { slot_minutes: slot });
    }
    if request.minutes() > u32::from(rules.max_booking_minutes) {
        return Err(RuleError::TooLong { max_minutes: rules.max_booking_minutes });
    }
    if closed.contains(&request.day) {
        return Err(RuleError::ClosedDay);
    }
    let Some(span) = hours.span_on(request.at(request.start)) else { return Err(RuleError::ClosedDay) };
    if request.start < span.opens || request.end > span.closes {
        return Err(RuleError::OutsideHours);
    }
    within_week(rules, held_this_week, request.minutes())?;
    Ok((request.start..request.end).step_by(usize::from(slot)).map(|m| request.at(m)).collect())
}

/// Whether `minutes` more fit in the week when `held` are held already.
pub fn within_week(rules: &Rules, held: u32, minutes: u32) -> Result<(), RuleError> {
    let left = rules.max_week_minutes.saturating_sub(held);
    if minutes > left { Err(RuleError::OverWeek { left_minutes: left }) } else { Ok(()) }
}

/// Whether the day is a public holiday (the holiday hours apply).
pub fn is_holiday(day: NaiveDate) -> bool {
    calendar::is_holiday(day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::places::hours::{HOLIDAY, Span};

    fn rules() -> Rules {
        Rules {
            slot_minutes: 60,
            max_booking_minutes: 180,
            max_week_minutes: 240,
            who_may_book: WhoMayBook::Residents,
            needs_approval: false,
            fee_krw_per_hour: 5_000,
            cancel_hours: 24,
        }
    }

    fn hours() -> WeeklyHours {
        let mut days = [None; 8];
        for d in days.iter_mut().take(6) {
            *d = Some(Span::new(9 * 60, 22 * 60).unwrap());
        }
        days[HOLIDAY] = None;
        WeeklyHours(days)
    }

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn now() -> NaiveDateTime {
        day("2026-11-27").and_hms_opt(12, 0, 0).unwrap()
    }

    #[test]
    fn a_saturday_morning_takes_its_slots() {
        let r = Request { day: day("2026-11-28"), start: 10 * 60, end: 12 * 60 };
        let slots = check(&rules(), &hours(), &[], &r, now(), 0).unwrap();
        assert_eq!(slots.len(), 2);
        assert_eq!(slots[1], day("2026-11-28").and_hms_opt(11, 0, 0).unwrap());
    }

    #[test]
    fn each_rule_names_itself() {
        let at = |d: &str, s: u16, e: u16| Request { day: day(d), start: s, end: e };
        let c = |r: Request, held: u32| check(&rules(), &hours(), &[day("2026-12-05")], &r, now(), held);
        assert_eq!(c(at("2026-11-28", 12 * 60, 10 * 60), 0), Err(RuleError::Reversed));
        assert_eq!(c(at("2026-11-26", 10 * 60, 11 * 60), 0), Err(RuleError::Past));
        assert_eq!(c(at("2026-11-28", 10 * 60 + 30, 11 * 60 + 30), 0), Err(RuleError::OffGrid { slot_minutes: 60 }));
        assert_eq!(c(at("2026-11-28", 9 * 60, 13 * 60), 0), Err(RuleError::TooLong { max_minutes: 180 }));
        assert_eq!(c(at("2026-12-05", 10 * 60, 11 * 60), 0), Err(RuleError::ClosedDay), "a closed day");
        assert_eq!(c(at("2026-11-29", 10 * 60, 11 * 60), 0), Err(RuleError::ClosedDay), "closed on Sundays");
        assert_eq!(c(at("2026-12-25", 10 * 60, 11 * 60), 0), Err(RuleError::ClosedDay), "Christmas is a holiday");
        assert_eq!(c(at("2026-11-28", 21 * 60, 23 * 60), 0), Err(RuleError::OutsideHours));
        assert_eq!(c(at("2026-11-28", 10 * 60, 12 * 60), 180), Err(RuleError::OverWeek { left_minutes: 60 }));
        assert!(c(at("2026-11-28", 10 * 60, 11 * 60), 180).is_ok());
        assert_eq!(week_start(day("2026-11-29")), day("2026-11-23"));
    }
}
