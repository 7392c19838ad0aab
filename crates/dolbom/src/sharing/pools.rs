//! SQL of 권역s, their pools and campaigns. Giving from the pool is one transaction: the ledger's duplicate check
//! and link, then the item's quantity taken only if that much is left (a conditional update), then the give.

use chrono::NaiveDate;
use serde::Serialize;

use crate::db::time::{Millis, now_millis};
use crate::db::{Db, new_id};
use crate::directory::model::NewService;
use crate::ledger::model::NewLink;
use crate::ledger::store::{self as ledger, LedgerError, Saved};
use crate::{db_run, directory, tx_run};

/// Creates a 권역 over `areas` with the directory service its pool's gives are linked as; returns its id.
pub async fn create_region(db: &Db, municipality: &str, name: &str, areas: &[String]) -> Result<String, sqlx::Error> {
    let service = NewService {
        source_id: Some(format!("region-pool:{name}")),
        organization: name.to_string(),
        name: format!("{name} 나눔 창고"),
        description: format!("{name} 권역의 주민센터·복지기관·주민이 함께 모은 물품과 서비스"),
        status: "active".into(),
        terms: vec!["theme:living".into(), "support_type:in_kind".into(), "provider:private".into()],
        ..NewService::default()
    };
    let service_id = directory::store::upsert_service(db, municipality, &service).await?;
    let id = new_id();
    let mut tx = db.begin().await?;
    let sql = "INSERT INTO regions (id, municipality_code, name, service_id, created_at) VALUES ($1, $2, $3, $4, $5)";
    tx_run!(&mut tx, c => sqlx::query(sql).bind(&id).bind(municipality).bind(name).bind(&service_id)
        .bind(now_millis()).execute(c).await.map(|_| ()))?;
    for area in areas {
        let sql = "INSERT INTO region_areas (region_id, adm_cd2) VALUES ($1, $2)";
        tx_run!(&mut tx, c => sqlx::query(sql).bind(&id).bind(area).execute(c).await.map(|_| ()))?;
    }
    tx.commit().await?;
    Ok(id)
}

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Region {
    pub id: String,
    pub name: String,
    pub service_id: String,
}

pub async fn regions(db: &Db, municipality: &str) -> Result<Vec<Region>, sqlx::Error> {
    let sql = "SELECT id, name, service_id FROM regions WHERE municipality_code = $1 ORDER BY name";
    db_run!(db, p => sqlx::query_as(sql).bind(municipality).fetch_all(p).await)
}

pub async fn region(db: &Db, municipality: &str, id: &str) -> Result<Option<Region>, sqlx::Error> {
    let sql = "SELECT id, name, service_id FROM regions WHERE id = $1 AND municipality_code = $2";
    db_run!(db, p => sqlx::query_as(sql).bind(id).bind(municipality).fetch_optional(p).await)
}

pub async fn region_areas(db: &Db, region_id: &str) -> Result<Vec<String>, sqlx::Error> {
    let sql = "SELECT adm_cd2 FROM region_areas WHERE region_id = $1 ORDER BY adm_cd2";
    db_run!(db, p => sqlx::query_scalar(sql).bind(region_id).fetch_all(p).await)
}

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Item {
    pub id: String,
    pub name: String,
    pub unit: String,
    pub quantity: i32,
    pub donor: String,
    pub given: i64,
}

pub async fn items(db: &Db, region_id: &str) -> Result<Vec<Item>, sqlx::Error> {
    let sql = "SELECT i.id, i.name, i.unit, i.quantity, i.donor, \
               CAST(COALESCE((SELECT SUM(g.quantity) FROM pool_gives g WHERE g.pool_item_id = i.id), 0) AS BIGINT) AS given \
               FROM pool_items i WHERE i.region_id = $1 ORDER BY i.added_at DESC, i.id";
    db_run!(db, p => sqlx::query_as(sql).bind(region_id).fetch_all(p).await)
}

pub struct NewItem<'a> {
    pub name: &'a str,
    pub unit: &'a str,
    pub quantity: i32,
    pub donor: &'a str,
    pub campaign_id: Option<&'a str>,
}

pub async fn add_item(db: &Db, region_id: &str, item: &NewItem<'_>, by: &str) -> Result<String, sqlx::Error> {
    let id = new_id();
    let sql = "INSERT INTO pool_items (id, region_id, name, unit, quantity, donor, campaign_id, added_by, added_at) \
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
    db_run!(db, p => sqlx::query(sql).bind(&id).bind(region_id).bind(item.name).bind(item.unit).bind(item.quantity)
        .bind(item.donor).bind(item.campaign_id).bind(by).bind(now_millis()).execute(p).await.map(|_| ()))?;
    Ok(id)
}

#[derive(Debug, thiserror::Error)]
pub enum GiveError {
    #[error("no such item in the region")]
    UnknownItem,
    /// Less is left than asked for: nothing was given.
    #[error("only {0} left")]
    NotEnough(i32),
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// Gives `quantity` of a pool item to a household for `agency`: the ledger's check and link (the item and amount
/// as its in-kind text), the quantity taken, the give kept: all or nothing. A duplicate warning keeps the warning
/// only.
#[allow(clippy::too_many_arguments)]
pub async fn give(
    db: &Db,
    municipality: &str,
    item_id: &str,
    household_id: &str,
    quantity: i32,
    period: (NaiveDate, NaiveDate),
    reason: &str,
    agency: &str,
    by: &str,
) -> Result<Saved, GiveError> {
    let sql = "SELECT i.name, i.unit, i.quantity, r.service_id FROM pool_items i JOIN regions r ON r.id = i.region_id \
               WHERE i.id = $1 AND r.municipality_code = $2";
    let found: Option<(String, String, i32, String)> =
        db_run!(db, p => sqlx::query_as(sql).bind(item_id).bind(municipality).fetch_optional(p).await)?;
    let (name, unit, left, service_id) = found.ok_or(GiveError::UnknownItem)?;
    if left < quantity {
        return Err(GiveError::NotEnough(left));
    }
    let link = NewLink {
        household_id: household_id.to_string(),
        service_id,
        starts_on: period.0,
        ends_on: period.1,
        amount_krw: None,
        in_kind: format!("{name} {quantity}{unit}"),
        reason: reason.trim().to_string(),
    };
    let mut tx = db.begin().await?;
    let saved = match ledger::save_in(&mut tx, municipality, &link, agency, by).await {
        Ok(saved) => saved,
        Err(e @ LedgerError::NeedsReason(_)) => {
            tx.commit().await?;
            return Err(e.into());
        }
        Err(e) => return Err(e.into()),
    };
    let take = "UPDATE pool_items SET quantity = quantity - $1 WHERE id = $2 AND quantity >= $1";
    let taken = tx_run!(&mut tx, c => sqlx::query(take).bind(quantity).bind(item_id).execute(c).await
        .map(|r| r.rows_affected()))?;
    if taken == 0 {
        // Another give took it first: the link is rolled back with the transaction.
        let left: i32 = db_run!(db, p => sqlx::query_scalar("SELECT quantity FROM pool_items WHERE id = $1")
            .bind(item_id).fetch_one(p).await)?;
        return Err(GiveError::NotEnough(left));
    }
    let sql = "INSERT INTO pool_gives (id, pool_item_id, link_id, quantity, given_at) VALUES ($1, $2, $3, $4, $5)";
    tx_run!(&mut tx, c => sqlx::query(sql).bind(new_id()).bind(item_id).bind(&saved.id).bind(quantity)
        .bind(now_millis()).execute(c).await.map(|_| ()))?;
    tx.commit().await?;
    Ok(saved)
}

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Campaign {
    pub id: String,
    pub region_id: String,
    pub title: String,
    pub goal: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub pledges: i64,
    pub received: i64,
}

const CAMPAIGN_SELECT: &str = "SELECT c.id, c.region_id, c.title, c.goal, c.starts_on, c.ends_on, \
     (SELECT COUNT(*) FROM pledges p WHERE p.campaign_id = c.id) AS pledges, \
     (SELECT COUNT(*) FROM pledges p WHERE p.campaign_id = c.id AND p.pool_item_id IS NOT NULL) AS received \
     FROM campaigns c";

pub async fn create_campaign(
    db: &Db,
    region_id: &str,
    title: &str,
    goal: &str,
    period: (NaiveDate, NaiveDate),
    by: &str,
) -> Result<String, sqlx::Error> {
    let id = new_id();
    let sql = "INSERT INTO campaigns (id, region_id, title, goal, starts_on, ends_on, created_by, created_at) \
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
    db_run!(db, p => sqlx::query(sql).bind(&id).bind(region_id).bind(title).bind(goal).bind(period.0).bind(period.1)
        .bind(by).bind(now_millis()).execute(p).await.map(|_| ()))?;
    Ok(id)
}

pub async fn campaigns(db: &Db, region_id: &str) -> Result<Vec<Campaign>, sqlx::Error> {
    let sql = format!("{CAMPAIGN_SELECT} WHERE c.region_id = $1 ORDER BY c.starts_on DESC, c.id");
    db_run!(db, p => sqlx::query_as(&sql).bind(region_id).fetch_all(p).await)
}

/// The municipality's campaigns running on `day`, for residents to pledge to.
pub async fn running(db: &Db, municipality: &str, day: NaiveDate) -> Result<Vec<Campaign>, sqlx::Error> {
    let sql = format!(
        "{CAMPAIGN_SELECT} JOIN regions r ON r.id = c.region_id WHERE r.municipality_code = $1 \
         AND c.starts_on <= $2 AND c.ends_on >= $2 ORDER BY c.ends_on, c.id"
    );
    db_run!(db, p => sqlx::query_as(&sql).bind(municipality).bind(day).fetch_all(p).await)
}

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Pledge {
    pub id: String,
    pub campaign_id: String,
    pub donor: String,
    pub item: String,
    pub unit: String,
    pub quantity: i32,
    pub pledged_at: Millis,
    pub pool_item_id: Option<String>,
}

pub struct NewPledge<'a> {
    pub donor: &'a str,
    pub donor_user: Option<&'a str>,
    pub item: &'a str,
    pub unit: &'a str,
    pub quantity: i32,
}

/// Pledges to a campaign running today; `false` when no such campaign is running.
pub async fn pledge(
    db: &Db,
    municipality: &str,
    campaign_id: &str,
    p: &NewPledge<'_>,
    today: NaiveDate,
) -> Result<bool, sqlx::Error> {
    let sql = "INSERT INTO pledges (id, campaign_id, donor, donor_user, item, unit, quantity, pledged_at) \
               SELECT $1, c.id, $2, $3, $4, $5, $6, $7 FROM campaigns c JOIN regions r ON r.id = c.region_id \
               WHERE c.id = $8 AND r.municipality_code = $9 AND c.starts_on <= $10 AND c.ends_on >= $10";
    let n = db_run!(db, q => sqlx::query(sql).bind(new_id()).bind(p.donor).bind(p.donor_user).bind(p.item).bind(p.unit)
        .bind(p.quantity).bind(now_millis()).bind(campaign_id).bind(municipality).bind(today).execute(q).await
        .map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

pub async fn pledges(db: &Db, campaign_id: &str) -> Result<Vec<Pledge>, sqlx::Error> {
    let sql = "SELECT id, campaign_id, donor, item, unit, quantity, pledged_at, pool_item_id FROM pledges \
               WHERE campaign_id = $1 ORDER BY pledged_at DESC, id";
    db_run!(db, p => sqlx::query_as(sql).bind(campaign_id).fetch_all(p).await)
}

/// The 권역 a pledge of the municipality was made to.
pub async fn region_of_pledge(db: &Db, municipality: &str, pledge_id: &str) -> Result<Option<String>, sqlx::Error> {
    let sql = "SELECT c.region_id FROM pledges p JOIN campaigns c ON c.id = p.campaign_id \
               JOIN regions r ON r.id = c.region_id WHERE p.id = $1 AND r.municipality_code = $2";
    db_run!(db, p => sqlx::query_scalar(sql).bind(pledge_id).bind(municipality).fetch_optional(p).await)
}

/// Receives a pledge's goods into the region's pool, once; the pool item's id, or `None` if already received.
pub async fn receive(db: &Db, pledge_id: &str, by: &str) -> Result<Option<String>, sqlx::Error> {
    let mut tx = db.begin().await?;
    let sql = "SELECT p.item, p.unit, p.quantity, p.donor, p.campaign_id, c.region_id FROM pledges p \
               JOIN campaigns c ON c.id = p.campaign_id WHERE p.id = $1 AND p.pool_item_id IS NULL";
    let found: Option<(String, String, i32, String, String, String)> =
        tx_run!(&mut tx, c => sqlx::query_as(sql).bind(pledge_id).fetch_optional(c).await)?;
    let Some((item, unit, quantity, donor, campaign, region)) = found else { return Ok(None) };
    let id = new_id();
    let sql = "INSERT INTO pool_items (id, region_id, name, unit, quantity, donor, campaign_id, added_by, added_at) \
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
    tx_run!(&mut tx, c => sqlx::query(sql).bind(&id).bind(&region).bind(&item).bind(&unit).bind(quantity).bind(&donor)
        .bind(&campaign).bind(by).bind(now_millis()).execute(c).await.map(|_| ()))?;
    let sql = "UPDATE pledges SET pool_item_id = $1 WHERE id = $2 AND pool_item_id IS NULL";
    let n =
        tx_run!(&mut tx, c => sqlx::query(sql).bind(&id).bind(pledge_id).execute(c).await.map(|r| r.rows_affected()))?;
    if n == 0 {
        return Ok(None);
    }
    tx.commit().await?;
    Ok(Some(id))
}

/// What the pool gave, through the ledger: item, quantity, household, agency, when.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Given {
    pub item: String,
    pub unit: String,
    pub quantity: i32,
    pub household_id: String,
    pub agency_name: String,
    pub given_at: Millis,
}

pub async fn given(db: &Db, region_id: &str) -> Result<Vec<Given>, sqlx::Error> {
    let sql = "SELECT i.name AS item, i.unit, g.quantity, l.household_id, o.name AS agency_name, g.given_at \
               FROM pool_gives g JOIN pool_items i ON i.id = g.pool_item_id JOIN resource_links l ON l.id = g.link_id \
               JOIN organizations o ON o.id = l.agency_id WHERE i.region_id = $1 ORDER BY g.given_at DESC LIMIT 200";
    db_run!(db, p => sqlx::query_as(sql).bind(region_id).fetch_all(p).await)
}
