//! Residents' pages of spaces: the search ("free on Saturday 10–12 in my 동 or within 1 km"), a space with its
//! week, booking (hold → confirm), the waiting list of a taken span, and their own bookings.

use std::collections::HashSet;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Days, NaiveDate};
use serde::Deserialize;

use super::fees::{self, Exemption, FeeError};
use super::rules::{Request, RuleError, week_start};
use super::store::{self, BookingError, HoldRequest, Space};
use super::waits::{self, WaitError};
use super::week::{self, Week};
use crate::app::AppState;
use crate::auth::{CsrfForm, CurrentUser, Visitor};
use crate::cases::model::date;
use crate::db::time::{Millis, now_millis, seoul_local, seoul_today};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::web::{Page, render, render_with_status};

/// `10:00` → minutes after midnight.
pub fn minute(text: &str) -> Option<u16> {
    let (h, m) = text.trim().split_once(':')?;
    let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
    (h <= 24 && m < 60 && h * 60 + m <= 24 * 60).then_some(h * 60 + m)
}

pub fn clock(minute: &u16) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

pub(crate) async fn taken_on(
    state: &AppState,
    space: &Space,
    from: NaiveDate,
    days: u64,
) -> Result<HashSet<Millis>, sqlx::Error> {
    let start = crate::db::time::seoul_day_start(from);
    let end = start + days as i64 * 86_400_000;
    Ok(store::taken(&state.db, &space.id, start, end, now_millis()).await?.into_iter().map(|(at, _)| at).collect())
}

#[derive(Deserialize, Default, utoipa::IntoParams)]
pub struct SearchQuery {
    /// The day (YYYY-MM-DD) a free span is looked for.
    #[serde(default)]
    pub day: String,
    /// Start of the span, `10:00`.
    #[serde(default)]
    pub from: String,
    /// End of the span, `12:00`.
    #[serde(default)]
    pub to: String,
    /// 행정동 code (adm_cd2).
    #[serde(default)]
    pub area: String,
    /// Within this many km of the 행정동 chosen (empty: in the 행정동 itself).
    #[serde(default)]
    pub km: String,
}

#[derive(Template)]
#[template(path = "spaces/search.html")]
struct SearchPage {
    page: Page,
    q: SearchQuery,
    areas: Vec<(String, String)>,
    found: Vec<(Space, Option<f64>)>,
    errors: FieldErrors,
}

fn km_between(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (la1, lo1, la2, lo2) = (a.0.to_radians(), a.1.to_radians(), b.0.to_radians(), b.1.to_radians());
    let h = ((la2 - la1) / 2.0).sin().powi(2) + la1.cos() * la2.cos() * ((lo2 - lo1) / 2.0).sin().powi(2);
    6371.0 * 2.0 * h.sqrt().asin()
}

/// The spaces near the area asked (or all) that are free for the whole span asked (if any), nearest first.
pub async fn find(state: &AppState, q: &SearchQuery) -> AppResult<(Vec<(Space, Option<f64>)>, FieldErrors)> {
    let mut errors = FieldErrors::default();
    let span = match (q.day.as_str(), q.from.as_str(), q.to.as_str()) {
        ("", "", "") => None,
        (d, f, t) => match (date(d), minute(f), minute(t)) {
            (Some(day), Some(start), Some(end)) if end > start => Some(Request { day, start, end }),
            (None, _, _) => {
                errors.add("day", "field-date-invalid");
                None
            }
            _ => {
                errors.add("from", "space-error-times");
                None
            }
        },
    };
    let km: Option<f64> = q.km.trim().parse().ok().filter(|k: &f64| *k > 0.0 && *k <= 20.0);
    let origin = state.areas.inner_point(&q.area);
    let now = seoul_local(now_millis());
    let mut found = Vec::new();
    for space in store::all(&state.db, state.municipality()).await? {
        let distance = origin.map(|o| km_between(o, (space.lat, space.lon)));
        let near = match (q.area.is_empty(), km, distance) {
            (true, _, _) => true,
            (false, Some(k), Some(d)) => d <= k,
            (false, _, _) => space.adm_cd2 == q.area,
        };
        if !near {
            continue;
        }
        if let Some(r) = &span {
            let taken = taken_on(state, &space, r.day, 1).await?;
            if !week::free(&space, r, &taken, now) {
                continue;
            }
        }
        found.push((space, distance));
    }
    found.sort_by(|a, b| a.1.unwrap_or(0.0).total_cmp(&b.1.unwrap_or(0.0)));
    Ok((found, errors))
}

/// `GET /spaces`
pub async fn search(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(q): Query<SearchQuery>,
) -> AppResult<Response> {
    let (found, errors) = find(&state, &q).await?;
    let page = SearchPage { page: Page::new(&visitor, "spaces-title"), q, areas: state.areas.choices(), found, errors };
    render(&page)
}

#[derive(Deserialize, Default)]
pub struct WeekQuery {
    #[serde(default)]
    week: String,
    #[serde(default)]
    day: String,
    #[serde(default)]
    start: String,
}

#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct BookForm {
    #[serde(default)]
    pub day: String,
    #[serde(default)]
    pub start: String,
    #[serde(default)]
    pub end: String,
    /// What the space is used for (`use_purpose`: `purpose` names the access log's reason for reading a record).
    #[serde(default, rename = "use_purpose")]
    pub purpose: String,
    #[serde(default)]
    pub attendees: String,
    #[serde(default)]
    pub group_name: String,
    #[serde(default)]
    pub exempt_reason: String,
    #[serde(default)]
    pub request_key: String,
}

#[derive(Template)]
#[template(path = "spaces/space.html")]
struct SpacePage {
    page: Page,
    space: Space,
    week: Week,
    monday: NaiveDate,
    form: BookForm,
    errors: FieldErrors,
    /// The span asked for is taken: the waiting list is offered.
    taken: bool,
    photos: Vec<String>,
}

impl SpacePage {
    fn clock(&self, m: &u16) -> String {
        clock(m)
    }

    fn next_week(&self) -> NaiveDate {
        self.monday + Days::new(7)
    }

    fn prev_week(&self) -> NaiveDate {
        self.monday - Days::new(7)
    }

    fn exemptions(&self) -> Vec<Exemption> {
        fees::parse_list(&self.space.fee_exempt)
    }
}

async fn space_page(
    state: &AppState,
    visitor: &Visitor,
    id: &str,
    monday: NaiveDate,
    form: BookForm,
) -> AppResult<SpacePage> {
    let space = store::get(&state.db, state.municipality(), id).await?.ok_or(AppError::NotFound)?;
    let taken = taken_on(state, &space, monday, 7).await?;
    let week = week::grid(&space, monday, 7, &taken, seoul_local(now_millis()));
    let page = Page::new(visitor, "space-title");
    let photos = space.photos.clone();
    Ok(SpacePage { page, space, week, monday, form, errors: FieldErrors::default(), taken: false, photos })
}

/// `GET /spaces/{id}?week=`: the space and its week; a free cell's link fills the form.
pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
    Query(q): Query<WeekQuery>,
) -> AppResult<Response> {
    let monday = week_start(date(&q.week).or(date(&q.day)).unwrap_or_else(seoul_today));
    let start = minute(&q.start);
    let form = BookForm {
        day: q.day.clone(),
        start: q.start.clone(),
        end: start.map(|s| clock(&(s + 60))).unwrap_or_default(),
        attendees: "1".into(),
        request_key: uuid::Uuid::new_v4().to_string(),
        ..BookForm::default()
    };
    render(&space_page(&state, &visitor, &id, monday, form).await?)
}

/// The form's span and the rest of the hold; field errors otherwise.
pub(crate) fn read(form: &BookForm) -> Result<(Request, i32), FieldErrors> {
    let mut errors = FieldErrors::default();
    let day = date(&form.day);
    if day.is_none() {
        errors.add("day", "field-date-invalid");
    }
    let (start, end) = (minute(&form.start), minute(&form.end));
    if start.is_none() || end.is_none() {
        errors.add("start", "space-error-times");
    }
    let attendees = form.attendees.trim().parse::<i32>().ok().filter(|n| *n > 0);
    if attendees.is_none() {
        errors.add("attendees", "sharing-error-quantity");
    }
    if form.purpose.trim().is_empty() {
        errors.add("use_purpose", "field-required");
    }
    match (day, start, end, attendees) {
        (Some(day), Some(start), Some(end), Some(n)) if errors.is_empty() => Ok((Request { day, start, end }, n)),
        _ => Err(errors),
    }
}

pub(crate) fn rule_error(errors: &mut FieldErrors, e: &BookingError) {
    let (field, key) = match e {
        BookingError::Rule(RuleError::Reversed) => ("end", "space-error-times"),
        BookingError::Rule(RuleError::Past) => ("day", "space-error-past"),
        BookingError::Rule(RuleError::OffGrid { .. }) => ("start", "space-error-grid"),
        BookingError::Rule(RuleError::TooLong { .. }) => ("end", "space-error-too-long"),
        BookingError::Rule(RuleError::ClosedDay) => ("day", "space-error-closed"),
        BookingError::Rule(RuleError::OutsideHours) => ("start", "space-error-hours"),
        BookingError::Rule(RuleError::OverWeek { .. }) => ("end", "space-error-week"),
        BookingError::OverCapacity { .. } => ("attendees", "space-error-capacity"),
        BookingError::NotAllowed => ("use_purpose", "space-error-not-allowed"),
        BookingError::Taken => ("start", "space-error-taken"),
        BookingError::Fee(FeeError::NotGranted) => ("exempt_reason", "space-error-exempt"),
        BookingError::Fee(FeeError::NotAGroup) => ("exempt_reason", "space-error-exempt-group"),
        _ => ("use_purpose", "space-error-not-allowed"),
    };
    errors.add(field, key);
}

/// `POST /spaces/{id}/bookings`: holds the span; a taken span offers the waiting list (409).
pub async fn book(
    State(state): State<AppState>,
    visitor: Visitor,
    user: CurrentUser,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<BookForm>,
) -> AppResult<Response> {
    let space = store::get(&state.db, state.municipality(), &id).await?.ok_or(AppError::NotFound)?;
    let (errors, status, taken) = match read(&form) {
        Err(errors) => (errors, StatusCode::UNPROCESSABLE_ENTITY, false),
        Ok((request, attendees)) => {
            let key = if form.request_key.trim().is_empty() {
                uuid::Uuid::new_v4().to_string()
            } else {
                form.request_key.clone()
            };
            let h = HoldRequest {
                request,
                purpose: &form.purpose,
                attendees,
                group_name: &form.group_name,
                exempt_reason: &form.exempt_reason,
                request_key: &key,
            };
            match store::hold(
                &state.db,
                state.municipality(),
                &space,
                &user.id,
                user.role,
                &h,
                seoul_local(now_millis()),
            )
            .await
            {
                Ok(b) => return Ok(Redirect::to(&format!("/bookings/{}", b.id)).into_response()),
                Err(BookingError::Db(e)) => return Err(e.into()),
                Err(e) => {
                    let mut errors = FieldErrors::default();
                    rule_error(&mut errors, &e);
                    let taken = matches!(e, BookingError::Taken);
                    (errors, if taken { StatusCode::CONFLICT } else { StatusCode::UNPROCESSABLE_ENTITY }, taken)
                }
            }
        }
    };
    let monday = week_start(date(&form.day).unwrap_or_else(seoul_today));
    let mut page = space_page(&state, &visitor, &id, monday, form).await?;
    (page.errors, page.taken) = (errors, taken);
    render_with_status(status, &page)
}

/// `POST /spaces/{id}/waits`: joins the waiting list of the taken span of the form.
pub async fn wait(
    State(state): State<AppState>,
    visitor: Visitor,
    user: CurrentUser,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<BookForm>,
) -> AppResult<Response> {
    let space = store::get(&state.db, state.municipality(), &id).await?.ok_or(AppError::NotFound)?;
    let errors = match read(&form) {
        Ok((request, attendees)) => {
            match waits::join(&state.db, &space, &user.id, &request, &form.purpose, attendees, now_millis()).await {
                Ok(_) => return Ok(Redirect::to("/bookings#waits").into_response()),
                Err(WaitError::NotTaken) => {
                    let mut errors = FieldErrors::default();
                    errors.add("start", "space-error-not-taken");
                    errors
                }
                Err(WaitError::Db(e)) => return Err(e.into()),
            }
        }
        Err(errors) => errors,
    };
    let monday = week_start(date(&form.day).unwrap_or_else(seoul_today));
    let mut page = space_page(&state, &visitor, &id, monday, form).await?;
    page.errors = errors;
    render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}
