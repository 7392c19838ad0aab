//! `GET /my` (내 돌봄) and `GET /my/data.json` (the resident's data, to keep or take elsewhere).

use askama::Template;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::{Deserialize, Serialize};

use super::checks::Found;
use super::checks_store::{self, SavedCheck};
use super::deletion::{self, InProgress, RETENTION, Request};
use super::store::{self, Membership, Written};
use crate::app::AppState;
use crate::auth::{CsrfForm, CurrentUser, Visitor};
use crate::care::store::{self as care_store, Application};
use crate::children::store::{self as children_store, ChildRecord, ChildSummary};
use crate::db::time::Millis;
use crate::db::time::{now_millis, seoul_display, seoul_rfc3339, seoul_today};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::notify::store::{self as notify_store, Notification};
use crate::spaces::store::{self as spaces_store, Booking};
use crate::waitlist::offer_store::{self, Offer};
use crate::waitlist::store::{self as waitlist_store, Mine};
use crate::web::{Page, render, render_with_status};

/// How many notifications the page shows; the inbox has the rest.
const LATEST_NOTIFICATIONS: i64 = 5;
/// The download holds every notification up to this many (a resident receives a few a week).
const ALL_NOTIFICATIONS: i64 = 100_000;

#[derive(Template)]
#[template(path = "mine/page.html")]
struct MyPage {
    page: Page,
    children: Vec<ChildSummary>,
    applications: Vec<Application>,
    waiting: Vec<Mine>,
    /// Offers still open, with the 어린이집's name.
    offers: Vec<(Offer, String)>,
    bookings: Vec<(Booking, String)>,
    checks: Vec<SavedCheck>,
    groups: Vec<Membership>,
    notifications: Vec<Notification>,
    unread: i64,
    /// The latest deletion request, what is still in progress, and the request form as typed.
    deletion: Option<Request>,
    in_progress: InProgress,
    reason: String,
    errors: FieldErrors,
}

impl MyPage {
    fn at(&self, at: &Millis) -> String {
        seoul_display(*at)
    }

    fn notification(&self, n: &Notification) -> String {
        crate::notify::routes::text(self.page.locale, n)
    }

    /// "2 services you may get, 3 to check".
    fn check_summary(&self, c: &SavedCheck) -> String {
        let found = Found::of(c);
        let (eligible, unknown) = (found.eligible.len().to_string(), found.unknown.len().to_string());
        self.page.t2("my-check-summary", "eligible", eligible, "unknown", unknown)
    }

    fn retention(&self) -> &'static [(&'static str, &'static str, bool)] {
        &RETENTION
    }

    fn deletion_open(&self) -> bool {
        self.deletion.as_ref().is_some_and(|d| d.status == "requested")
    }

    fn nothing_yet(&self) -> bool {
        self.children.is_empty() && self.applications.is_empty() && self.waiting.is_empty() && self.bookings.is_empty()
    }
}

pub async fn page(State(state): State<AppState>, visitor: Visitor, user: CurrentUser) -> AppResult<Response> {
    render(&my_page(&state, &visitor, &user, String::new(), FieldErrors::default()).await?)
}

async fn my_page(
    state: &AppState,
    visitor: &Visitor,
    user: &CurrentUser,
    reason: String,
    errors: FieldErrors,
) -> AppResult<MyPage> {
    let (db, m) = (&state.db, state.municipality());
    let centres = crate::waitlist::routes::centres(state);
    let centre = |id: &str| centres.iter().find(|(c, _)| c == id).map_or_else(|| id.to_string(), |(_, n)| n.clone());
    let offers = offer_store::of_guardian(db, m, &user.id).await?;
    let now = now_millis();
    let open = offers.into_iter().filter(|o| o.status == "open" && o.expires_at > now);
    Ok(MyPage {
        page: Page::new(visitor, "my-title"),
        children: children_store::of_guardian(db, m, &user.id).await?,
        applications: care_store::of_guardian(db, m, &user.id).await?,
        waiting: waitlist_store::of_guardian(db, m, &user.id).await?,
        offers: open.map(|o| (o.clone(), centre(&o.facility_id))).collect(),
        bookings: spaces_store::of_user(db, &user.id).await?,
        checks: checks_store::of_user(db, &user.id).await?,
        groups: store::memberships(db, &user.id).await?,
        notifications: notify_store::latest(db, &user.id, LATEST_NOTIFICATIONS).await?,
        unread: store::unread(db, &user.id).await?,
        deletion: deletion::latest_of(db, &user.id).await?,
        in_progress: deletion::in_progress(db, &user.id, now).await?,
        reason,
        errors,
    })
}

#[derive(Deserialize, Default)]
pub struct DeletionForm {
    #[serde(default)]
    reason: String,
}

/// The most a reason may say.
const REASON_MAX: usize = 500;

/// `POST /my/deletion`: the resident asks for their data to be deleted.
pub async fn ask_deletion(
    State(state): State<AppState>,
    visitor: Visitor,
    user: CurrentUser,
    CsrfForm(form): CsrfForm<DeletionForm>,
) -> AppResult<Response> {
    let reason = form.reason.trim().to_string();
    if reason.chars().count() > REASON_MAX || reason.chars().any(|c| c.is_control() && c != '\n' && c != '\r') {
        let mut errors = FieldErrors::default();
        errors.add("reason", "field-text-too-long");
        let page = my_page(&state, &visitor, &user, form.reason, errors).await?;
        return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    deletion::ask(&state.db, state.municipality(), &user.id, &reason).await?;
    Ok(Redirect::to("/my#my-deletion").into_response())
}

/// Everything dolbom holds about the resident, as they would ask for it under 개인정보 보호법 제35조 (열람).
#[derive(Serialize)]
struct Everything {
    generated_at: String,
    account: AccountData,
    children: Vec<ChildRecord>,
    care_applications: Vec<Application>,
    waiting_lists: Vec<Mine>,
    waiting_list_offers: Vec<Offer>,
    bookings: Vec<Booking>,
    saved_eligibility_checks: Vec<SavedCheck>,
    groups: Vec<Membership>,
    posts: Vec<Written>,
    comments: Vec<Written>,
    notifications: Vec<Notification>,
}

#[derive(Serialize)]
struct AccountData {
    email: String,
    display_name: String,
    role: String,
    language: String,
    created_at: String,
}

pub async fn data(State(state): State<AppState>, user: CurrentUser) -> AppResult<Response> {
    let (db, m) = (&state.db, state.municipality());
    let account = crate::auth::store::find_by_id(db, &user.id).await?.ok_or(AppError::Unauthorized)?;
    let mut children = Vec::new();
    for child in children_store::of_guardian(db, m, &user.id).await? {
        if let Some(record) = children_store::for_guardian(db, &state.keys, m, &user.id, &child.id).await? {
            children.push(record);
        }
    }
    let everything = Everything {
        generated_at: seoul_rfc3339(now_millis()),
        account: AccountData {
            email: account.email,
            display_name: account.display_name,
            role: account.role,
            language: account.locale,
            created_at: seoul_rfc3339(account.created_at),
        },
        children,
        care_applications: care_store::of_guardian(db, m, &user.id).await?,
        waiting_lists: waitlist_store::of_guardian(db, m, &user.id).await?,
        waiting_list_offers: offer_store::of_guardian(db, m, &user.id).await?,
        bookings: spaces_store::of_user(db, &user.id).await?.into_iter().map(|(b, _)| b).collect(),
        saved_eligibility_checks: checks_store::of_user(db, &user.id).await?,
        groups: store::memberships(db, &user.id).await?,
        posts: store::posts(db, &user.id).await?,
        comments: store::comments(db, &user.id).await?,
        notifications: notify_store::latest(db, &user.id, ALL_NOTIFICATIONS).await?,
    };
    let body = serde_json::to_vec_pretty(&everything).map_err(|e| AppError::Internal(format!("my data: {e}")))?;
    let name = format!("attachment; filename=\"dolbom-my-data-{}.json\"", seoul_today().format("%Y%m%d"));
    Ok((
        [(header::CONTENT_TYPE, "application/json; charset=utf-8".to_string()), (header::CONTENT_DISPOSITION, name)],
        body,
    )
        .into_response())
}
