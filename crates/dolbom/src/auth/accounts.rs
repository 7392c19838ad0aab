//! Account rules: what a valid sign-up is, how a log-in is judged, how a password is changed.

use serde::Deserialize;

use super::model::Role;
use super::password;
use super::store::{self, Account, CreateError, NewAccount};
use crate::db::Db;
use crate::db::time::{Millis, now_millis};
use crate::error::{AppError, FieldErrors};
use crate::i18n::Locale;

pub const PASSWORD_MIN: usize = 12;
pub const PASSWORD_MAX: usize = 128;
pub const NAME_MAX: usize = 40;

/// A sign-up as typed. Every field is optional so that a missing one is reported, not rejected wholesale.
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct SignupInput {
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub display_name: String,
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub password_confirm: String,
    /// `ko`, `en`, `vi` or `zh`.
    #[serde(default)]
    pub locale: String,
}

pub fn valid_email(email: &str) -> bool {
    let email = email.trim();
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && email.len() <= 254
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
        && !domain.contains('@')
}

pub fn check_new_password(errors: &mut FieldErrors, field: &'static str, password: &str, email: &str) {
    let len = password.chars().count();
    if password.is_empty() {
        errors.add(field, "field-required");
    } else if len < PASSWORD_MIN {
        errors.add(field, "field-password-short");
    } else if len > PASSWORD_MAX {
        errors.add(field, "field-password-long");
    } else if password.trim().eq_ignore_ascii_case(email.trim()) {
        errors.add(field, "field-password-is-email");
    }
}

pub fn check_display_name(errors: &mut FieldErrors, name: &str) {
    let name = name.trim();
    if name.is_empty() {
        errors.add("display_name", "field-required");
    } else if name.chars().count() > NAME_MAX || name.chars().any(|c| c.is_control()) {
        errors.add("display_name", "field-name-invalid");
    }
}

pub fn check_email(errors: &mut FieldErrors, email: &str) {
    if email.trim().is_empty() {
        errors.add("email", "field-required");
    } else if !valid_email(email) {
        errors.add("email", "field-email-invalid");
    }
}

impl SignupInput {
    pub fn validate(&self) -> Result<Locale, FieldErrors> {
        let mut errors = FieldErrors::default();
        check_email(&mut errors, &self.email);
        check_display_name(&mut errors, &self.display_name);
        check_new_password(&mut errors, "password", &self.password, &self.email);
        if !errors.has("password") && self.password != self.password_confirm {
            errors.add("password_confirm", "field-password-mismatch");
        }
        let locale = if self.locale.is_empty() { Some(Locale::Ko) } else { Locale::parse(&self.locale) };
        if locale.is_none() {
            errors.add("locale", "field-choice-invalid");
        }
        errors.into_result(locale.unwrap_or_default())
    }
}

/// Creates a resident's own account from a sign-up; staff accounts are made by administrators.
pub async fn register_resident(db: &Db, municipality: &str, input: &SignupInput) -> Result<String, AppError> {
    let locale = input.validate()?;
    create(db, municipality, &input.email, &input.display_name, &input.password, Role::Resident, None, locale).await
}

/// Hashes the password and stores the account; a taken e-mail is a field error on `email`.
#[allow(clippy::too_many_arguments)]
pub async fn create(
    db: &Db,
    municipality: &str,
    email: &str,
    display_name: &str,
    password: &str,
    role: Role,
    organization_id: Option<&str>,
    locale: Locale,
) -> Result<String, AppError> {
    let password_hash = password::hash(password.to_string()).await?;
    let new = NewAccount {
        municipality_code: municipality,
        email,
        display_name,
        password_hash: &password_hash,
        role,
        organization_id,
        locale: locale.code(),
    };
    match store::create_account(db, &new).await {
        Ok(id) => Ok(id),
        Err(CreateError::EmailTaken) => {
            let mut errors = FieldErrors::default();
            errors.add("email", "field-email-taken");
            Err(errors.into())
        }
        Err(CreateError::Db(e)) => Err(e.into()),
    }
}

#[derive(Debug)]
pub enum LoginOutcome {
    Success(Box<Account>),
    WrongCredentials,
    Locked { until: Millis },
}

/// Judges a log-in. Each attempt on an existing account is counted before the password is checked; the fifth
/// in a row locks the account for [`store::LOCKOUT_MILLIS`], and while it is locked even the right password is
/// refused, so guessing gains nothing.
pub async fn authenticate(db: &Db, municipality: &str, email: &str, password: &str) -> Result<LoginOutcome, AppError> {
    let now = now_millis();
    let Some(account) = store::find_by_email(db, municipality, email).await?.filter(|a| a.active) else {
        // Unknown or switched-off e-mails take as long to refuse as a wrong password.
        password::verify(password.to_string(), None).await;
        return Ok(LoginOutcome::WrongCredentials);
    };
    let Some(attempt) = store::claim_login_attempt(db, &account.id, now).await? else {
        let until = store::find_by_id(db, &account.id).await?.and_then(|a| a.locked_until);
        return Ok(LoginOutcome::Locked { until: until.unwrap_or(now + store::LOCKOUT_MILLIS) });
    };
    if password::verify(password.to_string(), Some(account.password_hash.clone())).await {
        store::clear_failed_logins(db, &account.id).await?;
        return Ok(LoginOutcome::Success(Box::new(account)));
    }
    if attempt >= store::LOCKOUT_AFTER {
        return Ok(LoginOutcome::Locked { until: now + store::LOCKOUT_MILLIS });
    }
    Ok(LoginOutcome::WrongCredentials)
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct PasswordChange {
    #[serde(default)]
    pub current: String,
    #[serde(default)]
    pub new_password: String,
    #[serde(default)]
    pub new_password_confirm: String,
}

/// Changes a password after checking the current one; other sessions of the account end.
pub async fn change_password(
    db: &Db,
    user_id: &str,
    session_id: &str,
    change: &PasswordChange,
) -> Result<(), AppError> {
    let account = store::find_by_id(db, user_id).await?.ok_or(AppError::Unauthorized)?;
    let mut errors = FieldErrors::default();
    if change.current.is_empty() {
        errors.add("current", "field-required");
    } else if !password::verify(change.current.clone(), Some(account.password_hash.clone())).await {
        errors.add("current", "field-password-wrong");
    }
    check_new_password(&mut errors, "new_password", &change.new_password, &account.email);
    if !errors.has("new_password") && change.new_password != change.new_password_confirm {
        errors.add("new_password_confirm", "field-password-mismatch");
    }
    errors.into_result(())?;
    let hash = password::hash(change.new_password.clone()).await?;
    store::set_password(db, user_id, &hash).await?;
    store::delete_other_sessions(db, user_id, session_id).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signup(email: &str, password: &str, confirm: &str) -> SignupInput {
        SignupInput {
            email: email.into(),
            display_name: "김민지".into(),
            password: password.into(),
            password_confirm: confirm.into(),
            locale: String::new(),
        }
    }

    #[test]
    fn emails_are_checked_for_shape() {
        for good in ["a@b.kr", "minji.kim+care@nowon.go.kr"] {
            assert!(valid_email(good), "{good}");
        }
        for bad in ["", "a", "a@b", "@b.kr", "a@.kr", "a b@c.kr", "a@b@c.kr"] {
            assert!(!valid_email(bad), "{bad}");
        }
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let errors = SignupInput::default().validate().unwrap_err();
        assert_eq!(errors.code("email"), Some("field-required"));
        assert_eq!(errors.code("display_name"), Some("field-required"));
        assert_eq!(errors.code("password"), Some("field-required"));
    }

    #[test]
    fn passwords_must_be_long_confirmed_and_not_the_email() {
        let short = signup("a@b.kr", "short", "short").validate().unwrap_err();
        assert_eq!(short.code("password"), Some("field-password-short"));
        let mismatch = signup("a@b.kr", "long enough 1", "long enough 2").validate().unwrap_err();
        assert_eq!(mismatch.code("password_confirm"), Some("field-password-mismatch"));
        let same = signup("minji@nowon.kr", "minji@nowon.kr", "minji@nowon.kr").validate().unwrap_err();
        assert_eq!(same.code("password"), Some("field-password-is-email"));
        assert!(signup("a@b.kr", "long enough 1", "long enough 1").validate().is_ok());
    }
}
