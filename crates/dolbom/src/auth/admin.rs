//! Administrators' pages: accounts, roles, organizations and 행정동 scopes.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::CsrfForm;
use super::accounts::{self, check_display_name, check_email, check_new_password};
use super::admin_store::{self, AccountFilter, AccountUpdate, Organization};
use super::model::{CurrentUser, Role, Visitor};
use super::store::{self, Account};
use crate::app::AppState;
use crate::areas::Area;
use crate::audit::{self, Purpose, Reader, RecordKind};
use crate::db::time::{now_millis, seoul_display};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::i18n::Locale;
use crate::web::{Page, render, render_with_status};

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    role: String,
}

struct AccountRow {
    id: String,
    email: String,
    display_name: String,
    role: Role,
    active: bool,
    locked: bool,
    created: String,
}

impl From<Account> for AccountRow {
    fn from(a: Account) -> Self {
        AccountRow {
            locked: a.is_locked(now_millis()),
            role: a.role(),
            created: seoul_display(a.created_at),
            id: a.id,
            email: a.email,
            display_name: a.display_name,
            active: a.active,
        }
    }
}

#[derive(Template)]
#[template(path = "admin/accounts.html")]
struct AccountsPage {
    page: Page,
    q: String,
    role: String,
    roles: [Role; 7],
    accounts: Vec<AccountRow>,
    organizations: Vec<Organization>,
    org_errors: FieldErrors,
    org_name: String,
}

pub async fn accounts(
    State(state): State<AppState>,
    visitor: Visitor,
    admin: CurrentUser,
    Query(q): Query<ListQuery>,
) -> AppResult<Response> {
    let page = accounts_page(&state, &visitor, &admin, q, FieldErrors::default(), String::new()).await?;
    render(&page)
}

/// The account list (a logged read: it shows names and e-mails) with the organization form under it.
async fn accounts_page(
    state: &AppState,
    visitor: &Visitor,
    admin: &CurrentUser,
    q: ListQuery,
    org_errors: FieldErrors,
    org_name: String,
) -> AppResult<AccountsPage> {
    let filter = AccountFilter { query: q.q.clone(), role: q.role.parse().ok() };
    let search = serde_urlencoded::to_string([("q", &q.q), ("role", &q.role)]).unwrap_or_default();
    let reader = Reader::of(state, admin, visitor);
    audit::record_read(&state.db, &reader, RecordKind::AccountList, &search, Purpose::AccountAdministration).await?;
    let accounts = admin_store::list_accounts(&state.db, state.municipality(), &filter).await?;
    Ok(AccountsPage {
        page: Page::new(visitor, "admin-accounts-title"),
        q: q.q,
        role: q.role,
        roles: Role::ALL,
        accounts: accounts.into_iter().map(AccountRow::from).collect(),
        organizations: admin_store::organizations(&state.db, state.municipality()).await?,
        org_errors,
        org_name,
    })
}

#[derive(Deserialize, Default, Clone)]
pub struct StaffForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    organization_id: String,
    #[serde(default)]
    areas: Vec<String>,
    #[serde(default)]
    active: Option<String>,
    #[serde(default)]
    unlock: Option<String>,
}

#[derive(Template)]
#[template(path = "admin/account_form.html")]
struct AccountFormPage {
    page: Page,
    /// `None` while creating.
    account_id: Option<String>,
    form: StaffForm,
    errors: FieldErrors,
    roles: [Role; 7],
    organizations: Vec<Organization>,
    areas: Vec<Area>,
    locked: bool,
}

impl AccountFormPage {
    fn area_checked(&self, code: &str) -> bool {
        self.form.areas.iter().any(|a| a == code)
    }
}

async fn form_page(
    state: &AppState,
    visitor: &Visitor,
    account_id: Option<String>,
    form: StaffForm,
    errors: FieldErrors,
    locked: bool,
) -> AppResult<AccountFormPage> {
    let title = if account_id.is_some() { "admin-account-edit-title" } else { "admin-account-new-title" };
    Ok(AccountFormPage {
        page: Page::new(visitor, title),
        account_id,
        form,
        errors,
        roles: Role::ALL,
        organizations: admin_store::organizations(&state.db, state.municipality()).await?,
        areas: state.areas.all().to_vec(),
        locked,
    })
}

pub async fn new_account_form(State(state): State<AppState>, visitor: Visitor) -> AppResult<Response> {
    let form = StaffForm { role: Role::WelfareWorker.as_str().into(), active: Some("on".into()), ..Default::default() };
    render(&form_page(&state, &visitor, None, form, FieldErrors::default(), false).await?)
}

/// Checks role, organization and 행정동s against what exists; returns the parsed role.
async fn check_scope(state: &AppState, form: &StaffForm, errors: &mut FieldErrors) -> AppResult<Role> {
    let role = form.role.parse::<Role>().ok();
    if role.is_none() {
        errors.add("role", "field-choice-invalid");
    }
    let role = role.unwrap_or(Role::Resident);
    if form.organization_id.is_empty() {
        if role.needs_organization() {
            errors.add("organization_id", "field-organization-required");
        }
    } else if admin_store::organization(&state.db, &form.organization_id).await?.is_none() {
        errors.add("organization_id", "field-choice-invalid");
    }
    if form.areas.iter().any(|a| state.areas.get(a).is_none()) {
        errors.add("areas", "field-choice-invalid");
    } else if role.needs_areas() && form.areas.is_empty() {
        errors.add("areas", "field-areas-required");
    }
    Ok(role)
}

pub async fn create_account(
    State(state): State<AppState>,
    visitor: Visitor,
    CsrfForm(form): CsrfForm<StaffForm>,
) -> AppResult<Response> {
    let mut errors = FieldErrors::default();
    check_email(&mut errors, &form.email);
    check_display_name(&mut errors, &form.display_name);
    check_new_password(&mut errors, "password", &form.password, &form.email);
    let role = check_scope(&state, &form, &mut errors).await?;
    let org = Some(form.organization_id.as_str()).filter(|o| !o.is_empty());
    let created = if errors.is_empty() {
        accounts::create(
            &state.db,
            state.municipality(),
            &form.email,
            &form.display_name,
            &form.password,
            role,
            org,
            Locale::Ko,
        )
        .await
    } else {
        Err(AppError::Invalid(errors))
    };
    match created {
        Ok(id) => {
            admin_store::replace_areas(&state.db, &id, &form.areas).await?;
            Ok(Redirect::to(&format!("/admin/accounts/{id}")).into_response())
        }
        Err(AppError::Invalid(errors)) => {
            let form = StaffForm { password: String::new(), ..form };
            let page = form_page(&state, &visitor, None, form, errors, false).await?;
            render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(e) => Err(e),
    }
}

pub async fn edit_account_form(
    State(state): State<AppState>,
    visitor: Visitor,
    admin: CurrentUser,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let account = store::find_by_id(&state.db, &id).await?.ok_or(AppError::NotFound)?;
    let reader = Reader::of(&state, &admin, &visitor);
    audit::record_read(&state.db, &reader, RecordKind::Account, &account.id, Purpose::AccountAdministration).await?;
    let locked = account.is_locked(now_millis());
    let form = StaffForm {
        email: account.email,
        display_name: account.display_name,
        password: String::new(),
        role: account.role,
        organization_id: account.organization_id.unwrap_or_default(),
        areas: store::areas_of(&state.db, &id).await?,
        active: account.active.then(|| "on".to_string()),
        unlock: None,
    };
    render(&form_page(&state, &visitor, Some(id), form, FieldErrors::default(), locked).await?)
}

pub async fn update_account(
    State(state): State<AppState>,
    visitor: Visitor,
    admin: CurrentUser,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<StaffForm>,
) -> AppResult<Response> {
    let account = store::find_by_id(&state.db, &id).await?.ok_or(AppError::NotFound)?;
    let mut errors = FieldErrors::default();
    let role = check_scope(&state, &form, &mut errors).await?;
    if id == admin.id && (role != Role::Admin || form.active.is_none()) {
        errors.add("role", "field-cannot-demote-self");
    }
    if !errors.is_empty() {
        let form = StaffForm { email: account.email.clone(), display_name: account.display_name.clone(), ..form };
        let page = form_page(&state, &visitor, Some(id), form, errors, account.is_locked(now_millis())).await?;
        return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    let update = AccountUpdate {
        role,
        organization_id: Some(form.organization_id).filter(|o| !o.is_empty()),
        areas: form.areas,
        active: form.active.is_some(),
        unlock: form.unlock.is_some(),
    };
    admin_store::update_account(&state.db, &id, &update).await?;
    Ok(Redirect::to(&format!("/admin/accounts/{id}")).into_response())
}

#[derive(Deserialize, Default)]
pub struct OrganizationForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: String,
}

#[derive(Deserialize, Default)]
pub struct ConsortiumForm {
    #[serde(default)]
    member: String,
}

/// `POST /admin/organizations/{id}/consortium`: puts the organization in the consortium (`member=yes`) or out.
pub async fn set_consortium(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<ConsortiumForm>,
) -> AppResult<Response> {
    if !admin_store::set_consortium(&state.db, state.municipality(), &id, form.member == "yes").await? {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::to("/admin/accounts#orgs").into_response())
}

pub const ORGANIZATION_KINDS: [&str; 6] =
    ["government", "community_center", "welfare_center", "care_provider", "private_agency", "community_group"];

pub async fn create_organization(
    State(state): State<AppState>,
    visitor: Visitor,
    admin: CurrentUser,
    CsrfForm(form): CsrfForm<OrganizationForm>,
) -> AppResult<Response> {
    let mut errors = FieldErrors::default();
    let name = form.name.trim();
    if name.is_empty() {
        errors.add("name", "field-required");
    } else if name.chars().count() > 100 {
        errors.add("name", "field-name-invalid");
    }
    if !ORGANIZATION_KINDS.contains(&form.kind.as_str()) {
        errors.add("kind", "field-choice-invalid");
    }
    if errors.is_empty()
        && admin_store::create_organization(&state.db, state.municipality(), name, &form.kind).await?.is_none()
    {
        errors.add("name", "field-organization-taken");
    }
    if errors.is_empty() {
        return Ok(Redirect::to("/admin/accounts").into_response());
    }
    let page = accounts_page(&state, &visitor, &admin, ListQuery::default(), errors, form.name).await?;
    render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}
