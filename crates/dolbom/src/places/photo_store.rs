//! SQL of facility photos: stored with the facility they show, listed on it, dropped when a save unlists them.

use super::model::Facility;
use super::photos::PATH_PREFIX;
use super::store;
use crate::db::change_log::{self, Op};
use crate::db::time::now_millis;
use crate::db::{Db, new_id};
use crate::{db_run, tx_run};

/// Stores the photo and lists it on the facility, in one transaction; returns the facility as it is now.
pub async fn add(
    db: &Db,
    municipality: &str,
    f: &Facility,
    content_type: &str,
    bytes: &[u8],
) -> Result<Facility, sqlx::Error> {
    let id = new_id();
    let mut updated = f.clone();
    updated.photos.push(format!("{PATH_PREFIX}{id}"));
    let mut tx = db.begin().await?;
    let insert =
        "INSERT INTO facility_photos (id, facility_id, content_type, bytes, created_at) VALUES ($1, $2, $3, $4, $5)";
    tx_run!(&mut tx, c => sqlx::query(insert).bind(&id).bind(&f.id).bind(content_type).bind(bytes).bind(now_millis())
        .execute(c).await.map(|_| ()))?;
    let list = "UPDATE facilities SET photos = $1, updated_at = $2 WHERE id = $3 AND municipality_code = $4";
    tx_run!(&mut tx, c => sqlx::query(list).bind(updated.photos.join("\n")).bind(now_millis()).bind(&f.id)
        .bind(municipality).execute(c).await.map(|_| ()))?;
    change_log::append(&mut tx, municipality, store::ENTITY, &f.id, Op::Upsert).await?;
    tx.commit().await?;
    Ok(updated)
}

/// Drops the stored photos a save no longer lists.
pub async fn delete_unlisted(db: &Db, f: &Facility) -> Result<(), sqlx::Error> {
    let sql = "SELECT id FROM facility_photos WHERE facility_id = $1";
    let stored: Vec<(String,)> = db_run!(db, p => sqlx::query_as(sql).bind(&f.id).fetch_all(p).await)?;
    for (id,) in stored {
        if !f.photos.iter().any(|p| p.strip_prefix(PATH_PREFIX) == Some(id.as_str())) {
            db_run!(db, p => sqlx::query("DELETE FROM facility_photos WHERE id = $1").bind(&id).execute(p).await.map(|_| ()))?;
        }
    }
    Ok(())
}

/// A photo's type and bytes, if it belongs to a facility of the municipality.
pub async fn get(db: &Db, municipality: &str, id: &str) -> Result<Option<(String, Vec<u8>)>, sqlx::Error> {
    let sql = "SELECT p.content_type, p.bytes FROM facility_photos p JOIN facilities f ON f.id = p.facility_id \
               WHERE p.id = $1 AND f.municipality_code = $2";
    db_run!(db, p => sqlx::query_as(sql).bind(id).bind(municipality).fetch_optional(p).await)
}
