use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::header::CONTENT_TYPE;
use serde::de::DeserializeOwned;

use crate::error::{AppError, FieldErrors};

/// A JSON body whose rejections are problem documents: 415 without a JSON content type, 400 for malformed JSON,
/// 422 naming the field (`email`, `children[0].birth_date`) whose value has the wrong type. Request types keep their
/// fields optional, so a missing or empty field is reported per field with 422 by validation.
pub struct ApiJson<T>(pub T);

fn is_json(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    essence == "application/json" || (essence.starts_with("application/") && essence.ends_with("+json"))
}

impl<S, T> FromRequest<S> for ApiJson<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, AppError> {
        let content_type = request.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
        if !is_json(content_type) {
            return Err(AppError::UnsupportedMediaType);
        }
        let body = Bytes::from_request(request, state).await.map_err(|_| AppError::BadRequest("body_unreadable"))?;
        let mut deserializer = serde_json::Deserializer::from_slice(&body);
        let value: T = serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
            use serde_json::error::Category;
            match e.inner().classify() {
                Category::Data => {
                    let mut errors = FieldErrors::default();
                    let path = e.path().to_string();
                    errors.add(if path == "." { "body".to_string() } else { path }, "field-type-invalid");
                    AppError::Invalid(errors)
                }
                Category::Syntax | Category::Eof | Category::Io => AppError::BadRequest("json_syntax"),
            }
        })?;
        deserializer.end().map_err(|_| AppError::BadRequest("json_syntax"))?;
        Ok(ApiJson(value))
    }
}

#[cfg(test)]
mod tests {
    use super::is_json;

    #[test]
    fn json_content_types() {
        assert!(is_json("application/json"));
        assert!(is_json("application/json; charset=utf-8"));
        assert!(is_json("application/problem+json"));
        assert!(!is_json("text/plain"));
        assert!(!is_json(""));
    }
}
