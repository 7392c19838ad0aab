//! A 어린이집's classes (반) and the places each can still take, from the public data: the number of classes of
//! each 만 N세반 times the child-to-teacher ratio of 영유아보육법 시행규칙 별표 2, less the children in them. A
//! mixed class takes the ratio of its youngest age (영아혼합반 1:3, 유아혼합반 1:15), so a place is never promised
//! that a teacher could not take. A class over its ratio has no place, not a negative one.

use crate::db::{Db, Tx};
use crate::{db_run, tx_run};

/// The classes in the public layout's order: 만0세 … 만5세, 영아혼합, 유아혼합, and each one's ratio.
pub const CLASSES: [(&str, u32); 8] =
    [("0", 3), ("1", 5), ("2", 7), ("3", 15), ("4", 20), ("5", 20), ("0-2", 3), ("3-5", 15)];

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Class {
    /// `"0"`..`"5"` for a 만 N세반, `"0-2"` or `"3-5"` for a mixed class.
    pub ages: String,
    pub places: i64,
}

/// The classes a centre has (a count of classes per [`CLASSES`] entry) with the children in each.
pub fn from_counts(classes: [u32; 8], children: [u32; 8]) -> Vec<Class> {
    CLASSES
        .iter()
        .zip(classes.iter().zip(children))
        .filter(|(_, (n, _))| **n > 0)
        .map(|((ages, ratio), (n, kids))| Class {
            ages: ages.to_string(),
            places: (i64::from(*n) * i64::from(*ratio) - i64::from(kids)).max(0),
        })
        .collect()
}

/// The 만 N세반 a child born in `birth_year` belongs to in the 보육연도 that starts in March of `year` (보육사업안내's
/// 반편성 by year of birth: 만 N세반 holds those born in `year` − 1 − N, the 만0세반 also the youngest). `None` at
/// school age.
pub fn band_of(birth_year: i32, year: i32) -> Option<u32> {
    let band = (year - 1 - birth_year).max(0);
    (band <= 5).then_some(band as u32)
}

/// The 보육연도 a day falls in: March to February.
pub fn care_year(day: chrono::NaiveDate) -> i32 {
    use chrono::Datelike;
    if day.month() >= 3 { day.year() } else { day.year() - 1 }
}

/// Replaces a centre's classes (an import knows them whole).
pub async fn replace(tx: &mut Tx, facility_id: &str, classes: &[Class]) -> Result<(), sqlx::Error> {
    let sql = "DELETE FROM facility_classes WHERE facility_id = $1";
    tx_run!(tx, c => sqlx::query(sql).bind(facility_id).execute(c).await.map(|_| ()))?;
    for class in classes {
        let sql = "INSERT INTO facility_classes (facility_id, ages, places) VALUES ($1, $2, $3)";
        tx_run!(tx, c => sqlx::query(sql).bind(facility_id).bind(&class.ages).bind(class.places as i32)
            .execute(c).await.map(|_| ()))?;
    }
    Ok(())
}

/// Every centre's classes in the municipality: (facility id, class).
pub async fn of_municipality(db: &Db, municipality: &str) -> Result<Vec<(String, Class)>, sqlx::Error> {
    let sql = "SELECT k.facility_id, k.ages, CAST(k.places AS BIGINT) FROM facility_classes k \
               JOIN facilities f ON f.id = k.facility_id WHERE f.municipality_code = $1 ORDER BY k.facility_id, k.ages";
    let rows: Vec<(String, String, i64)> = db_run!(db, p => sqlx::query_as(sql).bind(municipality).fetch_all(p).await)?;
    Ok(rows.into_iter().map(|(f, ages, places)| (f, Class { ages, places })).collect())
}

/// One centre's classes.
pub async fn of_facility(tx: &mut Tx, facility_id: &str) -> Result<Vec<Class>, sqlx::Error> {
    let sql = "SELECT ages, CAST(places AS BIGINT) FROM facility_classes WHERE facility_id = $1 ORDER BY ages";
    let rows: Vec<(String, i64)> = tx_run!(tx, c => sqlx::query_as(sql).bind(facility_id).fetch_all(c).await)?;
    Ok(rows.into_iter().map(|(ages, places)| Class { ages, places }).collect())
}

/// A child of `band` enrolled: one place fewer in its own class, or else in the mixed class of its age.
pub async fn take_place(tx: &mut Tx, facility_id: &str, band: u32) -> Result<(), sqlx::Error> {
    let own = band.to_string();
    let mixed = if band <= 2 { "0-2" } else { "3-5" };
    let sql = "UPDATE facility_classes SET places = places - 1 WHERE facility_id = $1 AND ages = \
               (SELECT ages FROM facility_classes WHERE facility_id = $1 AND places > 0 AND ages IN ($2, $3) \
               ORDER BY CASE WHEN ages = $2 THEN 0 ELSE 1 END LIMIT 1)";
    tx_run!(tx, c => sqlx::query(sql).bind(facility_id).bind(&own).bind(mixed).execute(c).await.map(|_| ()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_are_classes_times_the_legal_ratio_less_the_children() {
        // The first centre of the 노원구 file: 만0세 3 classes (8 children), 만1세 2 (5), 만2세 1 (6), 영아혼합 3 (0).
        let classes = from_counts([3, 2, 1, 0, 0, 0, 3, 0], [8, 5, 6, 0, 0, 0, 0, 0]);
        let places: Vec<(&str, i64)> = classes.iter().map(|c| (c.ages.as_str(), c.places)).collect();
        assert_eq!(places, [("0", 1), ("1", 5), ("2", 1), ("0-2", 9)]);
        let over = from_counts([0, 0, 0, 1, 0, 0, 0, 0], [0, 0, 0, 17, 0, 0, 0, 0]);
        assert_eq!(over[0].places, 0, "a class over its ratio has no place");
    }

    #[test]
    fn the_class_follows_the_year_of_birth() {
        use chrono::NaiveDate;
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(care_year(day(2026, 11, 27)), 2026);
        assert_eq!(care_year(day(2027, 2, 28)), 2026, "January and February end the year before");
        assert_eq!(band_of(2026, 2026), Some(0), "born this year: 만0세반");
        assert_eq!(band_of(2025, 2026), Some(0));
        assert_eq!(band_of(2024, 2026), Some(1));
        assert_eq!(band_of(2020, 2026), Some(5), "school next March");
        assert_eq!(band_of(2019, 2026), None, "at school");
    }
}
