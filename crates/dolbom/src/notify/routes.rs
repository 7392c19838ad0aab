//! `/notifications`: the signed-in person's inbox, each message in their language with a link to what it is about.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};

use super::store::{self, Notification};
use crate::app::AppState;
use crate::auth::{CsrfForm, CurrentUser, NoFields, Visitor};
use crate::db::time::seoul_display;
use crate::error::AppResult;
use crate::i18n::{self, Locale};
use crate::web::{Page, render};

#[derive(Template)]
#[template(path = "notifications.html")]
struct InboxPage {
    page: Page,
    notifications: Vec<Notification>,
}

impl InboxPage {
    fn text(&self, n: &Notification) -> String {
        text(self.page.locale, n)
    }

    fn at(&self, n: &Notification) -> String {
        seoul_display(n.created_at)
    }
}

/// The message with its arguments, in the reader's language.
pub fn text(locale: Locale, n: &Notification) -> String {
    let args: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&n.args).unwrap_or_default();
    let pairs: Vec<(&str, String)> =
        args.iter().map(|(k, v)| (k.as_str(), v.as_str().map_or_else(|| v.to_string(), str::to_string))).collect();
    let borrowed: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    i18n::t_args(locale, &n.message, &borrowed)
}

pub async fn inbox(State(state): State<AppState>, visitor: Visitor, user: CurrentUser) -> AppResult<Response> {
    let notifications = store::latest(&state.db, &user.id, 50).await?;
    render(&InboxPage { page: Page::new(&visitor, "notifications-title"), notifications })
}

/// Marks every notification read.
pub async fn mark_read(
    State(state): State<AppState>,
    user: CurrentUser,
    CsrfForm(_): CsrfForm<NoFields>,
) -> AppResult<Response> {
    store::mark_all_read(&state.db, &user.id).await?;
    Ok(Redirect::to("/notifications").into_response())
}
