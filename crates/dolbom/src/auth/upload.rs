//! `CsrfUpload`: the only way a handler reads a file upload (multipart/form-data). Its first part must be the
//! `csrf` field matching this browser's token, checked before any file is read. Any other body goes through the
//! form check first (a form without the token: 403; anything else: 415) and is then refused as the wrong kind.

use axum::extract::{FromRequest, Multipart, Request};
use axum::http::header::CONTENT_TYPE;

use super::csrf::{expected_token, token_matches};
use crate::error::AppError;

/// One uploaded file: its field name and its bytes (what it is, the receiver finds out from the bytes).
pub struct UploadedFile {
    pub field: String,
    /// The name the browser gave the file, if any.
    pub file_name: Option<String>,
    pub bytes: Vec<u8>,
}

/// The text of the field named `field` among `files` (a form's plain fields come as parts too); empty if absent.
pub fn text_field(files: &[UploadedFile], field: &str) -> String {
    files.iter().find(|f| f.field == field).map(|f| String::from_utf8_lossy(&f.bytes).into_owned()).unwrap_or_default()
}

pub struct CsrfUpload(pub Vec<UploadedFile>);

impl<S: Send + Sync> FromRequest<S> for CsrfUpload {
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, AppError> {
        let expected = expected_token(&request)?;
        let multipart = request
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("multipart/form-data"));
        if !multipart {
            // Checked as a form first, so a forged post is refused as forged; a genuine one is the wrong kind.
            super::CsrfForm::<std::collections::HashMap<String, String>>::from_request(request, state).await?;
            return Err(AppError::UnsupportedMediaType);
        }
        let mut parts =
            Multipart::from_request(request, state).await.map_err(|_| AppError::BadRequest("form_malformed"))?;
        let unreadable = |_| AppError::BadRequest("body_unreadable");
        let token = match parts.next_field().await.map_err(unreadable)? {
            Some(field) if field.name() == Some("csrf") => field.text().await.map_err(unreadable)?,
            _ => String::new(),
        };
        if !token_matches(&expected, &token) {
            return Err(AppError::Csrf);
        }
        let mut files = Vec::new();
        while let Some(field) = parts.next_field().await.map_err(unreadable)? {
            let name = field.name().unwrap_or_default().to_string();
            let file_name = field.file_name().map(str::to_string);
            let bytes = field.bytes().await.map_err(|_| AppError::BadRequest("upload_too_large"))?;
            files.push(UploadedFile { field: name, file_name, bytes: bytes.to_vec() });
        }
        Ok(CsrfUpload(files))
    }
}
