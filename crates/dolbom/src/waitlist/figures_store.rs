//! SQL behind the waitlist's figures: every application's time on the list with its choices and home, and the
//! time from application to a place accepted.

use std::collections::HashMap;

use super::figures::Stint;
use crate::db::Db;
use crate::db::time::Millis;
use crate::db_run;

/// Every application of the municipality with its choices.
pub async fn stints(db: &Db, municipality: &str) -> Result<Vec<Stint>, sqlx::Error> {
    let sql = "SELECT id, created_at, left_at, home_area FROM waitlist_applications WHERE municipality_code = $1 \
               ORDER BY id";
    let rows: Vec<(String, Millis, Option<Millis>, Option<String>)> =
        db_run!(db, p => sqlx::query_as(sql).bind(municipality).fetch_all(p).await)?;
    let choices_sql = "SELECT c.application_id, c.facility_id FROM waitlist_choices c JOIN waitlist_applications a \
                       ON a.id = c.application_id WHERE a.municipality_code = $1 ORDER BY c.application_id, c.rank";
    let choices: Vec<(String, String)> =
        db_run!(db, p => sqlx::query_as(choices_sql).bind(municipality).fetch_all(p).await)?;
    let mut by_application: HashMap<String, Vec<String>> = HashMap::new();
    for (application, facility) in choices {
        by_application.entry(application).or_default().push(facility);
    }
    Ok(rows
        .into_iter()
        .map(|(id, created_at, left_at, home_area)| Stint {
            created_at,
            left_at,
            home_area,
            choices: by_application.remove(&id).unwrap_or_default(),
        })
        .collect())
}

/// (applied, accepted) for every place accepted or taken up.
pub async fn placement_spans(db: &Db, municipality: &str) -> Result<Vec<(Millis, Millis)>, sqlx::Error> {
    let sql = "SELECT a.created_at, o.answered_at FROM waitlist_offers o JOIN waitlist_applications a \
               ON a.id = o.application_id WHERE a.municipality_code = $1 AND o.status IN ('accepted', 'enrolled') \
               AND o.answered_at IS NOT NULL";
    db_run!(db, p => sqlx::query_as(sql).bind(municipality).fetch_all(p).await)
}
