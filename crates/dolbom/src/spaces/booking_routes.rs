//! A person's bookings: the list with their waiting-list places, one booking with confirm and cancel, and its
//! iCalendar export.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};

use super::store::{self, Booking, BookingError, Space};
use super::waits::{self, Wait};
use crate::app::AppState;
use crate::auth::{CsrfForm, CurrentUser, NoFields, Visitor};
use crate::db::time::{Millis, now_millis, seoul_display, seoul_local};
use crate::error::{AppError, AppResult};
use crate::web::{Page, render};

#[derive(Template)]
#[template(path = "spaces/bookings.html")]
struct BookingsPage {
    page: Page,
    bookings: Vec<(Booking, String)>,
    waits: Vec<Wait>,
}

impl BookingsPage {
    fn when(&self, at: &Millis) -> String {
        seoul_display(*at)
    }
}

/// `GET /bookings`: the person's bookings and waiting-list places.
pub async fn mine(State(state): State<AppState>, visitor: Visitor, user: CurrentUser) -> AppResult<Response> {
    let bookings = store::of_user(&state.db, &user.id).await?;
    let waits = waits::of_user(&state.db, &user.id).await?;
    render(&BookingsPage { page: Page::new(&visitor, "bookings-title"), bookings, waits })
}

#[derive(Template)]
#[template(path = "spaces/booking.html")]
struct BookingPage {
    page: Page,
    booking: Booking,
    space: Space,
}

impl BookingPage {
    fn when(&self, at: &Millis) -> String {
        seoul_display(*at)
    }
}

async fn own(state: &AppState, user: &CurrentUser, id: &str) -> AppResult<(Booking, Space)> {
    let booking = store::booking(&state.db, id).await?.filter(|b| b.user_id == user.id).ok_or(AppError::NotFound)?;
    let space = store::get(&state.db, state.municipality(), &booking.space_id).await?.ok_or(AppError::NotFound)?;
    Ok((booking, space))
}

/// `GET /bookings/{id}`
pub async fn show_booking(
    State(state): State<AppState>,
    visitor: Visitor,
    user: CurrentUser,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let (booking, space) = own(&state, &user, &id).await?;
    render(&BookingPage { page: Page::new(&visitor, "booking-title"), booking, space })
}

pub(crate) fn step_error(e: BookingError) -> AppError {
    match e {
        BookingError::Db(e) => e.into(),
        BookingError::TooLateToCancel { .. } => AppError::Conflict("space-error-too-late"),
        _ => AppError::Conflict("space-error-step"),
    }
}

/// `POST /bookings/{id}/confirm`
pub async fn confirm(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> AppResult<Response> {
    store::confirm(&state.db, &id, &user.id, now_millis()).await.map_err(step_error)?;
    Ok(Redirect::to(&format!("/bookings/{id}")).into_response())
}

/// `POST /bookings/{id}/cancel`: cancels under the space's rule, and offers the freed span to the waiting.
pub async fn cancel(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> AppResult<Response> {
    let (booking, _) = own(&state, &user, &id).await?;
    store::cancel(&state.db, &id, &user.id, now_millis()).await.map_err(step_error)?;
    waits::offer_freed(&state.db, state.municipality(), &booking.space_id, seoul_local(now_millis())).await?;
    Ok(Redirect::to("/bookings").into_response())
}

/// `GET /bookings/{id}/calendar.ics`: the booking as an iCalendar event.
pub async fn ics(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> AppResult<Response> {
    let (b, space) = own(&state, &user, &id).await?;
    let stamp = |at: Millis| {
        chrono::DateTime::from_timestamp_millis(at).map(|t| t.format("%Y%m%dT%H%M%SZ").to_string()).unwrap_or_default()
    };
    let escape = |s: &str| s.replace('\\', "\\\\").replace(';', "\\;").replace(',', "\\,").replace('\n', "\\n");
    let body = format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//dolbom//spaces//KO\r\nBEGIN:VEVENT\r\nUID:{}@dolbom\r\nDTSTAMP:{}\r\n\
         DTSTART:{}\r\nDTEND:{}\r\nSUMMARY:{}\r\nLOCATION:{}\r\nDESCRIPTION:{}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        b.id,
        stamp(now_millis()),
        stamp(b.starts_at),
        stamp(b.ends_at),
        escape(&space.name),
        escape(&space.address),
        escape(&b.purpose)
    );
    Ok(([(axum::http::header::CONTENT_TYPE, "text/calendar; charset=utf-8")], body).into_response())
}
