//! Photos of facilities: uploaded by their staff (JPEG, PNG or WebP, known by their first bytes, not by what the
//! browser claims), kept in the database, listed on the facility as `/places/photos/{id}`, served with `nosniff`.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};

use super::photo_store;
use super::provider::{FacilityForm, editable, form_page};
use crate::app::AppState;
use crate::auth::{CsrfUpload, Visitor};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::web::render_with_status;

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

/// The one photo uploaded, its type known by its first bytes, when there is room for it.
pub(crate) fn check(files: &[crate::auth::UploadedFile], already: usize) -> Result<(&'static str, &[u8]), FieldErrors> {
    let mut errors = FieldErrors::default();
    let file = files.iter().find(|f| f.field == "photo" && !f.bytes.is_empty());
    let code = match file {
        None => "place-error-photo-missing",
        Some(_) if already >= MAX_PHOTOS => "place-error-photo-count",
        Some(f) if f.bytes.len() > MAX_BYTES => "place-error-photo-size",
        Some(f) => match sniff(&f.bytes) {
            Some(content_type) => return Ok((content_type, &f.bytes)),
            None => "place-error-photo-type",
        },
    };
    errors.add("photo", code);
    Err(errors)
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
            let updated = photo_store::add(&state.db, state.municipality(), &f, content_type, bytes).await?;
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
    let row = photo_store::get(&state.db, state.municipality(), &id).await?;
    let (content_type, bytes) = row.ok_or(AppError::NotFound)?;
    Ok(image_response(content_type, bytes))
}

/// A stored photo as served: its own type, never sniffed by the browser, cached briefly (a photo its owner
/// removed must stop being served by caches soon after).
pub fn image_response(content_type: String, bytes: Vec<u8>) -> Response {
    let headers = [
        (header::CONTENT_TYPE, content_type),
        (header::CACHE_CONTROL, "public, max-age=300".to_string()),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
    ];
    (headers, bytes).into_response()
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
