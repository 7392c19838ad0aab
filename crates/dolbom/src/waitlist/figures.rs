//! The waitlist's figures, from each application's time on the list: children waiting on each day (in all, per
//! centre chosen, per 행정동 of home), how long a place took, and the places left empty. Pure: the store loads the
//! stints, the page draws them.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};

use crate::db::time::{Millis, seoul_date};

/// One application's time on the list: from `created_at` until it left (placed or withdrawn), if it did.
#[derive(Clone, Debug)]
pub struct Stint {
    pub created_at: Millis,
    pub left_at: Option<Millis>,
    pub home_area: Option<String>,
    pub choices: Vec<String>,
}

impl Stint {
    /// On the list at the end of `day` (Asia/Seoul).
    fn waiting_on(&self, day: NaiveDate) -> bool {
        seoul_date(self.created_at) <= day && self.left_at.is_none_or(|left| seoul_date(left) > day)
    }
}

/// Children waiting at the end of each day, in all and per key (a centre or a 행정동).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Series {
    pub days: Vec<NaiveDate>,
    pub total: Vec<i64>,
    pub by_key: BTreeMap<String, Vec<i64>>,
}

/// What a series is counted by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum By {
    Centre,
    Area,
}

/// The waiting counts for every day from `from` to `to`, both included.
pub fn series(stints: &[Stint], from: NaiveDate, to: NaiveDate, by: By) -> Series {
    let days: Vec<NaiveDate> = from.iter_days().take_while(|d| *d <= to).collect();
    let mut out = Series { days: days.clone(), total: vec![0; days.len()], by_key: BTreeMap::new() };
    for (i, day) in days.iter().enumerate() {
        for s in stints.iter().filter(|s| s.waiting_on(*day)) {
            out.total[i] += 1;
            let keys: Vec<&String> = match by {
                By::Centre => s.choices.iter().collect(),
                By::Area => s.home_area.iter().collect(),
            };
            for key in keys {
                out.by_key.entry(key.clone()).or_insert_with(|| vec![0; days.len()])[i] += 1;
            }
        }
    }
    out
}

/// The first day anyone applied, or `to` less four weeks when nobody has: the chart's start.
pub fn first_day(stints: &[Stint], to: NaiveDate) -> NaiveDate {
    stints.iter().map(|s| seoul_date(s.created_at)).min().unwrap_or(to - Duration::days(28)).min(to)
}

/// Days from application to a place accepted: median and 90th percentile, and how many were placed.
#[derive(Clone, Debug, PartialEq)]
pub struct TimeToPlace {
    pub placed: usize,
    pub median_days: f64,
    pub p90_days: f64,
}

pub fn time_to_place(spans: &[(Millis, Millis)]) -> Option<TimeToPlace> {
    let mut days: Vec<f64> = spans.iter().map(|(from, to)| (to - from).max(0) as f64 / 86_400_000.0).collect();
    if days.is_empty() {
        return None;
    }
    days.sort_by(f64::total_cmp);
    let at = |q: f64| days[((days.len() - 1) as f64 * q).round() as usize];
    Some(TimeToPlace { placed: days.len(), median_days: at(0.5), p90_days: at(0.9) })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(day: u32) -> Millis {
        // Noon in Seoul on 2026-11-`day`.
        chrono::NaiveDate::from_ymd_opt(2026, 11, day)
            .unwrap()
            .and_hms_opt(3, 0, 0)
            .unwrap()
            .and_utc()
            .timestamp_millis()
    }

    fn stint(from: u32, left: Option<u32>, home: &str, choices: &[&str]) -> Stint {
        Stint {
            created_at: at(from),
            left_at: left.map(at),
            home_area: Some(home.into()),
            choices: choices.iter().map(|c| c.to_string()).collect(),
        }
    }

    #[test]
    fn a_child_counts_from_the_day_it_applied_until_the_day_it_left() {
        let stints = [
            stint(2, Some(4), "상계1동", &["c1", "c2"]),
            stint(3, None, "상계1동", &["c2"]),
            stint(5, None, "중계1동", &[]),
        ];
        let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
        let by_centre = series(&stints, day(1), day(5), By::Centre);
        assert_eq!(by_centre.total, vec![0, 1, 2, 1, 2]);
        assert_eq!(by_centre.by_key["c1"], vec![0, 1, 1, 0, 0]);
        assert_eq!(by_centre.by_key["c2"], vec![0, 1, 2, 1, 1]);
        let by_area = series(&stints, day(1), day(5), By::Area);
        assert_eq!(by_area.by_key["상계1동"], vec![0, 1, 2, 1, 1]);
        assert_eq!(by_area.by_key["중계1동"], vec![0, 0, 0, 0, 1]);
        assert_eq!(first_day(&stints, day(27)), day(2));
    }

    #[test]
    fn time_to_place_is_the_median_and_the_90th_percentile_in_days() {
        assert_eq!(time_to_place(&[]), None);
        let spans: Vec<(Millis, Millis)> = (1..=10).map(|d| (at(1), at(1 + d))).collect();
        let t = time_to_place(&spans).unwrap();
        assert_eq!((t.placed, t.median_days.round(), t.p90_days), (10, 6.0, 9.0));
    }
}
