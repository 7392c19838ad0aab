//! A space's week as a grid of slots: free, taken, closed or past. Pure over the space's rules, hours, closed days
//! and the slots taken, so the page, the API and the search share one answer.

use std::collections::HashSet;

use chrono::{Days, NaiveDate, NaiveDateTime};
use serde::Serialize;

use super::rules::Request;
use super::store::{Space, millis};
use crate::db::time::Millis;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Cell {
    Free,
    Taken,
    Closed,
    Past,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Day {
    #[schema(value_type = String, format = Date)]
    pub day: NaiveDate,
    /// One cell per slot of the grid, from the earliest opening of the week to the latest closing.
    pub cells: Vec<Cell>,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Week {
    /// Minutes after midnight of each row's slot.
    pub rows: Vec<u16>,
    pub slot_minutes: u16,
    pub days: Vec<Day>,
}

/// The cell of one slot.
fn cell(space: &Space, day: NaiveDate, minute: u16, taken: &HashSet<Millis>, now: NaiveDateTime) -> Cell {
    let slot = Request { day, start: minute, end: minute + space.rules.slot_minutes };
    let at = slot.at(minute);
    let open = !space.closed.contains(&day)
        && space.hours.span_on(at).is_some_and(|s| minute >= s.opens && slot.end <= s.closes);
    if !open {
        Cell::Closed
    } else if at < now {
        Cell::Past
    } else if taken.contains(&millis(at)) {
        Cell::Taken
    } else {
        Cell::Free
    }
}

/// `days` days from `from`, with `taken` the starts of the slots held.
pub fn grid(space: &Space, from: NaiveDate, days: u64, taken: &HashSet<Millis>, now: NaiveDateTime) -> Week {
    let step = space.rules.slot_minutes.max(1);
    let spans = space.hours.0.iter().flatten();
    let opens = spans.clone().map(|s| s.opens).min().unwrap_or(9 * 60) / step * step;
    let closes = spans.map(|s| s.closes).max().unwrap_or(18 * 60);
    let rows: Vec<u16> = (opens..closes).step_by(usize::from(step)).filter(|m| m + step <= closes).collect();
    let days = (0..days)
        .map(|d| {
            let day = from + Days::new(d);
            Day { day, cells: rows.iter().map(|m| cell(space, day, *m, taken, now)).collect() }
        })
        .collect();
    Week { rows, slot_minutes: step, days }
}

/// Whether the whole span is free.
pub fn free(space: &Space, request: &Request, taken: &HashSet<Millis>, now: NaiveDateTime) -> bool {
    let step = space.rules.slot_minutes.max(1);
    request.end > request.start
        && (request.start..request.end)
            .step_by(usize::from(step))
            .all(|m| cell(space, request.day, m, taken, now) == Cell::Free && m + step <= request.end)
}
