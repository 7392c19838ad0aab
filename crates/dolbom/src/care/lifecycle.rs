//! After the match: the provider checks the child in and out (out on the last day completes the care) or marks
//! a no-show; the guardian may cancel until care begins, then answers the survey; either side reports incidents.

use chrono::NaiveDate;

use super::flow::tell_guardian;
use super::model::Status;
use super::store::{self, Application, CareError};
use super::{followup_store, offer_store};
use crate::app::AppState;

/// Severity of an incident report (`care-severity-*`).
pub const SEVERITIES: [&str; 2] = ["minor", "serious"];

fn on_a_care_day(a: &Application, today: NaiveDate) -> bool {
    (a.first_day..=a.last_day()).contains(&today)
}

pub async fn check_in(state: &AppState, a: &Application, actor: &str, today: NaiveDate) -> Result<(), CareError> {
    if !on_a_care_day(a, today) {
        return Err(CareError::WrongStatus);
    }
    store::transition(&state.db, &a.id, &[Status::Confirmed], Status::CheckedIn, Some(actor), "").await?;
    tell_guardian(state, a, "notify-care-checked-in", serde_json::json!({})).await?;
    Ok(())
}

/// Checks the child out; on the last day of care the application is completed and the survey asked for.
pub async fn check_out(state: &AppState, a: &Application, actor: &str, today: NaiveDate) -> Result<Status, CareError> {
    store::transition(&state.db, &a.id, &[Status::CheckedIn], Status::CheckedOut, Some(actor), "").await?;
    if today >= a.last_day() {
        store::transition(&state.db, &a.id, &[Status::CheckedOut], Status::Completed, None, "").await?;
        tell_guardian(state, a, "notify-care-completed", serde_json::json!({})).await?;
        return Ok(Status::Completed);
    }
    store::transition(&state.db, &a.id, &[Status::CheckedOut], Status::Confirmed, None, "").await?;
    tell_guardian(state, a, "notify-care-checked-out", serde_json::json!({})).await?;
    Ok(Status::Confirmed)
}

pub async fn no_show(state: &AppState, a: &Application, actor: &str, today: NaiveDate) -> Result<(), CareError> {
    if today < a.first_day {
        return Err(CareError::WrongStatus);
    }
    store::transition(&state.db, &a.id, &[Status::Confirmed], Status::NoShow, Some(actor), "").await
}

/// The guardian cancels before care begins; an open offer is withdrawn and the held hours are freed.
pub async fn cancel(state: &AppState, a: &Application, actor: &str) -> Result<(), CareError> {
    // Multi-day care returns to confirmed between days; once a day of care began, it is no longer cancellable
    // (cancelling would free hours that were used).
    if store::events(&state.db, &a.id).await?.iter().any(|e| e.status == Status::CheckedIn.code()) {
        return Err(CareError::WrongStatus);
    }
    if a.status() == Status::Matched {
        for o in offer_store::offers(&state.db, &a.id).await?.iter().filter(|o| o.answer.is_none()) {
            match offer_store::refuse(&state.db, &a.id, o.round, "withdrawn", Some(actor), "", None).await {
                Err(CareError::WrongStatus) => {}
                other => other?,
            }
        }
    }
    let from = [Status::Submitted, Status::Matched, Status::Confirmed];
    store::transition(&state.db, &a.id, &from, Status::Cancelled, Some(actor), "").await
}

/// The guardian's survey, once care is completed.
pub async fn survey(
    state: &AppState,
    a: &Application,
    actor: &str,
    satisfaction: i32,
    comment: &str,
) -> Result<(), CareError> {
    if a.status() != Status::Completed || !(1..=5).contains(&satisfaction) {
        return Err(CareError::WrongStatus);
    }
    followup_store::add_survey(&state.db, &a.id, actor, satisfaction, comment).await
}

/// An incident, once care has begun.
pub async fn incident(
    state: &AppState,
    a: &Application,
    actor: &str,
    severity: &str,
    description: &str,
) -> Result<(), CareError> {
    let begun = matches!(a.status(), Status::CheckedIn | Status::CheckedOut | Status::Completed | Status::Confirmed);
    if !begun || !SEVERITIES.contains(&severity) || description.trim().is_empty() {
        return Err(CareError::WrongStatus);
    }
    followup_store::add_incident(&state.db, &a.id, actor, severity, description.trim()).await
}
