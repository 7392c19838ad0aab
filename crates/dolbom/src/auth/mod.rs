//! Accounts, sessions, roles and the one permission mechanism every route goes through.

pub mod accounts;
pub mod admin;
pub mod admin_store;
mod csrf;
pub mod model;
pub mod password;
mod permission;
pub mod routes;
pub mod session;
pub mod store;
pub mod upload;

pub use csrf::{CsrfForm, CsrfToken, NoFields};
pub use model::{CurrentUser, Role, Visitor};
pub use permission::{Permission, require};
pub use upload::{CsrfUpload, UploadedFile};
