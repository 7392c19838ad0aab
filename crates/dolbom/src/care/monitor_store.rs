//! The figures officials watch, per provider (facility or caregiver): how fast they answer offers, how many they
//! accept, hours of care given, satisfaction, incidents; and caregivers' credentials near or past expiry.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::db::Db;
use crate::db_run;

#[derive(Clone, Debug, Default, Serialize)]
pub struct ProviderFigures {
    pub id: String,
    pub name: String,
    pub offers: i64,
    pub accepted: i64,
    /// Mean minutes from offer to answer, over answered offers.
    pub response_minutes: Option<f64>,
    pub care_hours: f64,
    pub surveys: i64,
    pub satisfaction: Option<f64>,
    pub incidents: i64,
}

impl ProviderFigures {
    /// Share of offers accepted, in per cent.
    pub fn acceptance(&self) -> Option<f64> {
        (self.offers > 0).then(|| self.accepted as f64 * 100.0 / self.offers as f64)
    }
}

/// Provider, name, offers, accepted, mean minutes to answer.
type OfferRow = (String, Option<String>, i64, i64, Option<f64>);

const PROVIDER: &str = "COALESCE(a.facility_id, a.caregiver_id)";
const NAME: &str = "COALESCE((SELECT f.name FROM facilities f WHERE f.id = a.facility_id), \
    (SELECT g.name FROM caregivers g WHERE g.user_id = a.caregiver_id))";

/// Figures per provider, busiest first.
pub async fn per_provider(db: &Db, municipality: &str) -> Result<Vec<ProviderFigures>, sqlx::Error> {
    let offers_sql = "SELECT COALESCE(o.facility_id, o.caregiver_id), COALESCE((SELECT f.name FROM facilities f \
        WHERE f.id = o.facility_id), (SELECT g.name FROM caregivers g WHERE g.user_id = o.caregiver_id)), COUNT(*), \
        SUM(CASE WHEN o.answer = 'accepted' THEN 1 ELSE 0 END), \
        CAST(AVG(CASE WHEN o.answer IN ('accepted', 'declined') THEN (o.answered_at - o.offered_at) / 60000.0 END) \
        AS DOUBLE PRECISION) \
        FROM care_offers o JOIN care_applications a ON a.id = o.application_id WHERE a.municipality_code = $1 \
        GROUP BY 1, 2";
    let offers: Vec<OfferRow> = db_run!(db, p => sqlx::query_as(offers_sql).bind(municipality).fetch_all(p).await)?;
    let care_sql = format!(
        "SELECT {PROVIDER}, {NAME}, CAST(SUM((a.end_minute - a.start_minute) * a.days) / 60.0 AS DOUBLE PRECISION) FROM care_applications a \
         WHERE a.municipality_code = $1 AND a.status = 'completed' GROUP BY 1, 2"
    );
    let care: Vec<(String, Option<String>, Option<f64>)> =
        db_run!(db, p => sqlx::query_as(&care_sql).bind(municipality).fetch_all(p).await)?;
    let survey_sql = format!(
        "SELECT {PROVIDER}, {NAME}, COUNT(*), CAST(AVG(s.satisfaction * 1.0) AS DOUBLE PRECISION) FROM care_surveys s \
         JOIN care_applications a ON a.id = s.application_id WHERE a.municipality_code = $1 GROUP BY 1, 2"
    );
    let surveys: Vec<(String, Option<String>, i64, Option<f64>)> =
        db_run!(db, p => sqlx::query_as(&survey_sql).bind(municipality).fetch_all(p).await)?;
    let incident_sql = format!(
        "SELECT {PROVIDER}, {NAME}, COUNT(*) FROM care_incidents i JOIN care_applications a ON a.id = i.application_id \
         WHERE a.municipality_code = $1 GROUP BY 1, 2"
    );
    let incidents: Vec<(String, Option<String>, i64)> =
        db_run!(db, p => sqlx::query_as(&incident_sql).bind(municipality).fetch_all(p).await)?;

    let mut by: BTreeMap<String, ProviderFigures> = BTreeMap::new();
    for (id, name, count, accepted, minutes) in &offers {
        let e = entry(&mut by, id, name);
        (e.offers, e.accepted, e.response_minutes) = (*count, *accepted, *minutes);
    }
    for (id, name, hours) in &care {
        entry(&mut by, id, name).care_hours = hours.unwrap_or(0.0);
    }
    for (id, name, count, mean) in &surveys {
        let e = entry(&mut by, id, name);
        (e.surveys, e.satisfaction) = (*count, *mean);
    }
    for (id, name, count) in &incidents {
        entry(&mut by, id, name).incidents = *count;
    }
    let mut out: Vec<ProviderFigures> = by.into_values().collect();
    out.sort_by(|a, b| b.offers.cmp(&a.offers).then_with(|| a.name.cmp(&b.name)));
    Ok(out)
}

fn entry<'a>(
    by: &'a mut BTreeMap<String, ProviderFigures>,
    id: &str,
    name: &Option<String>,
) -> &'a mut ProviderFigures {
    let e = by.entry(id.to_string()).or_insert_with(|| ProviderFigures { id: id.to_string(), ..Default::default() });
    if let Some(n) = name {
        e.name = n.clone();
    }
    e
}

/// Applications per status.
pub async fn per_status(db: &Db, municipality: &str) -> Result<Vec<(String, i64)>, sqlx::Error> {
    let sql =
        "SELECT status, COUNT(*) FROM care_applications WHERE municipality_code = $1 GROUP BY status ORDER BY status";
    db_run!(db, p => sqlx::query_as(sql).bind(municipality).fetch_all(p).await)
}

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Expiring {
    pub caregiver_id: String,
    pub name: String,
    pub kind: String,
    pub expires_on: NaiveDate,
}

/// Credentials expired or expiring by `until`, soonest first.
pub async fn credentials_expiring(db: &Db, municipality: &str, until: NaiveDate) -> Result<Vec<Expiring>, sqlx::Error> {
    let sql = "SELECT c.user_id AS caregiver_id, c.name, r.kind, r.expires_on FROM caregiver_credentials r \
               JOIN caregivers c ON c.user_id = r.caregiver_id WHERE c.municipality_code = $1 AND c.active \
               AND r.expires_on IS NOT NULL AND r.expires_on <= $2 ORDER BY r.expires_on, c.name";
    db_run!(db, p => sqlx::query_as(sql).bind(municipality).bind(until).fetch_all(p).await)
}
