//! Korean public holidays (관공서 공휴일) 2024–2027, compiled in from `data/calendar/kr-holidays.csv`: opening
//! hours on holidays, and later the booking windows of care.

use std::collections::HashMap;
use std::sync::LazyLock;

use chrono::NaiveDate;

const HOLIDAYS_CSV: &str = include_str!("../data/calendar/kr-holidays.csv");

/// The years the table covers; outside them no day counts as a holiday, which callers should say.
pub const FIRST_YEAR: i32 = 2024;
pub const LAST_YEAR: i32 = 2027;

static HOLIDAYS: LazyLock<HashMap<NaiveDate, &'static str>> = LazyLock::new(|| {
    HOLIDAYS_CSV
        .lines()
        .skip(1)
        .filter_map(|line| {
            let mut fields = line.split(',');
            let date = NaiveDate::parse_from_str(fields.next()?, "%Y-%m-%d").ok()?;
            Some((date, fields.next()?))
        })
        .collect()
});

/// The holiday's Korean name, if `date` is a public holiday.
pub fn holiday(date: NaiveDate) -> Option<&'static str> {
    HOLIDAYS.get(&date).copied()
}

pub fn is_holiday(date: NaiveDate) -> bool {
    HOLIDAYS.contains_key(&date)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_knows_the_2026_changes_and_substitutes() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(HOLIDAYS.len(), 84);
        assert!(is_holiday(day(2026, 7, 17)), "제헌절 is a holiday again from 2026");
        assert!(is_holiday(day(2026, 5, 1)), "노동절");
        assert_eq!(holiday(day(2025, 12, 25)), Some("기독탄신일"));
        assert!(!is_holiday(day(2026, 11, 27)));
    }
}
