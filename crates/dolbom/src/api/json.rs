use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use serde::de::DeserializeOwned;

use crate::error::AppError;

/// `Json<T>` whose rejections are problem documents: 415 without a JSON content type, 400 for malformed JSON,
/// 400 for JSON of the wrong shape. Request types keep their fields optional, so a missing or empty field is
/// reported per field with 422 by validation instead.
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, AppError> {
        match axum::Json::<T>::from_request(request, state).await {
            Ok(axum::Json(value)) => Ok(ApiJson(value)),
            Err(JsonRejection::MissingJsonContentType(_)) => Err(AppError::UnsupportedMediaType),
            Err(JsonRejection::JsonSyntaxError(_)) => Err(AppError::BadRequest("json_syntax")),
            Err(JsonRejection::JsonDataError(_)) => Err(AppError::BadRequest("json_shape")),
            Err(_) => Err(AppError::BadRequest("body_unreadable")),
        }
    }
}
