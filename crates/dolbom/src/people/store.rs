use chrono::NaiveDate;

use super::model::{HouseholdSummary, ResidentRecord, mask_name};
use super::reach::reaches;
use crate::areas::Areas;
use crate::audit::{self, Purpose, Reader, RecordKind};
use crate::auth::Role;
use crate::db::change_log::{self, Op};
use crate::db::time::{age_on, now_millis, seoul_today};
use crate::db::{Db, Tx};
use crate::error::AppError;
use crate::keys::Keys;
use crate::{db_run, tx_run};

/// The 행정동s a reader may see: officials the whole municipality, everyone else only their own.
fn scope<'a>(reader: &'a Reader<'_>) -> Option<&'a [String]> {
    match reader.user.role {
        Role::Official => None,
        _ => Some(&reader.user.areas),
    }
}

#[derive(sqlx::FromRow)]
struct HouseholdRow {
    id: String,
    adm_cd2: String,
    head_name: Option<String>,
    members: i64,
}

pub const LIST_LIMIT: i64 = 100;

/// Households in the reader's scope (optionally one 행정동), with masked names only: not a record read.
pub async fn list_households(
    db: &Db,
    reader: &Reader<'_>,
    areas: &Areas,
    area: Option<&str>,
) -> Result<Vec<HouseholdSummary>, sqlx::Error> {
    let wanted: Vec<String> = match (scope(reader), area) {
        (Some(mine), Some(a)) => mine.iter().filter(|m| *m == a).cloned().collect(),
        (Some(mine), None) => mine.to_vec(),
        (None, Some(a)) => vec![a.to_string()],
        (None, None) => areas.all().iter().map(|a| a.adm_cd2.clone()).collect(),
    };
    let mut out = Vec::new();
    for adm_cd2 in wanted {
        let sql = "SELECT h.id, h.adm_cd2, \
                   (SELECT r.name FROM residents r WHERE r.household_id = h.id AND r.relation = 'head' LIMIT 1) AS head_name, \
                   (SELECT COUNT(*) FROM residents r WHERE r.household_id = h.id) AS members \
                   FROM households h WHERE h.municipality_code = $1 AND h.adm_cd2 = $2 ORDER BY h.id LIMIT $3";
        let rows: Vec<HouseholdRow> = db_run!(db, p => sqlx::query_as(sql)
            .bind(reader.municipality)
            .bind(&adm_cd2)
            .bind(LIST_LIMIT)
            .fetch_all(p)
            .await)?;
        out.extend(rows.into_iter().map(|r| HouseholdSummary {
            area_name: areas.name_of(&r.adm_cd2).unwrap_or_default().to_string(),
            id: r.id,
            adm_cd2: r.adm_cd2,
            head: mask_name(r.head_name.as_deref().unwrap_or_default()),
            members: r.members,
        }));
    }
    Ok(out)
}

#[derive(sqlx::FromRow)]
struct ResidentRow {
    id: String,
    household_id: String,
    name: String,
    birth_date: NaiveDate,
    sex: String,
    relation: String,
    phone: Option<String>,
    rrn_sealed: Option<String>,
    address: String,
    adm_cd2: String,
}

/// A resident's whole record for staff: within reach (`super::reach`), logged with its purpose, or nothing. Out of
/// reach and unknown ids look alike (404), so a worker cannot probe who lives elsewhere.
pub async fn read_resident(
    db: &Db,
    keys: &Keys,
    areas: &Areas,
    reader: &Reader<'_>,
    id: &str,
    purpose: Purpose,
) -> Result<ResidentRecord, AppError> {
    let sql = "SELECT r.id, r.household_id, r.name, r.birth_date, r.sex, r.relation, r.phone, r.rrn_sealed, \
               h.address, h.adm_cd2 FROM residents r JOIN households h ON h.id = r.household_id \
               WHERE r.id = $1 AND r.municipality_code = $2";
    let row: Option<ResidentRow> =
        db_run!(db, p => sqlx::query_as(sql).bind(id).bind(reader.municipality).fetch_optional(p).await)?;
    let row = row.ok_or(AppError::NotFound)?;
    if !reaches(db, reader, &row.household_id, &row.adm_cd2).await? {
        return Err(AppError::NotFound);
    }
    audit::record_read(db, reader, RecordKind::Resident, &row.id, purpose).await?;
    Ok(ResidentRecord {
        age: age_on(row.birth_date, seoul_today()),
        rrn_masked: row.rrn_sealed.as_deref().and_then(|s| keys.open_rrn(s)).map(|r| r.masked()),
        area_name: areas.name_of(&row.adm_cd2).unwrap_or_default().to_string(),
        id: row.id,
        household_id: row.household_id,
        name: row.name,
        birth_date: row.birth_date,
        sex: row.sex,
        relation: row.relation,
        phone: row.phone,
        address: row.address,
        adm_cd2: row.adm_cd2,
    })
}

/// Who lives in a household (masked names, relations), for staff with a purpose: within reach and logged, or 404.
pub async fn household_members(
    db: &Db,
    reader: &Reader<'_>,
    household_id: &str,
    purpose: Purpose,
) -> Result<Vec<(String, String, String)>, AppError> {
    let sql = "SELECT r.id, r.name, r.relation, h.adm_cd2 FROM residents r JOIN households h ON h.id = r.household_id \
               WHERE h.id = $1 AND h.municipality_code = $2 ORDER BY r.birth_date";
    let rows: Vec<(String, String, String, String)> =
        db_run!(db, p => sqlx::query_as(sql).bind(household_id).bind(reader.municipality).fetch_all(p).await)?;
    let Some(adm_cd2) = rows.first().map(|r| r.3.clone()) else { return Err(AppError::NotFound) };
    if !reaches(db, reader, household_id, &adm_cd2).await? {
        return Err(AppError::NotFound);
    }
    audit::record_read(db, reader, RecordKind::Household, household_id, purpose).await?;
    Ok(rows.into_iter().map(|(id, name, relation, _)| (id, mask_name(&name), relation)).collect())
}

/// A household's address and 행정동 (for a member joining it; the caller has checked the reader's reach).
pub async fn household_place(db: &Db, household_id: &str) -> Result<(String, String), sqlx::Error> {
    let sql = "SELECT address, adm_cd2 FROM households WHERE id = $1";
    db_run!(db, p => sqlx::query_as(sql).bind(household_id).fetch_one(p).await)
}

/// A resident's household, name, birth date and 행정동 (intake shows them masked as a likely match).
pub async fn resident_place(db: &Db, id: &str) -> Result<Option<(String, String, NaiveDate, String)>, sqlx::Error> {
    let sql = "SELECT r.household_id, r.name, r.birth_date, h.adm_cd2 FROM residents r \
               JOIN households h ON h.id = r.household_id WHERE r.id = $1";
    db_run!(db, p => sqlx::query_as(sql).bind(id).fetch_optional(p).await)
}

/// A household as the demo generator and imports write it.
pub struct NewHousehold<'a> {
    pub id: &'a str,
    pub municipality_code: &'a str,
    pub adm_cd2: &'a str,
    pub address: &'a str,
    pub lat: f64,
    pub lon: f64,
}

pub struct NewResident<'a> {
    pub id: &'a str,
    pub municipality_code: &'a str,
    pub household_id: &'a str,
    pub name: &'a str,
    pub birth_date: NaiveDate,
    pub sex: &'a str,
    pub relation: &'a str,
    pub phone: Option<&'a str>,
    /// Already hashed and sealed by [`Keys`]: the number itself never reaches the store.
    pub rrn_hmac: Option<String>,
    pub rrn_sealed: Option<String>,
}

pub async fn insert_household(tx: &mut Tx, h: &NewHousehold<'_>) -> Result<(), sqlx::Error> {
    let sql = "INSERT INTO households (id, municipality_code, adm_cd2, address, lat, lon, created_at) \
               VALUES ($1, $2, $3, $4, $5, $6, $7)";
    tx_run!(tx, c => sqlx::query(sql)
        .bind(h.id).bind(h.municipality_code).bind(h.adm_cd2).bind(h.address).bind(h.lat).bind(h.lon).bind(now_millis())
        .execute(c).await.map(|_| ()))?;
    change_log::append(tx, h.municipality_code, "household", h.id, Op::Upsert).await
}

pub async fn insert_resident(tx: &mut Tx, r: &NewResident<'_>) -> Result<(), sqlx::Error> {
    let sql = "INSERT INTO residents (id, municipality_code, household_id, name, birth_date, sex, relation, phone, \
               rrn_hmac, rrn_sealed, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";
    tx_run!(tx, c => sqlx::query(sql)
        .bind(r.id).bind(r.municipality_code).bind(r.household_id).bind(r.name).bind(r.birth_date).bind(r.sex)
        .bind(r.relation).bind(r.phone).bind(&r.rrn_hmac).bind(&r.rrn_sealed).bind(now_millis())
        .execute(c).await.map(|_| ()))?;
    change_log::append(tx, r.municipality_code, "resident", r.id, Op::Upsert).await
}

pub async fn count_residents(db: &Db, municipality: &str) -> Result<i64, sqlx::Error> {
    let sql = "SELECT COUNT(*) FROM residents WHERE municipality_code = $1";
    let (n,): (i64,) = db_run!(db, p => sqlx::query_as(sql).bind(municipality).fetch_one(p).await)?;
    Ok(n)
}

/// Finds a resident by 주민등록번호 through its keyed hash: how agencies match a person without storing the number.
pub async fn find_by_rrn_hash(db: &Db, municipality: &str, rrn_hmac: &str) -> Result<Option<String>, sqlx::Error> {
    let sql = "SELECT id FROM residents WHERE municipality_code = $1 AND rrn_hmac = $2";
    let row: Option<(String,)> =
        db_run!(db, p => sqlx::query_as(sql).bind(municipality).bind(rrn_hmac).fetch_optional(p).await)?;
    Ok(row.map(|(id,)| id))
}
