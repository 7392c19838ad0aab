//! Documents that prove a claimed fact: the guardian uploads a PDF or a photo of the paper (known by its first
//! bytes, at most 1.5 MB), sealed at rest; staff open it beside the fact to verify, each opening in the access log,
//! served with `nosniff`, never cached.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};

use super::document_store::{self, NewDocument};
use crate::app::AppState;
use crate::audit::{self, Purpose, Reader, RecordKind};
use crate::auth::{CsrfUpload, CurrentUser, UploadedFile, Visitor};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::web::render_with_status;
use axum::http::StatusCode;

use super::routes::{ApplyForm, mine_page};

pub const MAX_BYTES: usize = 1_500_000;

/// PDF, or a photo of the paper, by its magic bytes.
fn sniff(bytes: &[u8]) -> Option<&'static str> {
    match bytes {
        [b'%', b'P', b'D', b'F', b'-', ..] => Some("application/pdf"),
        other => crate::places::photos::sniff(other),
    }
}

/// The file, or the catalog key of what is wrong with it.
fn check(files: &[UploadedFile]) -> Result<(&'static str, &[u8]), &'static str> {
    let file = files.iter().find(|f| f.field == "document" && !f.bytes.is_empty()).ok_or("waitlist-error-document")?;
    if file.bytes.len() > MAX_BYTES {
        return Err("waitlist-error-document-size");
    }
    let content_type = sniff(&file.bytes).ok_or("waitlist-error-document-type")?;
    Ok((content_type, &file.bytes))
}

/// `POST /waitlist/{id}/documents/{fact}`: the guardian's proof of a fact claimed on a waiting application.
pub async fn upload(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, fact)): Path<(String, String)>,
    visitor: Visitor,
    CsrfUpload(files): CsrfUpload,
) -> AppResult<Response> {
    let (content_type, bytes) = match check(&files) {
        Ok(file) => file,
        Err(code) => {
            let mut errors = FieldErrors::default();
            errors.add(format!("document-{id}-{fact}"), code);
            let page = mine_page(&state, &visitor, &user, ApplyForm::default(), errors).await?;
            return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    let sealed = state.keys.seal_document(bytes);
    let document = NewDocument { application_id: &id, fact: &fact, content_type, size: bytes.len(), sealed: &sealed };
    if !document_store::add(&state.db, state.municipality(), &user.id, &document).await? {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::to("/waitlist").into_response())
}

/// `GET /staff/waitlist/documents/{id}`: a document opened by staff to verify a fact.
pub async fn open(
    State(state): State<AppState>,
    visitor: Visitor,
    user: CurrentUser,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let (application, content_type, sealed) =
        document_store::get(&state.db, state.municipality(), &id).await?.ok_or(AppError::NotFound)?;
    let reader = Reader::of(&state, &user, &visitor);
    audit::record_read(&state.db, &reader, RecordKind::WaitlistApplication, &application, Purpose::EligibilityCheck)
        .await?;
    let bytes = state.keys.open_document(&sealed).ok_or_else(|| AppError::Internal("document does not open".into()))?;
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "no-store".to_string()),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
            (header::CONTENT_DISPOSITION, "inline".to_string()),
            // A PDF is a document, not a page of ours: no scripts, no forms.
            (header::CONTENT_SECURITY_POLICY, "sandbox".to_string()),
        ],
        bytes,
    )
        .into_response())
}
