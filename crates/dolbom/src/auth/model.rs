use std::fmt;
use std::str::FromStr;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use serde::Serialize;

use super::csrf::CsrfToken;
use crate::error::AppError;
use crate::i18n::Locale;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Resident,
    ProviderStaff,
    Caregiver,
    WelfareWorker,
    GroupLeader,
    Official,
    Admin,
}

impl Role {
    pub const ALL: [Role; 7] = [
        Role::Resident,
        Role::ProviderStaff,
        Role::Caregiver,
        Role::WelfareWorker,
        Role::GroupLeader,
        Role::Official,
        Role::Admin,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Resident => "resident",
            Role::ProviderStaff => "provider_staff",
            Role::Caregiver => "caregiver",
            Role::WelfareWorker => "welfare_worker",
            Role::GroupLeader => "group_leader",
            Role::Official => "official",
            Role::Admin => "admin",
        }
    }

    /// Staff act for an organization and, where it matters, for some 행정동s.
    pub fn is_staff(self) -> bool {
        !matches!(self, Role::Resident)
    }

    /// Roles whose accounts must belong to an organization.
    pub fn needs_organization(self) -> bool {
        matches!(self, Role::ProviderStaff | Role::Caregiver | Role::WelfareWorker | Role::GroupLeader)
    }

    /// Roles whose work is bounded by 행정동s, so an account without any could do nothing.
    pub fn needs_areas(self) -> bool {
        matches!(self, Role::WelfareWorker)
    }

    /// Catalog key of the role's name.
    pub fn label_key(self) -> String {
        format!("role-{}", self.as_str().replace('_', "-"))
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl FromStr for Role {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        Role::ALL.into_iter().find(|r| r.as_str() == s).ok_or(())
    }
}

/// The signed-in account behind a request.
#[derive(Clone, Debug)]
pub struct CurrentUser {
    pub id: String,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub organization_id: Option<String>,
    /// 행정동 codes (`adm_cd2`) a staff account is scoped to; empty means none.
    pub areas: Vec<String>,
    pub session_id: String,
}

/// Who is asking: set on every request by the session middleware.
#[derive(Clone, Debug)]
pub struct Visitor {
    pub user: Option<CurrentUser>,
    pub locale: Locale,
    /// The CSRF token forms must echo back.
    pub csrf: CsrfToken,
    pub ip: String,
    /// Path and query of the request, for links back to it (language switch, log-in `next`).
    pub path: String,
    /// The municipality's name in the visitor's language.
    pub place: String,
}

impl<S: Send + Sync> FromRequestParts<S> for Visitor {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        parts
            .extensions
            .get::<Visitor>()
            .cloned()
            .ok_or_else(|| AppError::Internal("session middleware missing".into()))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        Visitor::from_request_parts(parts, state).await?.user.ok_or(AppError::Unauthorized)
    }
}
