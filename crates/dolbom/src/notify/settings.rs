//! `/notifications/settings`: whether a person is also told by e-mail, and in which language (the account's, so
//! pages and messages agree).

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use super::store::{self, Prefs};
use crate::app::AppState;
use crate::auth::routes::{chosen_language, keep_language};
use crate::auth::{CsrfForm, CurrentUser, Visitor, store as accounts};
use crate::error::{AppError, AppResult, FieldErrors};
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
    let prefs = store::prefs(&state.db, &user.id).await?;
    let page = settings_page(&state, &visitor, &user.id, prefs, FieldErrors::default(), q.saved).await?;
    render(&page)
}

/// The page with the account's address and language, and `prefs` as shown (saved, or as just ticked).
async fn settings_page(
    state: &AppState,
    visitor: &Visitor,
    user_id: &str,
    prefs: Prefs,
    errors: FieldErrors,
    saved: bool,
) -> AppResult<SettingsPage> {
    let account = accounts::find_by_id(&state.db, user_id).await?.ok_or(AppError::Unauthorized)?;
    Ok(SettingsPage {
        page: Page::new(visitor, "notify-settings-title"),
        errors,
        address: account.email,
        email: prefs.email,
        locale: account.locale,
        saved,
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
    match chosen_language(&form.locale) {
        Ok(locale) => {
            store::save_prefs(&state.db, &user.id, prefs).await?;
            keep_language(&state, &user.id, locale, "/notifications/settings?saved=true").await
        }
        Err(errors) => {
            let page = settings_page(&state, &visitor, &user.id, prefs, errors, false).await?;
            render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
    }
}
