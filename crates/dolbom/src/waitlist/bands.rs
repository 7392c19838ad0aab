//! Age bands in the waitlist: a child waits for a place in the 만 N세반 of the 보육연도 (from the year of birth, see
//! [`classes::band_of`]); a 어린이집 with classes fills each class only with children of its ages, a mixed class
//! with any of its ages once their own classes are full. A centre without classes (다함께돌봄센터, 지역아동센터)
//! takes any child. The children already holding an offer or a place use their own class first, then the mixed
//! one, and what is left is what the round, or an offer between rounds, may give.

use std::collections::BTreeMap;

use allocation::Mixed;
use chrono::{Datelike, NaiveDate};

use crate::places::classes::{self, Class};

/// A child past the 만5세반: no 어린이집 class takes them.
pub const SCHOOL_AGE: &str = "school";

/// The band a child born on `birth` waits in during the 보육연도 of `today`.
pub fn band(birth: NaiveDate, today: NaiveDate) -> String {
    classes::band_of(birth.year(), classes::care_year(today)).map_or_else(|| SCHOOL_AGE.to_string(), |b| b.to_string())
}

/// The mixed class an age shares.
fn mixed_of(band: &str) -> Option<&'static str> {
    match band {
        "0" | "1" | "2" => Some("0-2"),
        "3" | "4" | "5" => Some("3-5"),
        _ => None,
    }
}

fn ages_of(mixed: &str) -> [&'static str; 3] {
    if mixed == "0-2" { ["0", "1", "2"] } else { ["3", "4", "5"] }
}

/// A centre's places left per class once the children holding offers or places there (`held`, their bands) are
/// seated: each in its own class first, then in its mixed class.
pub fn left(classes: &[Class], held: &[String]) -> BTreeMap<String, i64> {
    let mut left: BTreeMap<String, i64> = classes.iter().map(|c| (c.ages.clone(), c.places)).collect();
    for band in held {
        let own = left.get_mut(band.as_str()).filter(|n| **n > 0);
        match own {
            Some(n) => *n -= 1,
            None => {
                if let Some(n) = mixed_of(band).and_then(|m| left.get_mut(m)) {
                    *n = (*n - 1).max(0);
                }
            }
        }
    }
    left
}

/// Whether a centre with these classes has one a child of `band` could sit in, full or not (no classes: any child).
pub fn has_class(classes: &[Class], band: &str) -> bool {
    classes.is_empty() || classes.iter().any(|c| c.ages == band || mixed_of(band) == Some(c.ages.as_str()))
}

/// Whether a child of `band` has a place left in a centre with these places per class (no classes: any child).
pub fn has_room(left: &BTreeMap<String, i64>, band: &str) -> bool {
    left.is_empty()
        || left.get(band).is_some_and(|n| *n > 0)
        || mixed_of(band).and_then(|m| left.get(m)).is_some_and(|n| *n > 0)
}

/// The round's view of a centre's places left: its own classes as bands and its mixed classes, or nothing for a
/// centre without classes.
pub fn for_round(left: &BTreeMap<String, i64>) -> (Option<BTreeMap<String, i64>>, Option<Vec<Mixed>>) {
    if left.is_empty() {
        return (None, None);
    }
    let own = left.iter().filter(|(ages, _)| mixed_of(ages).is_some()).map(|(a, n)| (a.clone(), *n)).collect();
    let mixed = left
        .iter()
        .filter(|(ages, _)| mixed_of(ages).is_none())
        .map(|(ages, n)| Mixed { bands: ages_of(ages).map(str::to_string).to_vec(), places: *n })
        .collect();
    (Some(own), Some(mixed))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn class(ages: &str, places: i64) -> Class {
        Class { ages: ages.into(), places }
    }

    #[test]
    fn held_children_use_their_own_class_then_the_mixed_one() {
        let classes = [class("0", 1), class("1", 0), class("0-2", 2), class("3", 4)];
        let held: Vec<String> = ["0", "0", "1", "3"].map(String::from).to_vec();
        let left = left(&classes, &held);
        assert_eq!(left, BTreeMap::from([("0".into(), 0), ("1".into(), 0), ("0-2".into(), 0), ("3".into(), 3)]));
        assert!(!has_room(&left, "2"), "the mixed class is full");
        assert!(has_room(&left, "3"));
        assert!(!has_room(&left, "4"), "no 만4세반 and no 유아혼합반");
        assert!(has_room(&BTreeMap::new(), SCHOOL_AGE), "a centre without classes takes any child");
        assert!(has_class(&classes, "2") && has_class(&classes, "3") && !has_class(&classes, "4"));
        assert!(!has_class(&classes, SCHOOL_AGE) && has_class(&[], SCHOOL_AGE));
        let (own, mixed) = for_round(&left);
        assert_eq!(own.unwrap().len(), 3);
        let mixed = mixed.unwrap();
        assert_eq!((mixed[0].bands.join(","), mixed[0].places), ("0,1,2".to_string(), 0));
    }

    #[test]
    fn the_band_of_a_child_is_its_class_this_care_year() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(band(day(2023, 5, 1), day(2026, 11, 27)), "2");
        assert_eq!(band(day(2019, 5, 1), day(2026, 11, 27)), SCHOOL_AGE);
    }
}
