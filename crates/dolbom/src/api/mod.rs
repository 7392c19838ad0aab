//! The JSON API under `/api/v1`: RFC 9457 problem+json errors, an OpenAPI document and offline docs.

pub mod docs;
mod json;
pub mod problem;
pub mod v1;

pub use json::ApiJson;
