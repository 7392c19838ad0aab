//! The end of keeping: what a deletion request kept for the records (care, waiting lists, bookings) is deleted
//! when its period ends, by a daily job, with the children no remaining record needs. The periods are the ones the
//! resident was shown ([`super::deletion::RETENTION`]): care five years from the last day of care, a waiting-list
//! application three years after the end of the 보육연도 (March to February) in which it was decided, a booking
//! five years from the day it was for.

use chrono::{Datelike, Months, NaiveDate};

use super::deletion::CHILD_IN_RECORDS;
use crate::db::time::{Millis, seoul_date, seoul_day_start};
use crate::db::{Db, Tx};
use crate::tx_run;

const CARE_YEARS: u32 = 5;
const WAITLIST_YEARS_AFTER_CARE_YEAR: u32 = 3;
const BOOKING_YEARS: u32 = 5;

/// Accounts erased at their owner's request: only their kept records end here.
const ERASED: &str = "(SELECT user_id FROM deletion_requests WHERE status = 'done')";

/// What one run deleted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Purged {
    pub care: usize,
    pub waitlist: usize,
    pub bookings: usize,
    pub children: u64,
}

fn years_before(day: NaiveDate, years: u32) -> NaiveDate {
    day.checked_sub_months(Months::new(12 * years)).unwrap_or(NaiveDate::MIN)
}

/// The last day of the 보육연도 (1 March to the end of February) that holds `day`.
fn care_year_end(day: NaiveDate) -> NaiveDate {
    let next_march = if day.month() >= 3 { day.year() + 1 } else { day.year() };
    NaiveDate::from_ymd_opt(next_march, 3, 1).and_then(|d| d.pred_opt()).unwrap_or(NaiveDate::MAX)
}

/// Deletes, as of `today` (Asia/Seoul), the kept records of erased accounts whose period has ended.
pub async fn purge_expired(db: &Db, today: NaiveDate) -> Result<Purged, sqlx::Error> {
    let mut purged = Purged::default();
    let mut tx = db.begin().await?;
    purged.care = purge_care(&mut tx, years_before(today, CARE_YEARS)).await?;
    purged.waitlist = purge_waitlist(&mut tx, years_before(today, WAITLIST_YEARS_AFTER_CARE_YEAR)).await?;
    purged.bookings = purge_bookings(&mut tx, seoul_day_start(years_before(today, BOOKING_YEARS))).await?;
    let children = format!("DELETE FROM children WHERE guardian_id IN {ERASED} AND NOT {CHILD_IN_RECORDS}");
    purged.children = tx_run!(&mut tx, c => sqlx::query(&children).execute(c).await.map(|r| r.rows_affected()))?;
    tx.commit().await?;
    Ok(purged)
}

async fn delete_each(tx: &mut Tx, statements: &[&str], ids: &[String]) -> Result<(), sqlx::Error> {
    for id in ids {
        for sql in statements {
            tx_run!(tx, c => sqlx::query(sql).bind(id).execute(c).await.map(|_| ()))?;
        }
    }
    Ok(())
}

/// Care whose last day is before `cutoff` (its offers, timeline, hours, survey and incidents go with it).
async fn purge_care(tx: &mut Tx, cutoff: NaiveDate) -> Result<usize, sqlx::Error> {
    let sql =
        format!("SELECT id, first_day, days FROM care_applications WHERE guardian_id IN {ERASED} AND first_day < $1");
    let rows: Vec<(String, NaiveDate, i32)> = tx_run!(tx, c => sqlx::query_as(&sql).bind(cutoff).fetch_all(c).await)?;
    let ended = |first: NaiveDate, days: i32| first + chrono::Duration::days(i64::from(days.max(1)) - 1) < cutoff;
    let ids: Vec<String> = rows.into_iter().filter(|(_, first, days)| ended(*first, *days)).map(|r| r.0).collect();
    delete_each(tx, &["DELETE FROM care_applications WHERE id = $1"], &ids).await?;
    Ok(ids.len())
}

/// Waiting-list applications decided in a 보육연도 that ended before `cutoff`, with their round results and
/// offers.
async fn purge_waitlist(tx: &mut Tx, cutoff: NaiveDate) -> Result<usize, sqlx::Error> {
    let sql = format!(
        "SELECT id, updated_at FROM waitlist_applications WHERE guardian_id IN {ERASED} AND status <> 'waiting'"
    );
    let rows: Vec<(String, Millis)> = tx_run!(tx, c => sqlx::query_as(&sql).fetch_all(c).await)?;
    let ids: Vec<String> =
        rows.into_iter().filter(|(_, decided)| care_year_end(seoul_date(*decided)) < cutoff).map(|r| r.0).collect();
    let statements = [
        "DELETE FROM allocation_results WHERE application_id = $1",
        "DELETE FROM waitlist_offers WHERE application_id = $1",
        "DELETE FROM waitlist_applications WHERE id = $1",
    ];
    delete_each(tx, &statements, &ids).await?;
    Ok(ids.len())
}

/// Bookings for a time that ended before `cutoff`, with their slots and the waits they were offered to.
async fn purge_bookings(tx: &mut Tx, cutoff: Millis) -> Result<usize, sqlx::Error> {
    let sql = format!("SELECT id FROM bookings WHERE user_id IN {ERASED} AND ends_at < $1");
    let ids: Vec<String> = tx_run!(tx, c => sqlx::query_scalar(&sql).bind(cutoff).fetch_all(c).await)?;
    let statements = [
        "DELETE FROM booking_slots WHERE booking_id = $1",
        "UPDATE space_waits SET booking_id = NULL WHERE booking_id = $1",
        "DELETE FROM bookings WHERE id = $1",
    ];
    delete_each(tx, &statements, &ids).await?;
    Ok(ids.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_care_year_runs_from_march_to_february() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(care_year_end(day(2026, 11, 28)), day(2027, 2, 28));
        assert_eq!(care_year_end(day(2027, 2, 10)), day(2027, 2, 28));
        assert_eq!(care_year_end(day(2027, 3, 1)), day(2028, 2, 29), "a leap year");
        assert_eq!(years_before(day(2031, 2, 28), 3), day(2028, 2, 28));
    }
}
