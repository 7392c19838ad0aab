//! Photos of facilities: uploaded by their staff (JPEG, PNG or WebP, known by their first bytes, not by what the
//! browser claims), kept in the database, listed on the facility as `/places/photos/{id}`, served with `nosniff`.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};

use super::model::Facility;
use super::provider::{FacilityForm, editable, form_page};
use super::store;
use crate::app::AppState;
use crate::auth::{CsrfUpload, Visitor};
use crate::db::change_log::{self, Op};
use crate::db::time::now_millis;
use crate::db::{Db, new_id};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::web::render_with_status;
use crate::{db_run, tx_run};

pub const MAX_BYTES: usize = 1_500_000;
pub const MAX_PHOTOS: usize = 8;
pub const PATH_PREFIX: &str = "/places/photos/";

/// The image type by its magic bytes.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    match bytes {
        [0xFF, 0xD8, 0xFF, ..] => Some("image/jpeg"),
        [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, ..] => Some("image/png"),
        [b'R', b'I', b'F', b'F', _, _, _, _, b'W', b'E', b'B', b'P', ..] => Some("image/webp"),
        _ => None,
    }
}

/// Stores the photo and lists it on the facility, in one transaction; returns the facility as it is now.
async fn add(
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

fn check(files: &[crate::auth::UploadedFile], already: usize) -> Result<(&'static str, &[u8]), FieldErrors> {
    let mut errors = FieldErrors::default();
    let file = files.iter().find(|f| f.field == "photo" && !f.bytes.is_empty());
    let code = match file {
        None => Some("place-error-photo-missing"),
        Some(_) if already >= MAX_PHOTOS => Some("place-error-photo-count"),
        Some(f) if f.bytes.len() > MAX_BYTES => Some("place-error-photo-size"),
        Some(f) if sniff(&f.bytes).is_none() => Some("place-error-photo-type"),
        Some(_) => None,
    };
    if let Some(code) = code {
        errors.add("photo", code);
        return Err(errors);
    }
    let file = file.map(|f| f.bytes.as_slice()).unwrap_or_default();
    Ok((sniff(file).unwrap_or_default(), file))
}

/// `POST /provider/facilities/{id}/photos`
pub async fn upload(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
    CsrfUpload(files): CsrfUpload,
) -> AppResult<Response> {
    let f = editable(&state, &visitor, &id).await?;
    match check(&files, f.photos.len()) {
        Ok((content_type, bytes)) => {
            let updated = add(&state.db, state.municipality(), &f, content_type, bytes).await?;
            state.places.upsert_facility(updated);
            Ok(Redirect::to(&format!("/provider/facilities/{id}")).into_response())
        }
        Err(errors) => {
            let form = FacilityForm::from_facility(&f);
            render_with_status(axum::http::StatusCode::UNPROCESSABLE_ENTITY, &form_page(&visitor, f, form, errors))
        }
    }
}

/// `GET /places/photos/{id}`
pub async fn serve(State(state): State<AppState>, Path(id): Path<String>) -> AppResult<Response> {
    let sql = "SELECT p.content_type, p.bytes FROM facility_photos p JOIN facilities f ON f.id = p.facility_id \
               WHERE p.id = $1 AND f.municipality_code = $2";
    let row: Option<(String, Vec<u8>)> =
        db_run!(&state.db, p => sqlx::query_as(sql).bind(&id).bind(state.municipality()).fetch_optional(p).await)?;
    let (content_type, bytes) = row.ok_or(AppError::NotFound)?;
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            // Short: a photo its staff removed must stop being served by caches soon after.
            (header::CACHE_CONTROL, "public, max-age=300".to_string()),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
        ],
        bytes,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_are_known_by_their_first_bytes() {
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0]), Some("image/jpeg"));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n...."), Some("image/png"));
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 "), Some("image/webp"));
        assert_eq!(sniff(b"<svg onload=alert(1)>"), None);
        assert_eq!(sniff(b"GIF89a"), None);
    }
}
