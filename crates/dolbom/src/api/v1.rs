//! Foundation endpoints of `/api/v1`: who am I, sign up, the municipality's 행정동s.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;

use super::ApiJson;
use crate::app::AppState;
use crate::areas::Area;
use crate::auth::accounts::{self, SignupInput};
use crate::auth::{CurrentUser, Role, Visitor};
use crate::error::{AppError, AppResult};

#[derive(Serialize, utoipa::ToSchema)]
pub struct Me {
    pub id: String,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub organization_id: Option<String>,
    /// 행정동 codes the account is scoped to.
    pub areas: Vec<String>,
}

/// The signed-in account.
#[utoipa::path(get, path = "/api/v1/me", tag = "accounts",
    responses((status = 200, body = Me), (status = 401, description = "Not signed in", body = super::problem::Problem)))]
pub async fn me(user: CurrentUser) -> Json<Me> {
    Json(Me {
        id: user.id,
        email: user.email,
        display_name: user.display_name,
        role: user.role,
        organization_id: user.organization_id,
        areas: user.areas,
    })
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Created {
    pub id: String,
}

/// Creates a resident account. Every invalid field is reported at once, in the language of `Accept-Language`.
#[utoipa::path(post, path = "/api/v1/accounts", tag = "accounts", request_body = SignupInput,
    responses((status = 201, body = Created),
              (status = 400, description = "Malformed JSON", body = super::problem::Problem),
              (status = 415, description = "Not JSON", body = super::problem::Problem),
              (status = 422, description = "Invalid fields, one entry each", body = super::problem::Problem)))]
pub async fn create_account(
    State(state): State<AppState>,
    visitor: Visitor,
    ApiJson(input): ApiJson<SignupInput>,
) -> AppResult<(StatusCode, Json<Created>)> {
    if input.validate().is_ok() && !state.allow_credential_attempt(&visitor.ip) {
        return Err(AppError::TooManyRequests);
    }
    let id = accounts::register_resident(&state.db, state.municipality(), &input).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// The municipality's 행정동s with their population (행정안전부, June 2026).
#[utoipa::path(get, path = "/api/v1/areas", tag = "areas", responses((status = 200, body = [Area])))]
pub async fn areas(State(state): State<AppState>) -> Json<Vec<Area>> {
    Json(state.areas.all().to_vec())
}
