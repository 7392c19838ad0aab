//! Sign-up, log-in, log-out, the account page and password change.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;
use serde::Deserialize;

use super::accounts::{self, LoginOutcome, PasswordChange, SignupInput};
use super::admin_store;
use super::model::{CurrentUser, Visitor};
use super::session::{LANG_COOKIE, LANG_COOKIE_SECS, SESSION_COOKIE, cookie, set_cookie};
use super::{CsrfForm, store};
use crate::app::AppState;
use crate::db::time::seoul_display;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::i18n::Locale;
use crate::keys::random_token;
use crate::web::pages::safe_next;
use crate::web::{Page, render, render_with_status};

#[derive(Template)]
#[template(path = "auth/signup.html")]
struct SignupPage {
    page: Page,
    form: SignupInput,
    errors: FieldErrors,
}

pub async fn signup_form(visitor: Visitor) -> AppResult<Response> {
    let form = SignupInput { locale: visitor.locale.code().into(), ..Default::default() };
    render(&SignupPage { page: Page::new(&visitor, "signup-title"), form, errors: FieldErrors::default() })
}

pub async fn signup(
    State(state): State<AppState>,
    visitor: Visitor,
    jar: CookieJar,
    CsrfForm(form): CsrfForm<SignupInput>,
) -> AppResult<Response> {
    if form.validate().is_ok() && !state.allow_credential_attempt(&visitor.ip) {
        return Err(AppError::TooManyRequests);
    }
    match accounts::register_resident(&state.db, state.municipality(), &form).await {
        Ok(user_id) => start_session(&state, &jar, &visitor, &user_id, "/account", Locale::parse(&form.locale)).await,
        Err(AppError::Invalid(errors)) => {
            let form = SignupInput { password: String::new(), password_confirm: String::new(), ..form };
            let page = Page::new(&visitor, "signup-title");
            render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &SignupPage { page, form, errors })
        }
        Err(e) => Err(e),
    }
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

#[derive(Template)]
#[template(path = "auth/login.html")]
struct LoginPage {
    page: Page,
    email: String,
    next: String,
    errors: FieldErrors,
    message: Option<String>,
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

pub async fn login_form(visitor: Visitor, Query(q): Query<NextQuery>) -> AppResult<Response> {
    let next = safe_next(q.next.as_deref());
    let page = Page::new(&visitor, "login-title");
    render(&LoginPage { page, email: String::new(), next, errors: FieldErrors::default(), message: None })
}

pub async fn login(
    State(state): State<AppState>,
    visitor: Visitor,
    jar: CookieJar,
    CsrfForm(form): CsrfForm<LoginForm>,
) -> AppResult<Response> {
    let page = Page::new(&visitor, "login-title");
    let next = safe_next(Some(&form.next));
    let refuse = |status: StatusCode, errors: FieldErrors, message: Option<String>| {
        let page = page.clone();
        render_with_status(status, &LoginPage { page, email: form.email.clone(), next: next.clone(), errors, message })
    };

    let mut errors = FieldErrors::default();
    if form.email.trim().is_empty() {
        errors.add("email", "field-required");
    }
    if form.password.is_empty() {
        errors.add("password", "field-required");
    }
    if !errors.is_empty() {
        return refuse(StatusCode::UNPROCESSABLE_ENTITY, errors, None);
    }
    if !state.allow_credential_attempt(&visitor.ip) {
        return refuse(StatusCode::TOO_MANY_REQUESTS, errors, Some(page.t("login-rate-limited")));
    }
    match accounts::authenticate(&state.db, state.municipality(), &form.email, &form.password).await? {
        LoginOutcome::Success(account) => {
            // The account's language applies unless this browser already chose one.
            let locale = if jar.get(LANG_COOKIE).is_none() { Locale::parse(&account.locale) } else { None };
            start_session(&state, &jar, &visitor, &account.id, &next, locale).await
        }
        LoginOutcome::WrongCredentials => refuse(StatusCode::UNAUTHORIZED, errors, Some(page.t("login-wrong"))),
        LoginOutcome::Locked { until } => {
            let message = page.t1("login-locked", "until", seoul_display(until));
            refuse(StatusCode::TOO_MANY_REQUESTS, errors, Some(message))
        }
    }
}

/// A new session with a new token: the browser's old session ends and its old CSRF binding stops counting.
async fn start_session(
    state: &AppState,
    jar: &CookieJar,
    visitor: &Visitor,
    user_id: &str,
    next: &str,
    locale: Option<Locale>,
) -> AppResult<Response> {
    if let Some(old) = jar.get(SESSION_COOKIE) {
        store::delete_session(&state.db, old.value()).await?;
    }
    let token = random_token();
    store::create_session(&state.db, user_id, &token, &visitor.ip).await?;
    let mut response = Redirect::to(next).into_response();
    set_cookie(&mut response, cookie(state, SESSION_COOKIE, token, None));
    if let Some(locale) = locale {
        set_cookie(&mut response, cookie(state, LANG_COOKIE, locale.code().to_string(), Some(LANG_COOKIE_SECS)));
    }
    Ok(response)
}

pub use super::csrf::NoFields;

pub async fn logout(
    State(state): State<AppState>,
    jar: CookieJar,
    CsrfForm(_): CsrfForm<NoFields>,
) -> AppResult<Response> {
    if let Some(token) = jar.get(SESSION_COOKIE) {
        store::delete_session(&state.db, token.value()).await?;
    }
    let mut response = Redirect::to("/").into_response();
    set_cookie(&mut response, cookie(&state, SESSION_COOKIE, String::new(), Some(0)));
    Ok(response)
}

#[derive(Template)]
#[template(path = "auth/account.html")]
struct AccountPage {
    page: Page,
    email: String,
    organization: Option<String>,
    areas: Vec<String>,
    created: String,
    password_changed: bool,
    locale: String,
}

#[derive(Deserialize)]
pub struct AccountQuery {
    #[serde(default)]
    changed: bool,
}

pub async fn account(
    State(state): State<AppState>,
    visitor: Visitor,
    user: CurrentUser,
    Query(q): Query<AccountQuery>,
) -> AppResult<Response> {
    let account = store::find_by_id(&state.db, &user.id).await?.ok_or(AppError::Unauthorized)?;
    let organization = match &account.organization_id {
        Some(id) => admin_store::organization(&state.db, id).await?.map(|o| o.name),
        None => None,
    };
    let areas = user.areas.iter().map(|code| state.areas.name_of(code).unwrap_or(code).to_string()).collect();
    render(&AccountPage {
        page: Page::new(&visitor, "account-title"),
        email: account.email,
        organization,
        areas,
        created: seoul_display(account.created_at),
        password_changed: q.changed,
        locale: account.locale,
    })
}

#[derive(Deserialize, Default)]
pub struct LanguageForm {
    #[serde(default)]
    locale: String,
}

/// A language chosen in a form's `locale` field, or the field's error.
pub fn chosen_language(text: &str) -> Result<Locale, FieldErrors> {
    Locale::parse(text).ok_or_else(|| {
        let mut errors = FieldErrors::default();
        errors.add("locale", "field-choice-invalid");
        errors
    })
}

/// Saves the account's language (it follows the person to other devices), switches this browser to it, and goes
/// on to `next`.
pub async fn keep_language(state: &AppState, user_id: &str, locale: Locale, next: &str) -> AppResult<Response> {
    store::set_locale(&state.db, user_id, locale).await?;
    let mut response = Redirect::to(next).into_response();
    set_cookie(&mut response, cookie(state, LANG_COOKIE, locale.code().to_string(), Some(LANG_COOKIE_SECS)));
    Ok(response)
}

pub async fn set_language(
    State(state): State<AppState>,
    user: CurrentUser,
    CsrfForm(form): CsrfForm<LanguageForm>,
) -> AppResult<Response> {
    let locale = chosen_language(&form.locale).map_err(AppError::Invalid)?;
    keep_language(&state, &user.id, locale, "/account").await
}

#[derive(Template)]
#[template(path = "auth/password.html")]
struct PasswordPage {
    page: Page,
    errors: FieldErrors,
}

pub async fn password_form(visitor: Visitor, _user: CurrentUser) -> AppResult<Response> {
    render(&PasswordPage { page: Page::new(&visitor, "password-title"), errors: FieldErrors::default() })
}

pub async fn change_password(
    State(state): State<AppState>,
    visitor: Visitor,
    user: CurrentUser,
    CsrfForm(form): CsrfForm<PasswordChange>,
) -> AppResult<Response> {
    match accounts::change_password(&state.db, &user.id, &user.session_id, &form).await {
        Ok(()) => {
            // Told in the inbox and by e-mail, so a change the owner did not make is noticed.
            let me = std::slice::from_ref(&user.id);
            crate::notify::send(&state.db, me, "notify-password-changed", &serde_json::json!({}), "/account").await?;
            Ok(Redirect::to("/account?changed=true").into_response())
        }
        Err(AppError::Invalid(errors)) => {
            let page = Page::new(&visitor, "password-title");
            render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &PasswordPage { page, errors })
        }
        Err(e) => Err(e),
    }
}
