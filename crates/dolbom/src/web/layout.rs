use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use crate::auth::{CsrfToken, Permission, Role, Visitor};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::i18n::{self, Locale};

/// The context every template gets as `page`: language, who is signed in, the CSRF token, the current path.
#[derive(Clone, Debug)]
pub struct Page {
    pub locale: Locale,
    pub user_name: Option<String>,
    pub role: Option<Role>,
    csrf: CsrfToken,
    pub path: String,
    pub title: String,
    /// The municipality's name in this page's language.
    pub place: String,
}

impl Page {
    /// A page titled by catalog key `title_key`.
    pub fn new(visitor: &Visitor, title_key: &str) -> Page {
        Page {
            locale: visitor.locale,
            user_name: visitor.user.as_ref().map(|u| u.display_name.clone()),
            role: visitor.user.as_ref().map(|u| u.role),
            csrf: visitor.csrf.clone(),
            path: visitor.path.clone(),
            title: i18n::t(visitor.locale, title_key),
            place: visitor.place.clone(),
        }
    }

    pub fn t(&self, key: impl AsRef<str>) -> String {
        i18n::t(self.locale, key.as_ref())
    }

    pub fn t1(&self, key: impl AsRef<str>, name: &str, value: impl AsRef<str>) -> String {
        i18n::t_args(self.locale, key.as_ref(), &[(name, value.as_ref())])
    }

    pub fn t2(&self, key: &str, a: &str, a_value: impl AsRef<str>, b: &str, b_value: impl AsRef<str>) -> String {
        i18n::t_args(self.locale, key, &[(a, a_value.as_ref()), (b, b_value.as_ref())])
    }

    /// The CSRF token for this page's forms (made on first use).
    pub fn csrf(&self) -> &str {
        self.csrf.get()
    }

    pub fn lang(&self) -> &'static str {
        self.locale.code()
    }

    pub fn signed_in(&self) -> bool {
        self.role.is_some()
    }

    /// Whether the visitor may open routes guarded by `permission` (to show only links that work).
    pub fn can(&self, permission: Permission) -> bool {
        permission.allows(self.role)
    }

    pub fn can_read_people(&self) -> bool {
        self.can(Permission::ReadPeople)
    }

    pub fn can_work_cases(&self) -> bool {
        self.can(Permission::CaseWork)
    }

    pub fn can_manage_spaces(&self) -> bool {
        self.can(Permission::ManageSpaces)
    }

    pub fn can_manage_directory(&self) -> bool {
        self.can(Permission::ManageDirectory)
    }

    pub fn can_register_children(&self) -> bool {
        self.can(Permission::RegisterChildren)
    }

    pub fn can_edit_facilities(&self) -> bool {
        self.can(Permission::EditFacilities)
    }

    pub fn can_provide_care(&self) -> bool {
        self.can(Permission::ProvideCare)
    }

    pub fn can_keep_caregiver_profile(&self) -> bool {
        self.can(Permission::KeepCaregiverProfile)
    }

    pub fn can_manage_waitlist(&self) -> bool {
        self.can(Permission::ManageWaitlist)
    }

    pub fn can_monitor_care(&self) -> bool {
        self.can(Permission::MonitorCare)
    }

    pub fn can_lead_groups(&self) -> bool {
        self.can(Permission::LeadGroups)
    }

    pub fn can_view_access_log(&self) -> bool {
        self.can(Permission::ViewAccessLog)
    }

    pub fn can_manage_accounts(&self) -> bool {
        self.can(Permission::ManageAccounts)
    }

    pub fn role_label(&self) -> String {
        self.role.map(|r| self.t(r.label_key())).unwrap_or_default()
    }

    pub fn locales(&self) -> [Locale; 4] {
        Locale::ALL
    }

    /// `/lang/en?next=…` for the language switch, returning to this page.
    pub fn lang_href(&self, to: &Locale) -> String {
        let next: String = url_encode(&self.path);
        format!("/lang/{}?next={next}", to.code())
    }

    /// The message for `field` if it is invalid, in this page's language.
    pub fn field_error(&self, errors: &FieldErrors, field: &str) -> Option<String> {
        errors.code(field).map(|code| self.t(code))
    }

    /// Formats whole KRW: `1,250,000원`.
    pub fn won(&self, amount: impl Won) -> String {
        self.t1("money-won", "amount", i18n::group_thousands(amount.krw()))
    }
}

/// An amount of whole KRW as templates hold it: by value or behind references.
pub trait Won {
    fn krw(&self) -> i64;
}

impl Won for i64 {
    fn krw(&self) -> i64 {
        *self
    }
}

impl<T: Won + ?Sized> Won for &T {
    fn krw(&self) -> i64 {
        (**self).krw()
    }
}

pub fn url_encode(s: &str) -> String {
    serde_urlencoded::to_string([("", s)]).map(|v| v[1..].to_string()).unwrap_or_default()
}

pub fn render<T: Template>(template: &T) -> AppResult<Response> {
    render_with_status(StatusCode::OK, template)
}

pub fn render_with_status<T: Template>(status: StatusCode, template: &T) -> AppResult<Response> {
    let html = template.render().map_err(|e| AppError::Internal(format!("template: {e}")))?;
    Ok((status, Html(html)).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(locale: Locale) -> Page {
        Page {
            locale,
            user_name: None,
            role: None,
            csrf: CsrfToken::none(),
            path: "/".into(),
            title: String::new(),
            place: String::new(),
        }
    }

    #[test]
    fn money_is_whole_won_with_separators() {
        assert_eq!(page(Locale::Ko).won(1_250_000), "1,250,000원");
        assert_eq!(page(Locale::Ko).won(0), "0원");
        assert_eq!(page(Locale::Ko).won(-999), "-999원");
        assert_eq!(page(Locale::En).won(1000), "₩1,000");
    }

    #[test]
    fn url_encoding_keeps_paths_safe() {
        assert_eq!(url_encode("/a b?c=1&d=한"), "%2Fa+b%3Fc%3D1%26d%3D%ED%95%9C");
    }
}
