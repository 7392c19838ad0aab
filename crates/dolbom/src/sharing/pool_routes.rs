//! 권역 pages: the regions (officials create them), a region's pool with its items, gives and campaigns, and the
//! public page where anyone signed in pledges to a running campaign.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::pools::{self, Campaign, GiveError, Given, Item, NewItem, NewPledge, Pledge, Region};
use crate::app::AppState;
use crate::audit::{Purpose, Reader};
use crate::auth::{CsrfForm, CurrentUser, NoFields, Role, Visitor};
use crate::cases::model::{date, text};
use crate::db::time::seoul_today;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::ledger::store::LedgerError;
use crate::web::{Page, render, render_with_status};

#[derive(Template)]
#[template(path = "sharing/regions.html")]
struct RegionsPage {
    page: Page,
    regions: Vec<Region>,
    areas: Vec<(String, String)>,
    may_create: bool,
    errors: FieldErrors,
}

async fn regions_page(state: &AppState, visitor: &Visitor, user: &CurrentUser) -> AppResult<RegionsPage> {
    Ok(RegionsPage {
        page: Page::new(visitor, "regions-title"),
        regions: pools::regions(&state.db, state.municipality()).await?,
        areas: state.areas.choices(),
        may_create: user.role == Role::Official,
        errors: FieldErrors::default(),
    })
}

pub async fn regions(State(state): State<AppState>, visitor: Visitor, user: CurrentUser) -> AppResult<Response> {
    render(&regions_page(&state, &visitor, &user).await?)
}

#[derive(Deserialize, Default)]
pub struct RegionForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    area: Vec<String>,
}

/// `POST /staff/regions`: an official groups 행정동s into a 권역.
pub async fn create_region(
    State(state): State<AppState>,
    visitor: Visitor,
    user: CurrentUser,
    CsrfForm(form): CsrfForm<RegionForm>,
) -> AppResult<Response> {
    let mut errors = FieldErrors::default();
    let name = text(&mut errors, "name", &form.name);
    if form.area.is_empty() || form.area.iter().any(|a| state.areas.get(a).is_none()) {
        errors.add("area", "region-error-areas");
    }
    if errors.is_empty() && pools::regions(&state.db, state.municipality()).await?.iter().any(|r| r.name == name) {
        errors.add("name", "region-error-taken");
    }
    if errors.is_empty() {
        let id = pools::create_region(&state.db, state.municipality(), &name, &form.area).await?;
        return Ok(Redirect::to(&format!("/staff/regions/{id}")).into_response());
    }
    let mut page = regions_page(&state, &visitor, &user).await?;
    page.errors = errors;
    render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

#[derive(Template)]
#[template(path = "sharing/region.html")]
struct RegionPage {
    page: Page,
    region: Region,
    area_names: Vec<String>,
    items: Vec<Item>,
    given: Vec<Given>,
    campaigns: Vec<(Campaign, Vec<Pledge>)>,
    may_give: bool,
    failed: &'static str,
    errors: FieldErrors,
}

impl RegionPage {
    fn errors_of(&self, form: &str) -> FieldErrors {
        if self.failed == form { self.errors.clone() } else { FieldErrors::default() }
    }

    fn when(&self, at: &crate::db::time::Millis) -> String {
        crate::db::time::seoul_display(*at)
    }
}

async fn region_page(state: &AppState, visitor: &Visitor, user: &CurrentUser, id: &str) -> AppResult<RegionPage> {
    let db = &state.db;
    let region = pools::region(db, state.municipality(), id).await?.ok_or(AppError::NotFound)?;
    let area_names =
        pools::region_areas(db, id).await?.iter().filter_map(|a| state.areas.name_of(a).map(str::to_string)).collect();
    let mut campaigns = Vec::new();
    for c in pools::campaigns(db, id).await? {
        let pledges = pools::pledges(db, &c.id).await?;
        campaigns.push((c, pledges));
    }
    Ok(RegionPage {
        page: Page::new(visitor, "region-title"),
        area_names,
        items: pools::items(db, id).await?,
        given: pools::given(db, id).await?,
        campaigns,
        may_give: user.role == Role::WelfareWorker,
        region,
        failed: "",
        errors: FieldErrors::default(),
    })
}

pub async fn region(
    State(state): State<AppState>,
    visitor: Visitor,
    user: CurrentUser,
    Path(id): Path<String>,
) -> AppResult<Response> {
    render(&region_page(&state, &visitor, &user, &id).await?)
}

fn quantity(errors: &mut FieldErrors, value: &str) -> i32 {
    match value.trim().parse::<i32>() {
        Ok(n) if n > 0 => n,
        _ => {
            errors.add("quantity", "sharing-error-quantity");
            0
        }
    }
}

async fn refused(
    state: &AppState,
    visitor: &Visitor,
    user: &CurrentUser,
    id: &str,
    form: &'static str,
    errors: FieldErrors,
) -> AppResult<Response> {
    let mut page = region_page(state, visitor, user, id).await?;
    (page.failed, page.errors) = (form, errors);
    render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

#[derive(Deserialize, Default)]
pub struct ItemForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    quantity: String,
    #[serde(default)]
    donor: String,
}

/// `POST /staff/regions/{id}/items`: goods or services donated to the pool.
pub async fn add_item(
    State(state): State<AppState>,
    visitor: Visitor,
    user: CurrentUser,
    Path(id): Path<String>,
    CsrfForm(f): CsrfForm<ItemForm>,
) -> AppResult<Response> {
    pools::region(&state.db, state.municipality(), &id).await?.ok_or(AppError::NotFound)?;
    let mut errors = FieldErrors::default();
    let (name, unit, donor) =
        (text(&mut errors, "name", &f.name), text(&mut errors, "unit", &f.unit), text(&mut errors, "donor", &f.donor));
    let quantity = quantity(&mut errors, &f.quantity);
    if !errors.is_empty() {
        return refused(&state, &visitor, &user, &id, "item", errors).await;
    }
    let item = NewItem { name: &name, unit: &unit, quantity, donor: &donor, campaign_id: None };
    pools::add_item(&state.db, &id, &item, &user.id).await?;
    Ok(Redirect::to(&format!("/staff/regions/{id}#pool")).into_response())
}

#[derive(Deserialize, Default)]
pub struct GiveForm {
    #[serde(default)]
    item_id: String,
    #[serde(default)]
    household_id: String,
    #[serde(default)]
    quantity: String,
    #[serde(default)]
    reason: String,
}

/// `POST /staff/regions/{id}/gives`: a worker gives from the pool to a household they may open, through the ledger.
pub async fn give(
    State(state): State<AppState>,
    visitor: Visitor,
    user: CurrentUser,
    Path(id): Path<String>,
    CsrfForm(f): CsrfForm<GiveForm>,
) -> AppResult<Response> {
    let mut errors = FieldErrors::default();
    let quantity = quantity(&mut errors, &f.quantity);
    let reader = Reader::of(&state, &user, &visitor);
    let household = f.household_id.trim();
    let reached = crate::people::store::household_members(&state.db, &reader, household, Purpose::CaseManagement).await;
    if matches!(reached, Err(AppError::NotFound)) {
        errors.add("household_id", "sharing-error-household");
    }
    reached.or_else(|e| if matches!(e, AppError::NotFound) { Ok(Vec::new()) } else { Err(e) })?;
    let agency = user.organization_id.as_deref().unwrap_or_default();
    if errors.is_empty() {
        let today = seoul_today();
        let given = pools::give(
            &state.db,
            state.municipality(),
            &f.item_id,
            household,
            quantity,
            (today, today),
            &f.reason,
            agency,
            &user.id,
        )
        .await;
        match given {
            Ok(_) => return Ok(Redirect::to(&format!("/staff/regions/{id}#given")).into_response()),
            Err(GiveError::UnknownItem) => errors.add("item_id", "field-choice-invalid"),
            Err(GiveError::NotEnough(_)) => errors.add("quantity", "sharing-error-not-enough"),
            Err(GiveError::Ledger(LedgerError::NeedsReason(_))) => errors.add("reason", "ledger-error-needs-reason"),
            Err(GiveError::Ledger(LedgerError::UnknownHousehold)) => {
                errors.add("household_id", "sharing-error-household")
            }
            Err(GiveError::Ledger(LedgerError::UnknownService)) => errors.add("item_id", "field-choice-invalid"),
            Err(GiveError::Ledger(LedgerError::Db(e)) | GiveError::Db(e)) => return Err(e.into()),
        }
    }
    refused(&state, &visitor, &user, &id, "give", errors).await
}

#[derive(Deserialize, Default)]
pub struct CampaignForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    goal: String,
    #[serde(default)]
    starts_on: String,
    #[serde(default)]
    ends_on: String,
}

/// `POST /staff/regions/{id}/campaigns`: a joint donation campaign of the 권역.
pub async fn create_campaign(
    State(state): State<AppState>,
    visitor: Visitor,
    user: CurrentUser,
    Path(id): Path<String>,
    CsrfForm(f): CsrfForm<CampaignForm>,
) -> AppResult<Response> {
    pools::region(&state.db, state.municipality(), &id).await?.ok_or(AppError::NotFound)?;
    let mut errors = FieldErrors::default();
    let (title, goal) = (text(&mut errors, "title", &f.title), text(&mut errors, "goal", &f.goal));
    let (starts, ends) = (date(&f.starts_on), date(&f.ends_on));
    match (starts, ends) {
        (None, _) => errors.add("starts_on", "field-date-invalid"),
        (_, None) => errors.add("ends_on", "field-date-invalid"),
        (Some(s), Some(e)) if e < s => errors.add("ends_on", "ledger-error-period-reversed"),
        _ => {}
    }
    if let (true, Some(s), Some(e)) = (errors.is_empty(), starts, ends) {
        pools::create_campaign(&state.db, &id, &title, &goal, (s, e), &user.id).await?;
        return Ok(Redirect::to(&format!("/staff/regions/{id}#campaigns")).into_response());
    }
    refused(&state, &visitor, &user, &id, "campaign", errors).await
}

/// `POST /staff/pledges/{id}/receive`: the pledged goods arrived and join the pool.
pub async fn receive(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> AppResult<Response> {
    let region = pools::region_of_pledge(&state.db, state.municipality(), &id).await?.ok_or(AppError::NotFound)?;
    if pools::receive(&state.db, &id, &user.id).await?.is_none() {
        return Err(AppError::Conflict("sharing-error-received"));
    }
    Ok(Redirect::to(&format!("/staff/regions/{region}#campaigns")).into_response())
}

#[derive(Template)]
#[template(path = "sharing/campaigns.html")]
struct CampaignsPage {
    page: Page,
    campaigns: Vec<Campaign>,
    errors: FieldErrors,
    thanks: bool,
}

/// `GET /sharing`: the campaigns running today, with the pledge form for those signed in.
pub async fn campaigns(State(state): State<AppState>, visitor: Visitor) -> AppResult<Response> {
    let campaigns = pools::running(&state.db, state.municipality(), seoul_today()).await?;
    render(&CampaignsPage {
        page: Page::new(&visitor, "sharing-title"),
        campaigns,
        errors: FieldErrors::default(),
        thanks: false,
    })
}

#[derive(Deserialize, Default)]
pub struct PledgeForm {
    #[serde(default)]
    item: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    quantity: String,
}

/// `POST /sharing/campaigns/{id}/pledges`
pub async fn pledge(
    State(state): State<AppState>,
    visitor: Visitor,
    user: CurrentUser,
    Path(id): Path<String>,
    CsrfForm(f): CsrfForm<PledgeForm>,
) -> AppResult<Response> {
    let mut errors = FieldErrors::default();
    let (item, unit) = (text(&mut errors, "item", &f.item), text(&mut errors, "unit", &f.unit));
    let quantity = quantity(&mut errors, &f.quantity);
    let today = seoul_today();
    let mut thanks = false;
    if errors.is_empty() {
        let p = NewPledge { donor: &user.display_name, donor_user: Some(&user.id), item: &item, unit: &unit, quantity };
        if !pools::pledge(&state.db, state.municipality(), &id, &p, today).await? {
            return Err(AppError::NotFound);
        }
        thanks = true;
    }
    let campaigns = pools::running(&state.db, state.municipality(), today).await?;
    let status = if thanks { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    render_with_status(status, &CampaignsPage { page: Page::new(&visitor, "sharing-title"), campaigns, errors, thanks })
}
