//! SQL of caregivers (방문형 돌봄): where they start from, when they are available, their weekly limit, and their
//! credentials with expiry dates.

use chrono::NaiveDate;
use serde::Serialize;

use crate::db::Db;
use crate::places::hours::{DAYS, Span, WeeklyHours};
use crate::{db_run, tx_run};

/// Credential kinds (`credential-*`); `infant` and `special_needs` are what the matcher asks for.
pub const CREDENTIALS: [&str; 5] = ["basic", "infant", "special_needs", "first_aid", "background_check"];

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Credential {
    pub kind: String,
    pub number: String,
    pub expires_on: Option<NaiveDate>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Caregiver {
    pub user_id: String,
    pub name: String,
    pub sex: String,
    pub latitude: f64,
    pub longitude: f64,
    pub languages: Vec<String>,
    pub weekly_limit_minutes: i32,
    pub hours: WeeklyHours,
    pub credentials: Vec<Credential>,
}

impl Caregiver {
    /// The credentials valid on a day (no expiry, or expiring on or after it).
    pub fn qualifications_on(&self, day: NaiveDate) -> Vec<String> {
        self.credentials.iter().filter(|c| c.expires_on.is_none_or(|e| e >= day)).map(|c| c.kind.clone()).collect()
    }
}

/// Writes a caregiver whole (row, hours, credentials).
pub async fn upsert(db: &Db, municipality: &str, c: &Caregiver) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    let sql = "INSERT INTO caregivers (user_id, municipality_code, name, sex, latitude, longitude, languages, \
               weekly_limit_minutes, active) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, TRUE) \
               ON CONFLICT (user_id) DO UPDATE SET name = excluded.name, sex = excluded.sex, \
               latitude = excluded.latitude, longitude = excluded.longitude, languages = excluded.languages, \
               weekly_limit_minutes = excluded.weekly_limit_minutes";
    tx_run!(&mut tx, x => sqlx::query(sql).bind(&c.user_id).bind(municipality).bind(&c.name).bind(&c.sex)
        .bind(c.latitude).bind(c.longitude).bind(c.languages.join(",")).bind(c.weekly_limit_minutes)
        .execute(x).await.map(|_| ()))?;
    for table in ["caregiver_hours", "caregiver_credentials"] {
        let sql = format!("DELETE FROM {table} WHERE caregiver_id = $1");
        tx_run!(&mut tx, x => sqlx::query(&sql).bind(&c.user_id).execute(x).await.map(|_| ()))?;
    }
    for (day, span) in c.hours.0.iter().enumerate() {
        let Some(span) = span else { continue };
        let sql = "INSERT INTO caregiver_hours (caregiver_id, day, opens, closes) VALUES ($1, $2, $3, $4)";
        tx_run!(&mut tx, x => sqlx::query(sql).bind(&c.user_id).bind(day as i32).bind(i32::from(span.opens))
            .bind(i32::from(span.closes)).execute(x).await.map(|_| ()))?;
    }
    for cred in &c.credentials {
        let sql = "INSERT INTO caregiver_credentials (caregiver_id, kind, number, expires_on) VALUES ($1, $2, $3, $4)";
        tx_run!(&mut tx, x => sqlx::query(sql).bind(&c.user_id).bind(&cred.kind).bind(&cred.number)
            .bind(cred.expires_on).execute(x).await.map(|_| ()))?;
    }
    tx.commit().await
}

type Row = (String, String, String, f64, f64, String, i32);

/// The active caregivers of the municipality, whole.
pub async fn active(db: &Db, municipality: &str) -> Result<Vec<Caregiver>, sqlx::Error> {
    let sql = "SELECT user_id, name, sex, latitude, longitude, languages, weekly_limit_minutes FROM caregivers \
               WHERE municipality_code = $1 AND active ORDER BY name, user_id";
    let rows: Vec<Row> = db_run!(db, p => sqlx::query_as(sql).bind(municipality).fetch_all(p).await)?;
    let hours_sql = "SELECT h.caregiver_id, h.day, h.opens, h.closes FROM caregiver_hours h \
                     JOIN caregivers c ON c.user_id = h.caregiver_id WHERE c.municipality_code = $1";
    let hours: Vec<(String, i32, i32, i32)> =
        db_run!(db, p => sqlx::query_as(hours_sql).bind(municipality).fetch_all(p).await)?;
    let creds_sql = "SELECT r.caregiver_id, r.kind, r.number, r.expires_on FROM caregiver_credentials r \
                     JOIN caregivers c ON c.user_id = r.caregiver_id WHERE c.municipality_code = $1 ORDER BY r.kind";
    let creds: Vec<(String, String, String, Option<NaiveDate>)> =
        db_run!(db, p => sqlx::query_as(creds_sql).bind(municipality).fetch_all(p).await)?;
    Ok(rows
        .into_iter()
        .map(|(user_id, name, sex, latitude, longitude, languages, weekly_limit_minutes)| {
            let mut week = WeeklyHours([None; DAYS]);
            for (_, day, opens, closes) in hours.iter().filter(|h| h.0 == user_id) {
                if let (Some(slot), Ok(span)) =
                    (week.0.get_mut(*day as usize), Span::new(*opens as u16, *closes as u16))
                {
                    *slot = Some(span);
                }
            }
            let credentials = creds
                .iter()
                .filter(|c| c.0 == user_id)
                .map(|(_, kind, number, expires_on)| Credential {
                    kind: kind.clone(),
                    number: number.clone(),
                    expires_on: *expires_on,
                })
                .collect();
            Caregiver {
                languages: languages.split(',').filter(|l| !l.is_empty()).map(str::to_string).collect(),
                user_id,
                name,
                sex,
                latitude,
                longitude,
                weekly_limit_minutes,
                hours: week,
                credentials,
            }
        })
        .collect())
}

/// Emergency places per facility (facilities without any are not offered emergency care).
pub async fn facility_places(db: &Db) -> Result<Vec<(String, i64)>, sqlx::Error> {
    let sql = "SELECT facility_id, COUNT(*) FROM care_seats GROUP BY facility_id";
    db_run!(db, p => sqlx::query_as(sql).fetch_all(p).await)
}
