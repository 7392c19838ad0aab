//! `/api/v1/spaces` and `/api/v1/bookings`: the same search, week and booking as the pages, in JSON.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

use super::fees;
use super::routes::{BookForm, SearchQuery, find, read, rule_error, taken_on};
use super::store::{self, Booking, BookingError, HoldRequest};
use super::week::{self, Week};
use crate::api::ApiJson;
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::cases::model::date;
use crate::db::time::{now_millis, seoul_local, seoul_rfc3339, seoul_today};
use crate::error::{AppError, AppResult, FieldErrors};

#[derive(Serialize, utoipa::ToSchema)]
pub struct SpaceItem {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub adm_cd2: String,
    pub address: String,
    pub lat: f64,
    pub lon: f64,
    pub capacity: i32,
    pub equipment: String,
    pub accessibility: String,
    /// Kilometres from the 행정동 asked, when one was.
    pub km: Option<f64>,
    pub slot_minutes: u16,
    pub max_booking_minutes: u16,
    pub max_week_minutes: u32,
    pub who_may_book: String,
    pub needs_approval: bool,
    pub fee_krw_per_hour: i64,
    /// Who pays nothing: `basic_livelihood`, `near_poverty`, `disability`, `national_merit`, `many_children`,
    /// `senior`, `registered_group` (claimed with `exempt_reason` when booking).
    pub fee_exempt: Vec<String>,
    pub cancel_hours: u32,
    /// Where its photos are served.
    pub photos: Vec<String>,
}

/// Spaces near a 행정동 (or all), free for a whole span when one is given.
#[utoipa::path(get, path = "/api/v1/spaces", tag = "spaces", params(SearchQuery),
    responses((status = 200, body = [SpaceItem]), (status = 422, description = "A day or time that cannot be read", body = crate::api::problem::Problem)))]
pub async fn search(State(state): State<AppState>, Query(q): Query<SearchQuery>) -> AppResult<Json<Vec<SpaceItem>>> {
    let (found, errors) = find(&state, &q).await?;
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    Ok(Json(
        found
            .into_iter()
            .map(|(s, km)| SpaceItem {
                slot_minutes: s.rules.slot_minutes,
                max_booking_minutes: s.rules.max_booking_minutes,
                max_week_minutes: s.rules.max_week_minutes,
                who_may_book: s.rules.who_may_book.as_str().to_string(),
                needs_approval: s.rules.needs_approval,
                fee_krw_per_hour: s.rules.fee_krw_per_hour,
                cancel_hours: s.rules.cancel_hours,
                fee_exempt: fees::parse_list(&s.fee_exempt).into_iter().map(|e| e.code().to_string()).collect(),
                photos: s.photos,
                id: s.id,
                name: s.name,
                kind: s.kind,
                adm_cd2: s.adm_cd2,
                address: s.address,
                lat: s.lat,
                lon: s.lon,
                capacity: s.capacity,
                equipment: s.equipment,
                accessibility: s.accessibility,
                km,
            })
            .collect(),
    ))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct AvailabilityQuery {
    /// First day (YYYY-MM-DD); today when absent.
    #[serde(default)]
    pub from: String,
    /// How many days, 1–31 (default 7). Read as text so a word gets the field's own 422, not a bare 400.
    #[serde(default)]
    #[param(value_type = Option<u64>)]
    pub days: Option<String>,
}

/// A space's slots, day by day: free, taken, closed or past.
#[utoipa::path(get, path = "/api/v1/spaces/{id}/availability", tag = "spaces",
    params(("id" = String, Path, description = "Space id"), AvailabilityQuery),
    responses((status = 200, body = Week), (status = 404, description = "No such space", body = crate::api::problem::Problem),
              (status = 422, description = "A day that cannot be read, or days not in 1–31", body = crate::api::problem::Problem)))]
pub async fn availability(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<AvailabilityQuery>,
) -> AppResult<Json<Week>> {
    let space = store::get(&state.db, state.municipality(), &id).await?.ok_or(AppError::NotFound)?;
    let days = match q.days.as_deref().map(str::trim) {
        None | Some("") => 7,
        Some(typed) => typed.parse::<u64>().unwrap_or(0),
    };
    let from = if q.from.is_empty() { Some(seoul_today()) } else { date(&q.from) };
    let (Some(from), true) = (from, (1..=31).contains(&days)) else {
        let mut errors = FieldErrors::default();
        errors.add(if (1..=31).contains(&days) { "from" } else { "days" }, "field-choice-invalid");
        return Err(AppError::Invalid(errors));
    };
    let taken = taken_on(&state, &space, from, days).await?;
    Ok(Json(week::grid(&space, from, days, &taken, seoul_local(now_millis()))))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewBooking {
    pub space_id: String,
    /// YYYY-MM-DD
    pub day: String,
    /// `10:00`
    pub start: String,
    /// `12:00`
    pub end: String,
    pub use_purpose: String,
    pub attendees: i32,
    #[serde(default)]
    pub group_name: String,
    #[serde(default)]
    pub exempt_reason: String,
    /// One key per booking the client means to make: sending it again returns the same booking.
    pub request_key: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct BookingItem {
    pub id: String,
    pub space_id: String,
    pub status: String,
    pub starts_at: String,
    pub ends_at: String,
    pub hold_expires_at: Option<String>,
    pub fee_krw: i64,
    /// The exemption claimed (`basic_livelihood`, `disability`, …), checked by the manager on the day.
    pub exempt_reason: String,
}

fn item(b: Booking) -> BookingItem {
    BookingItem {
        id: b.id,
        space_id: b.space_id,
        status: b.status,
        starts_at: seoul_rfc3339(b.starts_at),
        ends_at: seoul_rfc3339(b.ends_at),
        hold_expires_at: b.hold_expires_at.map(seoul_rfc3339),
        fee_krw: b.fee_krw,
        exempt_reason: b.exempt_reason,
    }
}

/// Holds a span (confirm it with `/api/v1/bookings/{id}/confirm`); 409 when another booking holds a slot of it.
#[utoipa::path(post, path = "/api/v1/bookings", tag = "spaces", request_body = NewBooking,
    responses((status = 201, body = BookingItem), (status = 401, description = "Not signed in", body = crate::api::problem::Problem),
              (status = 404, description = "No such space", body = crate::api::problem::Problem),
              (status = 409, description = "Taken", body = crate::api::problem::Problem),
              (status = 422, description = "A rule broken, named per field", body = crate::api::problem::Problem)))]
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(b): ApiJson<NewBooking>,
) -> AppResult<(StatusCode, Json<BookingItem>)> {
    let space = store::get(&state.db, state.municipality(), &b.space_id).await?.ok_or(AppError::NotFound)?;
    let form = BookForm {
        day: b.day,
        start: b.start,
        end: b.end,
        purpose: b.use_purpose,
        attendees: b.attendees.to_string(),
        group_name: b.group_name,
        exempt_reason: b.exempt_reason,
        request_key: b.request_key,
    };
    let (request, attendees) = read(&form).map_err(AppError::Invalid)?;
    if form.request_key.trim().is_empty() {
        let mut errors = FieldErrors::default();
        errors.add("request_key", "field-required");
        return Err(AppError::Invalid(errors));
    }
    let h = HoldRequest {
        request,
        purpose: &form.purpose,
        attendees,
        group_name: &form.group_name,
        exempt_reason: &form.exempt_reason,
        request_key: &form.request_key,
    };
    match store::hold(&state.db, state.municipality(), &space, &user.id, user.role, &h, seoul_local(now_millis())).await
    {
        Ok(booking) => Ok((StatusCode::CREATED, Json(item(booking)))),
        Err(BookingError::Taken) => Err(AppError::Conflict("space_taken")),
        Err(BookingError::Db(e)) => Err(e.into()),
        Err(e) => {
            let mut errors = FieldErrors::default();
            rule_error(&mut errors, &e);
            Err(AppError::Invalid(errors))
        }
    }
}

/// The signed-in person's bookings, the latest first.
#[utoipa::path(get, path = "/api/v1/bookings", tag = "spaces",
    responses((status = 200, body = [BookingItem]), (status = 401, description = "Not signed in", body = crate::api::problem::Problem)))]
pub async fn mine(State(state): State<AppState>, user: CurrentUser) -> AppResult<Json<Vec<BookingItem>>> {
    Ok(Json(store::of_user(&state.db, &user.id).await?.into_iter().map(|(b, _)| item(b)).collect()))
}

/// Confirms a hold while it lasts.
#[utoipa::path(post, path = "/api/v1/bookings/{id}/confirm", tag = "spaces", params(("id" = String, Path, description = "Booking id")),
    responses((status = 200, body = BookingItem), (status = 401, description = "Not signed in", body = crate::api::problem::Problem),
              (status = 409, description = "Not a hold of this person's, or it ran out", body = crate::api::problem::Problem)))]
pub async fn confirm(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> AppResult<Json<BookingItem>> {
    match store::confirm(&state.db, &id, &user.id, now_millis()).await {
        Ok(b) => Ok(Json(item(b))),
        Err(BookingError::Db(e)) => Err(e.into()),
        Err(_) => Err(AppError::Conflict("booking_not_held")),
    }
}
