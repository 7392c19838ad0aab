//! `/manage/spaces`: a space manager's page (provider staff of the space's organization; officials see all): the
//! approval queue, the day's bookings with no-show marking, and usage over the last 30 days.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Days, NaiveDate};
use serde::Deserialize;

use super::booking_routes::step_error;
use super::fees::Exemption;
use super::manage::{self, Usage};
use super::store::{self, Booking};
use super::waits;
use crate::app::AppState;
use crate::auth::{CsrfForm, CurrentUser, NoFields, Role, Visitor};
use crate::cases::model::date;
use crate::db::time::{Millis, now_millis, seoul_display, seoul_local, seoul_today};
use crate::error::{AppError, AppResult};
use crate::notify;
use crate::web::{Page, render};

/// The organization whose spaces the user manages; `None` for officials (every space).
fn scope(user: &CurrentUser) -> Option<&str> {
    if user.role == Role::Official { None } else { Some(user.organization_id.as_deref().unwrap_or("-")) }
}

#[derive(Deserialize, Default)]
pub struct DayQuery {
    #[serde(default)]
    day: String,
}

#[derive(Template)]
#[template(path = "spaces/manage.html")]
struct ManagePage {
    page: Page,
    day: NaiveDate,
    pending: Vec<(Booking, String, String)>,
    today: Vec<(Booking, String, String)>,
    usage: Vec<Usage>,
    now: Millis,
}

impl ManagePage {
    fn when(&self, at: &Millis) -> String {
        seoul_display(*at)
    }

    fn exemption(&self, b: &Booking) -> Option<Exemption> {
        Exemption::parse(&b.exempt_reason)
    }

    fn percent(&self, share: &f64) -> String {
        format!("{:.0}%", share * 100.0)
    }
}

pub async fn page(
    State(state): State<AppState>,
    visitor: Visitor,
    user: CurrentUser,
    Query(q): Query<DayQuery>,
) -> AppResult<Response> {
    let day = date(&q.day).unwrap_or_else(seoul_today);
    let spaces = manage::managed(&state.db, state.municipality(), scope(&user)).await?;
    let (from, to) = (seoul_today() - Days::new(30), seoul_today());
    let mut usage = Vec::new();
    for space in &spaces {
        usage.push(manage::usage(&state.db, space, from, to).await?);
    }
    render(&ManagePage {
        page: Page::new(&visitor, "manage-spaces-title"),
        day,
        pending: manage::waiting_approval(&state.db, &spaces).await?,
        today: manage::on_day(&state.db, &spaces, day).await?,
        usage,
        now: now_millis(),
    })
}

#[derive(Deserialize, Default)]
pub struct DecisionForm {
    #[serde(default)]
    decision: String,
    #[serde(default)]
    reason: String,
}

/// `POST /manage/bookings/{id}/decision`: approve, or reject with a reason (the slots go to the waiting list).
pub async fn decide(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    CsrfForm(f): CsrfForm<DecisionForm>,
) -> AppResult<Response> {
    let approve = match f.decision.as_str() {
        "approve" => true,
        "reject" if !f.reason.trim().is_empty() => false,
        "reject" => return Err(AppError::Conflict("space-error-reject-reason")),
        _ => return Err(AppError::BadRequest("decision_unknown")),
    };
    let booking = store::booking(&state.db, &id).await?.ok_or(AppError::NotFound)?;
    store::decide(&state.db, &id, scope(&user), &user.id, approve, f.reason.trim()).await.map_err(step_error)?;
    let message = if approve { "notify-booking-approved" } else { "notify-booking-rejected" };
    let args = serde_json::json!({ "at": seoul_display(booking.starts_at), "reason": f.reason.trim() });
    notify::send(&state.db, std::slice::from_ref(&booking.user_id), message, &args, &format!("/bookings/{id}")).await?;
    if !approve {
        waits::offer_freed(&state.db, state.municipality(), &booking.space_id, seoul_local(now_millis())).await?;
    }
    Ok(Redirect::to("/manage/spaces").into_response())
}

/// `POST /manage/bookings/{id}/no-show`
pub async fn no_show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> AppResult<Response> {
    manage::no_show(&state.db, &id, scope(&user), now_millis()).await.map_err(step_error)?;
    Ok(Redirect::to("/manage/spaces").into_response())
}
