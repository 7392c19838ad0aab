//! SQL for the administrators' pages: accounts with their roles, organizations and 행정동 scopes.

use super::model::Role;
use super::store::{ACCOUNT_COLUMNS, Account};
use crate::db::time::now_millis;
use crate::db::{Db, inserted_unless_duplicate, like_contains, new_id};
use crate::{db_run, tx_run};

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Organization {
    pub id: String,
    pub name: String,
    pub kind: String,
    /// In the municipality's consortium: shares cases with the other members within residents' consents.
    pub in_consortium: bool,
}

#[derive(Clone, Debug, Default)]
pub struct AccountFilter {
    pub query: String,
    pub role: Option<Role>,
}

pub const PAGE_SIZE: i64 = 50;

pub async fn list_accounts(db: &Db, municipality: &str, filter: &AccountFilter) -> Result<Vec<Account>, sqlx::Error> {
    let like = like_contains(&filter.query);
    let role = filter.role.map(|r| r.as_str());
    let sql = format!(
        "SELECT {ACCOUNT_COLUMNS} FROM users WHERE municipality_code = $1 \
         AND (lower(email) LIKE $2 ESCAPE '\\' OR lower(display_name) LIKE $2 ESCAPE '\\') AND ($3 IS NULL OR role = $3) \
         ORDER BY created_at, email LIMIT $4"
    );
    db_run!(db, p => sqlx::query_as(&sql).bind(municipality).bind(&like).bind(role).bind(PAGE_SIZE).fetch_all(p).await)
}

/// What an administrator can change on an account.
#[derive(Clone, Debug)]
pub struct AccountUpdate {
    pub role: Role,
    pub organization_id: Option<String>,
    pub areas: Vec<String>,
    pub active: bool,
    pub unlock: bool,
}

/// Applies an update in one transaction: the account row and its 행정동 scope change together or not at all.
pub async fn update_account(db: &Db, id: &str, update: &AccountUpdate) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin().await?;
    let sql = "UPDATE users SET role = $2, organization_id = $3, active = $4, \
               failed_logins = CASE WHEN $5 THEN 0 ELSE failed_logins END, \
               locked_until = CASE WHEN $5 THEN NULL ELSE locked_until END, updated_at = $6 WHERE id = $1";
    let changed = tx_run!(&mut tx, c => sqlx::query(sql)
        .bind(id)
        .bind(update.role.as_str())
        .bind(&update.organization_id)
        .bind(update.active)
        .bind(update.unlock)
        .bind(now_millis())
        .execute(c)
        .await?
        .rows_affected());
    if changed == 0 {
        return Ok(false);
    }
    set_areas(&mut tx, id, &update.areas).await?;
    if !update.active {
        tx_run!(&mut tx, c => sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(id).execute(c).await.map(|_| ()))?;
    }
    tx.commit().await?;
    Ok(true)
}

async fn set_areas(tx: &mut crate::db::Tx, user_id: &str, areas: &[String]) -> Result<(), sqlx::Error> {
    tx_run!(tx, c => sqlx::query("DELETE FROM user_areas WHERE user_id = $1").bind(user_id).execute(c).await.map(|_| ()))?;
    for area in areas {
        let sql = "INSERT INTO user_areas (user_id, adm_cd2) VALUES ($1, $2)";
        tx_run!(tx, c => sqlx::query(sql).bind(user_id).bind(area).execute(c).await.map(|_| ()))?;
    }
    Ok(())
}

/// Replaces the 행정동 scope of an account outside an update (used when creating staff accounts).
pub async fn replace_areas(db: &Db, user_id: &str, areas: &[String]) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    set_areas(&mut tx, user_id, areas).await?;
    tx.commit().await
}

pub async fn organizations(db: &Db, municipality: &str) -> Result<Vec<Organization>, sqlx::Error> {
    let sql = "SELECT id, name, kind, in_consortium FROM organizations WHERE municipality_code = $1 ORDER BY name";
    db_run!(db, p => sqlx::query_as(sql).bind(municipality).fetch_all(p).await)
}

pub async fn organization(db: &Db, id: &str) -> Result<Option<Organization>, sqlx::Error> {
    let sql = "SELECT id, name, kind, in_consortium FROM organizations WHERE id = $1";
    db_run!(db, p => sqlx::query_as(sql).bind(id).fetch_optional(p).await)
}

/// Puts an organization in the consortium or takes it out; `false` when there is no such organization here.
pub async fn set_consortium(db: &Db, municipality: &str, id: &str, member: bool) -> Result<bool, sqlx::Error> {
    let sql = "UPDATE organizations SET in_consortium = $1 WHERE id = $2 AND municipality_code = $3";
    let done = db_run!(db, p => sqlx::query(sql).bind(member).bind(id).bind(municipality).execute(p).await
        .map(|r| r.rows_affected()))?;
    Ok(done == 1)
}

/// Creates an organization; `None` when the municipality already has one of that name.
pub async fn create_organization(
    db: &Db,
    municipality: &str,
    name: &str,
    kind: &str,
) -> Result<Option<String>, sqlx::Error> {
    let id = new_id();
    let sql = "INSERT INTO organizations (id, municipality_code, name, kind, created_at) VALUES ($1, $2, $3, $4, $5)";
    let result = db_run!(db, p => sqlx::query(sql)
        .bind(&id)
        .bind(municipality)
        .bind(name.trim())
        .bind(kind)
        .bind(now_millis())
        .execute(p)
        .await
        .map(|_| ()));
    inserted_unless_duplicate(result, id)
}
