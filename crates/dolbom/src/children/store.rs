//! SQL of children: a child is written whole (row, contacts, consents) in one transaction, and read back only by
//! the guardian who registered it.

use chrono::NaiveDate;
use serde::Serialize;

use super::model::{Contact, NewChild};
use crate::db::time::now_millis;
use crate::db::{Db, new_id};
use crate::keys::Keys;
use crate::{db_run, tx_run};

/// Registers a child; `Ok(None)` when a child with the same 주민등록번호 is already registered.
pub async fn create(
    db: &Db,
    keys: &Keys,
    municipality: &str,
    guardian_id: &str,
    c: &NewChild,
) -> Result<Option<String>, sqlx::Error> {
    let id = new_id();
    let (hash, sealed) = match &c.rrn {
        Some(rrn) => (Some(keys.rrn_hash(rrn)), Some(keys.seal_rrn(rrn))),
        None => (None, None),
    };
    let now = now_millis();
    let mut tx = db.begin().await?;
    let sql = "INSERT INTO children (id, municipality_code, guardian_id, name, birth_date, sex, school, special_needs, \
               allergies, rrn_hmac, rrn_sealed, created_at, updated_at) \
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)";
    let inserted = tx_run!(&mut tx, c2 => sqlx::query(sql)
        .bind(&id).bind(municipality).bind(guardian_id).bind(&c.name).bind(c.birth_date).bind(c.sex.to_string())
        .bind(&c.school).bind(&c.special_needs).bind(&c.allergies).bind(&hash).bind(&sealed).bind(now)
        .execute(c2).await.map(|_| ()));
    match inserted {
        Err(e) if crate::db::is_unique_violation(&e) => return Ok(None),
        other => other?,
    }
    for (position, contact) in c.contacts.iter().enumerate() {
        let sql = "INSERT INTO child_contacts (child_id, position, name, relation, phone) VALUES ($1, $2, $3, $4, $5)";
        tx_run!(&mut tx, c2 => sqlx::query(sql).bind(&id).bind(position as i32).bind(&contact.name)
            .bind(&contact.relation).bind(&contact.phone).execute(c2).await.map(|_| ()))?;
    }
    for kind in &c.consents {
        let sql = "INSERT INTO child_consents (child_id, kind, at) VALUES ($1, $2, $3)";
        tx_run!(&mut tx, c2 => sqlx::query(sql).bind(&id).bind(kind).bind(now).execute(c2).await.map(|_| ()))?;
    }
    tx.commit().await?;
    Ok(Some(id))
}

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct ChildSummary {
    pub id: String,
    pub name: String,
    pub birth_date: NaiveDate,
}

/// The guardian's children, youngest last.
pub async fn of_guardian(db: &Db, municipality: &str, guardian_id: &str) -> Result<Vec<ChildSummary>, sqlx::Error> {
    let sql = "SELECT id, name, birth_date FROM children WHERE municipality_code = $1 AND guardian_id = $2 \
               ORDER BY birth_date, name";
    db_run!(db, p => sqlx::query_as(sql).bind(municipality).bind(guardian_id).fetch_all(p).await)
}

#[derive(Clone, Debug, Serialize)]
pub struct ChildRecord {
    pub id: String,
    pub name: String,
    pub birth_date: NaiveDate,
    pub sex: String,
    pub school: Option<String>,
    pub special_needs: String,
    pub allergies: String,
    /// `180504-4******` when a number was given.
    pub rrn_masked: Option<String>,
    pub contacts: Vec<Contact>,
    pub consents: Vec<String>,
}

type Row = (String, String, NaiveDate, String, Option<String>, String, String, Option<String>);

/// One child, only for the guardian who registered it (anyone else gets `None`).
pub async fn for_guardian(
    db: &Db,
    keys: &Keys,
    municipality: &str,
    guardian_id: &str,
    id: &str,
) -> Result<Option<ChildRecord>, sqlx::Error> {
    let sql = "SELECT id, name, birth_date, sex, school, special_needs, allergies, rrn_sealed FROM children \
               WHERE id = $1 AND municipality_code = $2 AND guardian_id = $3";
    let row: Option<Row> =
        db_run!(db, p => sqlx::query_as(sql).bind(id).bind(municipality).bind(guardian_id).fetch_optional(p).await)?;
    let Some((id, name, birth_date, sex, school, special_needs, allergies, sealed)) = row else { return Ok(None) };
    let contacts_sql = "SELECT name, relation, phone FROM child_contacts WHERE child_id = $1 ORDER BY position";
    let contacts: Vec<(String, String, String)> =
        db_run!(db, p => sqlx::query_as(contacts_sql).bind(&id).fetch_all(p).await)?;
    let consents_sql = "SELECT kind FROM child_consents WHERE child_id = $1 ORDER BY kind";
    let consents: Vec<(String,)> = db_run!(db, p => sqlx::query_as(consents_sql).bind(&id).fetch_all(p).await)?;
    Ok(Some(ChildRecord {
        rrn_masked: sealed.as_deref().and_then(|s| keys.open_rrn(s)).map(|r| r.masked()),
        contacts: contacts.into_iter().map(|(name, relation, phone)| Contact { name, relation, phone }).collect(),
        consents: consents.into_iter().map(|(k,)| k).collect(),
        id,
        name,
        birth_date,
        sex,
        school,
        special_needs,
        allergies,
    }))
}

/// What care needs to know of a child: birth date (ages on the day of care) and special needs (the caregiver's
/// training). For the matcher, not for display: no access-log entry.
pub async fn care_facts(db: &Db, id: &str) -> Result<Option<(NaiveDate, String)>, sqlx::Error> {
    let sql = "SELECT birth_date, special_needs FROM children WHERE id = $1";
    db_run!(db, p => sqlx::query_as(sql).bind(id).fetch_optional(p).await)
}
