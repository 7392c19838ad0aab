//! Managers keep their spaces current: a new space, its details, rules and hours (`/manage/spaces/{id}/edit`),
//! closed days (closing one cancels that day's bookings and tells the bookers), and photos.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use serde::Deserialize;

use super::edit::{Draft, KINDS, SLOTS, SpaceForm, WHO};
use super::fees::{self, Exemption};
use super::space_store;
use super::store::{self, Space};
use crate::app::AppState;
use crate::auth::{CsrfForm, CsrfUpload, CurrentUser, NoFields, Role, Visitor};
use crate::cases::model::date;
use crate::db::time::{seoul_display, seoul_today};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::notify;
use crate::places::hours::{DAYS, HOLIDAY};
use crate::places::photos;
use crate::web::{Page, render, render_with_status};

#[derive(Template)]
#[template(path = "spaces/edit.html")]
struct EditPage {
    page: Page,
    /// `None` for a new space.
    space: Option<Space>,
    form: SpaceForm,
    errors: FieldErrors,
    areas: Vec<(String, String)>,
    exemptions: Vec<Exemption>,
    kinds: Vec<&'static str>,
    slots: Vec<u16>,
    who: Vec<&'static str>,
    days: Vec<usize>,
}

impl EditPage {
    fn new(
        state: &AppState,
        visitor: &Visitor,
        space: Option<Space>,
        form: SpaceForm,
        errors: FieldErrors,
    ) -> EditPage {
        let mut page = Page::new(visitor, if space.is_some() { "space-edit-title" } else { "space-new-title" });
        if let Some(s) = &space {
            page.title = format!("{} · {}", page.title, s.name);
        }
        let areas = state.areas.all().iter().map(|a| (a.adm_cd2.clone(), a.name.clone())).collect();
        EditPage {
            page,
            space,
            form,
            errors,
            areas,
            exemptions: fees::ALL.to_vec(),
            kinds: KINDS.to_vec(),
            slots: SLOTS.to_vec(),
            who: WHO.to_vec(),
            days: (0..DAYS).collect(),
        }
    }

    fn day_key(&self, day: &usize) -> String {
        if *day == HOLIDAY { "weekday-holiday".into() } else { format!("weekday-{day}") }
    }
}

/// The space, when this user manages it: staff of its organization, or an official.
async fn managed(state: &AppState, user: &CurrentUser, id: &str) -> AppResult<Space> {
    let space = store::get(&state.db, state.municipality(), id).await?.ok_or(AppError::NotFound)?;
    let own = user.organization_id.is_some() && space.organization_id == user.organization_id;
    if user.role == Role::Official || own { Ok(space) } else { Err(AppError::Forbidden) }
}

/// The form read, with the 행정동s of this municipality; the point typed, or kept while the 행정동 stays, or the
/// 행정동's middle.
fn read(state: &AppState, form: &SpaceForm, current: Option<&Space>) -> Result<(Draft, (f64, f64)), FieldErrors> {
    let draft = form.read(|code| state.areas.get(code).is_some())?;
    let kept = current.filter(|s| s.adm_cd2 == draft.adm_cd2).map(|s| (s.lat, s.lon));
    let point =
        draft.point.or(kept).or_else(|| state.areas.inner_point(&draft.adm_cd2)).unwrap_or(state.areas.center());
    Ok((draft, point))
}

fn invalid(
    state: &AppState,
    visitor: &Visitor,
    space: Option<Space>,
    form: SpaceForm,
    e: FieldErrors,
) -> AppResult<Response> {
    render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &EditPage::new(state, visitor, space, form, e))
}

/// `GET /manage/spaces/new`
pub async fn new_form(State(state): State<AppState>, visitor: Visitor) -> AppResult<Response> {
    render(&EditPage::new(&state, &visitor, None, SpaceForm::blank(), FieldErrors::default()))
}

/// `POST /manage/spaces`: a new space of the manager's organization (an official's has none).
pub async fn create(
    State(state): State<AppState>,
    visitor: Visitor,
    user: CurrentUser,
    CsrfForm(form): CsrfForm<SpaceForm>,
) -> AppResult<Response> {
    let (draft, point) = match read(&state, &form, None) {
        Ok(read) => read,
        Err(e) => return invalid(&state, &visitor, None, form, e),
    };
    let org = if user.role == Role::Official { None } else { user.organization_id.as_deref() };
    let id = store::create(&state.db, state.municipality(), &draft.to_new(org, point), &draft.hours).await?;
    Ok(Redirect::to(&format!("/manage/spaces/{id}/edit")).into_response())
}

/// `GET /manage/spaces/{id}/edit`
pub async fn edit_form(
    State(state): State<AppState>,
    visitor: Visitor,
    user: CurrentUser,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let space = managed(&state, &user, &id).await?;
    let form = SpaceForm::from_space(&space);
    render(&EditPage::new(&state, &visitor, Some(space), form, FieldErrors::default()))
}

/// `POST /manage/spaces/{id}/edit`: bookings made already keep what they were made under.
pub async fn update(
    State(state): State<AppState>,
    visitor: Visitor,
    user: CurrentUser,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<SpaceForm>,
) -> AppResult<Response> {
    let space = managed(&state, &user, &id).await?;
    let (draft, point) = match read(&state, &form, Some(&space)) {
        Ok(read) => read,
        Err(e) => return invalid(&state, &visitor, Some(space), form, e),
    };
    let new = draft.to_new(space.organization_id.as_deref(), point);
    if !space_store::update(&state.db, state.municipality(), &id, &new, &draft.hours).await? {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::to(&format!("/spaces/{id}")).into_response())
}

#[derive(Deserialize, Default)]
pub struct ClosedDayForm {
    #[serde(default)]
    day: String,
    #[serde(default)]
    reason: String,
}

/// `POST /manage/spaces/{id}/closed-days`: the day closes; its bookings are cancelled and their bookers told why.
pub async fn close_day(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    CsrfForm(f): CsrfForm<ClosedDayForm>,
) -> AppResult<Response> {
    let space = managed(&state, &user, &id).await?;
    let mut errors = FieldErrors::default();
    let day = date(&f.day).filter(|d| *d >= seoul_today());
    if day.is_none() {
        errors.add("day", "space-error-edit-closed-day");
    }
    if f.reason.trim().is_empty() || f.reason.chars().count() > 200 {
        errors.add("reason", "field-required");
    }
    let Some(day) = day.filter(|_| errors.is_empty()) else { return Err(AppError::Invalid(errors)) };
    let cancelled = space_store::close_day(&state.db, &space.id, day, f.reason.trim()).await?;
    for (booking_id, user_id, starts_at) in cancelled {
        let args =
            serde_json::json!({ "space": space.name, "at": seoul_display(starts_at), "reason": f.reason.trim() });
        notify::send(&state.db, &[user_id], "notify-booking-closed", &args, &format!("/bookings/{booking_id}")).await?;
    }
    Ok(Redirect::to(&format!("/manage/spaces/{id}/edit#closed")).into_response())
}

/// `POST /manage/spaces/{id}/closed-days/{day}/reopen`
pub async fn reopen_day(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, day)): Path<(String, String)>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> AppResult<Response> {
    let space = managed(&state, &user, &id).await?;
    let day: NaiveDate = date(&day).ok_or(AppError::NotFound)?;
    space_store::reopen_day(&state.db, &space.id, day).await?;
    Ok(Redirect::to(&format!("/manage/spaces/{id}/edit#closed")).into_response())
}

/// `POST /manage/spaces/{id}/photos`: JPEG, PNG or WebP, known by their first bytes.
pub async fn add_photo(
    State(state): State<AppState>,
    visitor: Visitor,
    user: CurrentUser,
    Path(id): Path<String>,
    CsrfUpload(files): CsrfUpload,
) -> AppResult<Response> {
    let space = managed(&state, &user, &id).await?;
    match photos::check(&files, space.photos.len()) {
        Ok((content_type, bytes)) => space_store::add_photo(&state.db, &space.id, content_type, bytes).await?,
        Err(errors) => {
            let form = SpaceForm::from_space(&space);
            return invalid(&state, &visitor, Some(space), form, errors);
        }
    };
    Ok(Redirect::to(&format!("/manage/spaces/{id}/edit#photos")).into_response())
}

/// `POST /manage/spaces/{id}/photos/{photo}/delete`
pub async fn delete_photo(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, photo)): Path<(String, String)>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> AppResult<Response> {
    let space = managed(&state, &user, &id).await?;
    if !space_store::delete_photo(&state.db, &space.id, &photo).await? {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::to(&format!("/manage/spaces/{id}/edit#photos")).into_response())
}

/// `GET /spaces/photos/{id}`
pub async fn serve_photo(State(state): State<AppState>, Path(id): Path<String>) -> AppResult<Response> {
    let (content_type, bytes) =
        space_store::photo(&state.db, state.municipality(), &id).await?.ok_or(AppError::NotFound)?;
    Ok(photos::image_response(content_type, bytes))
}
