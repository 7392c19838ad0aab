//! `/notifications/settings`: whether a person is also told by e-mail, and in which language (the account's, so
//! pages and messages agree).

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::store::{self, Prefs};
use crate::app::AppState;
use crate::auth::session::{LANG_COOKIE, LANG_COOKIE_SECS, cookie, set_cookie};
use crate::auth::{CsrfForm, CurrentUser, Visitor, store as accounts};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::i18n::Locale;
use crate::web::{Page, render, render_with_status};

#[derive(Template)]
#[template(path = "notify/settings.html")]
struct SettingsPage {
    page: Page,
    errors: FieldErrors,
    address: String,
    email: bool,
    locale: String,
    saved: bool,
}

#[derive(Deserialize, Default)]
pub struct SavedQuery {
    #[serde(default)]
    saved: bool,
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    user: CurrentUser,
    Query(q): Query<SavedQuery>,
) -> AppResult<Response> {
    let account = accounts::find_by_id(&state.db, &user.id).await?.ok_or(AppError::Unauthorized)?;
    let prefs = store::prefs(&state.db, &user.id).await?;
    render(&SettingsPage {
        page: Page::new(&visitor, "notify-settings-title"),
        errors: FieldErrors::default(),
        address: account.email,
        email: prefs.email,
        locale: account.locale,
        saved: q.saved,
    })
}

#[derive(Deserialize, Default)]
pub struct SettingsForm {
    /// A checkbox: present when ticked.
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    locale: String,
}

pub async fn save(
    State(state): State<AppState>,
    visitor: Visitor,
    user: CurrentUser,
    CsrfForm(form): CsrfForm<SettingsForm>,
) -> AppResult<Response> {
    let prefs = Prefs { email: form.email.is_some() };
    let Some(locale) = Locale::parse(&form.locale) else {
        let account = accounts::find_by_id(&state.db, &user.id).await?.ok_or(AppError::Unauthorized)?;
        let mut errors = FieldErrors::default();
        errors.add("locale", "field-choice-invalid");
        let page = SettingsPage {
            page: Page::new(&visitor, "notify-settings-title"),
            errors,
            address: account.email,
            email: prefs.email,
            locale: account.locale,
            saved: false,
        };
        return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    store::save_prefs(&state.db, &user.id, prefs).await?;
    accounts::set_locale(&state.db, &user.id, locale).await?;
    let mut response = Redirect::to("/notifications/settings?saved=true").into_response();
    set_cookie(&mut response, cookie(&state, LANG_COOKIE, locale.code().to_string(), Some(LANG_COOKIE_SECS)));
    Ok(response)
}
