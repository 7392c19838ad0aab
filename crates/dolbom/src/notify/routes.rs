//! `/notifications`: the signed-in person's inbox, each message in their language with a link to what it is about.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};

use super::store::{self, Notification};
use crate::app::AppState;
use crate::auth::{CsrfForm, CurrentUser, NoFields, Visitor};
use crate::db::time::seoul_display;
use crate::error::AppResult;
use crate::i18n::Locale;
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
    super::delivery::message_text(locale, &n.message, &n.args)
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
