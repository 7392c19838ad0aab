//! Time as the database keeps it (UTC milliseconds) and as people read it (Asia/Seoul).

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Asia::Seoul;

/// Milliseconds since the Unix epoch, UTC: the one timestamp type both backends store alike.
pub type Millis = i64;

pub fn now_millis() -> Millis {
    Utc::now().timestamp_millis()
}

/// `2026-11-27 21:04` in Asia/Seoul.
pub fn seoul_display(at: Millis) -> String {
    match Utc.timestamp_millis_opt(at).single() {
        Some(t) => t.with_timezone(&Seoul).format("%Y-%m-%d %H:%M").to_string(),
        None => String::new(),
    }
}

/// ISO 8601 with the +09:00 offset, for exports and the API.
pub fn seoul_rfc3339(at: Millis) -> String {
    match Utc.timestamp_millis_opt(at).single() {
        Some(t) => t.with_timezone(&Seoul).to_rfc3339(),
        None => String::new(),
    }
}

/// Today's date in Seoul.
pub fn seoul_today() -> NaiveDate {
    Utc::now().with_timezone(&Seoul).date_naive()
}

/// The wall-clock time in Seoul at `at`.
pub fn seoul_local(at: Millis) -> chrono::NaiveDateTime {
    Utc.timestamp_millis_opt(at).single().map(|t| t.with_timezone(&Seoul).naive_local()).unwrap_or_default()
}

/// The date in Seoul at `at`.
pub fn seoul_date(at: Millis) -> NaiveDate {
    Utc.timestamp_millis_opt(at).single().map(|t| t.with_timezone(&Seoul).date_naive()).unwrap_or_default()
}

/// The first millisecond of `date` in Seoul, as UTC millis.
pub fn seoul_day_start(date: NaiveDate) -> Millis {
    let local = date.and_hms_opt(0, 0, 0).unwrap_or_default();
    Seoul.from_local_datetime(&local).earliest().map(|t: DateTime<_>| t.timestamp_millis()).unwrap_or_default()
}

/// 만 나이: full years completed on `on`.
pub fn age_on(birth: NaiveDate, on: NaiveDate) -> i32 {
    use chrono::Datelike;
    let mut age = on.year() - birth.year();
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        age -= 1;
    }
    age
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn age_counts_full_years_only() {
        let birth = NaiveDate::from_ymd_opt(2019, 11, 28).unwrap();
        assert_eq!(age_on(birth, NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()), 6);
        assert_eq!(age_on(birth, NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()), 7);
    }

    #[test]
    fn seoul_is_nine_hours_ahead() {
        let day = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let start = seoul_day_start(day);
        assert_eq!(seoul_display(start), "2026-01-01 00:00");
        assert_eq!(seoul_rfc3339(start), "2026-01-01T00:00:00+09:00");
    }
}
