//! Opening hours: one span a day for each weekday and one for public holidays, in minutes after midnight (Asia/
//! Seoul), closing at most at 1440 (midnight). A day without a span is closed.

use chrono::{Datelike, NaiveDateTime, Timelike};
use serde::Serialize;

use crate::calendar;

/// Day 7 is public holidays, which take precedence over the weekday they fall on.
pub const HOLIDAY: usize = 7;
pub const DAYS: usize = 8;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Span {
    pub opens: u16,
    pub closes: u16,
}

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum HoursError {
    #[error("not a time span like 07:30-19:30")]
    Malformed,
    #[error("closes before it opens")]
    EndsBeforeStart,
}

impl Span {
    pub fn new(opens: u16, closes: u16) -> Result<Span, HoursError> {
        if closes > 1440 || opens >= 1440 {
            return Err(HoursError::Malformed);
        }
        if closes <= opens {
            return Err(HoursError::EndsBeforeStart);
        }
        Ok(Span { opens, closes })
    }

    /// Reads `07:30-19:30` (also `07:30~19:30`; `24:00` is midnight at the end of the day).
    pub fn parse(text: &str) -> Result<Span, HoursError> {
        let (from, to) = text.trim().split_once(['-', '~']).ok_or(HoursError::Malformed)?;
        Span::new(minutes(from)?, minutes(to)?)
    }

    pub fn contains(&self, minute: u16) -> bool {
        self.opens <= minute && minute < self.closes
    }

    pub fn label(&self) -> String {
        format!("{}–{}", clock(self.opens), clock(self.closes))
    }
}

fn minutes(text: &str) -> Result<u16, HoursError> {
    let (h, m) = text.trim().split_once(':').ok_or(HoursError::Malformed)?;
    let (h, m): (u16, u16) =
        (h.parse().map_err(|_| HoursError::Malformed)?, m.parse().map_err(|_| HoursError::Malformed)?);
    if m >= 60 || h > 24 || (h == 24 && m > 0) {
        return Err(HoursError::Malformed);
    }
    Ok(h * 60 + m)
}

/// `07:30`; 1440 reads `24:00`.
pub fn clock(minute: u16) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

/// Monday … Sunday, then public holidays.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct WeeklyHours(pub [Option<Span>; DAYS]);

impl WeeklyHours {
    /// Which row applies on that day: holidays first, then the weekday.
    pub fn span_on(&self, at: NaiveDateTime) -> Option<Span> {
        let day = if calendar::is_holiday(at.date()) { HOLIDAY } else { at.weekday().num_days_from_monday() as usize };
        self.0[day]
    }

    /// Open at that local time (Asia/Seoul).
    pub fn open_at(&self, at: NaiveDateTime) -> bool {
        let minute = (at.hour() * 60 + at.minute()) as u16;
        self.span_on(at).is_some_and(|s| s.contains(minute))
    }

    /// No day has hours: not published yet (unknown), as distinct from a facility that says it is closed.
    pub fn is_unknown(&self) -> bool {
        self.0.iter().all(Option::is_none)
    }

    /// Open all day every day of the week and on holidays (24시간).
    pub fn always() -> WeeklyHours {
        WeeklyHours([Some(Span { opens: 0, closes: 1440 }); DAYS])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(h, min, 0).unwrap()
    }

    #[test]
    fn spans_parse_and_refuse_what_cannot_be() {
        assert_eq!(Span::parse("07:30-19:30"), Ok(Span { opens: 450, closes: 1170 }));
        assert_eq!(Span::parse("00:00~24:00"), Ok(Span { opens: 0, closes: 1440 }));
        assert_eq!(Span::parse("19:00-07:00"), Err(HoursError::EndsBeforeStart));
        assert_eq!(Span::parse("09:00-09:00"), Err(HoursError::EndsBeforeStart));
        for bad in ["", "9-18", "09:60-10:00", "25:00-26:00", "24:30-24:40", "아침-저녁"] {
            assert_eq!(Span::parse(bad), Err(HoursError::Malformed), "{bad}");
        }
    }

    #[test]
    fn holidays_use_their_own_row() {
        let mut week = WeeklyHours::default();
        for day in 0..5 {
            week.0[day] = Span::parse("07:30-19:30").ok();
        }
        week.0[5] = Span::parse("09:00-13:00").ok();
        assert!(week.open_at(at(2026, 11, 27, 8, 0)), "a Friday morning");
        assert!(!week.open_at(at(2026, 11, 27, 19, 30)), "closing time is closed");
        assert!(week.open_at(at(2026, 11, 28, 10, 0)), "Saturday");
        assert!(!week.open_at(at(2026, 11, 29, 10, 0)), "Sunday");
        assert!(!week.open_at(at(2026, 10, 9, 10, 0)), "한글날 is a Friday holiday: closed");
        week.0[HOLIDAY] = Span::parse("08:00-20:00").ok();
        assert!(week.open_at(at(2026, 10, 9, 10, 0)));
        assert!(WeeklyHours::always().open_at(at(2026, 10, 9, 3, 0)));
    }
}
