//! SQL of community groups and their join requests. Accepting a request and counting the new member happen in one
//! transaction, so the member count never drifts from the answers given.

use serde::Serialize;

use super::model::Group;
use crate::db::change_log::{self, Op};
use crate::db::time::now_millis;
use crate::db::{Db, new_id};
use crate::{db_run, tx_run};

pub const ENTITY: &str = "group";

const COLUMNS: &str = "id, source_id, kind, name, organization_id, adm_cd2, activities, meeting_place, latitude, \
    longitude, meeting_time, contact, member_count, updated_at";

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    source_id: Option<String>,
    kind: String,
    name: String,
    organization_id: Option<String>,
    adm_cd2: String,
    activities: String,
    meeting_place: String,
    latitude: f64,
    longitude: f64,
    meeting_time: String,
    contact: Option<String>,
    member_count: i32,
    updated_at: i64,
}

impl From<Row> for Group {
    fn from(r: Row) -> Group {
        Group {
            id: r.id,
            source_id: r.source_id,
            kind: r.kind,
            name: r.name,
            organization_id: r.organization_id,
            adm_cd2: r.adm_cd2,
            activities: r.activities,
            meeting_place: r.meeting_place,
            latitude: r.latitude,
            longitude: r.longitude,
            meeting_time: r.meeting_time,
            contact: r.contact,
            member_count: r.member_count,
            updated_at: r.updated_at,
        }
    }
}

/// Writes a group (by its source id when it has one); returns its id.
pub async fn upsert(db: &Db, municipality: &str, g: &Group) -> Result<String, sqlx::Error> {
    let mut tx = db.begin().await?;
    let existing: Option<(String,)> = match &g.source_id {
        Some(source) => {
            let sql = "SELECT id FROM community_groups WHERE municipality_code = $1 AND source_id = $2";
            tx_run!(&mut tx, c => sqlx::query_as(sql).bind(municipality).bind(source).fetch_optional(c).await)?
        }
        None => None,
    };
    let id = existing.map(|(id,)| id).unwrap_or_else(|| if g.id.is_empty() { new_id() } else { g.id.clone() });
    let sql = format!(
        "INSERT INTO community_groups ({COLUMNS}, municipality_code) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) \
         ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, name = excluded.name, \
         organization_id = excluded.organization_id, adm_cd2 = excluded.adm_cd2, activities = excluded.activities, \
         meeting_place = excluded.meeting_place, latitude = excluded.latitude, longitude = excluded.longitude, \
         meeting_time = excluded.meeting_time, contact = excluded.contact, member_count = excluded.member_count, \
         updated_at = excluded.updated_at"
    );
    tx_run!(&mut tx, c => sqlx::query(&sql)
        .bind(&id).bind(&g.source_id).bind(&g.kind).bind(&g.name).bind(&g.organization_id).bind(&g.adm_cd2)
        .bind(&g.activities).bind(&g.meeting_place).bind(g.latitude).bind(g.longitude).bind(&g.meeting_time)
        .bind(&g.contact).bind(g.member_count).bind(now_millis()).bind(municipality)
        .execute(c).await.map(|_| ()))?;
    change_log::append(&mut tx, municipality, ENTITY, &id, Op::Upsert).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn get(db: &Db, municipality: &str, id: &str) -> Result<Option<Group>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM community_groups WHERE id = $1 AND municipality_code = $2");
    let row: Option<Row> = db_run!(db, p => sqlx::query_as(&sql).bind(id).bind(municipality).fetch_optional(p).await)?;
    Ok(row.map(Group::from))
}

pub async fn all(db: &Db, municipality: &str) -> Result<Vec<Group>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM community_groups WHERE municipality_code = $1 ORDER BY id");
    let rows: Vec<Row> = db_run!(db, p => sqlx::query_as(&sql).bind(municipality).fetch_all(p).await)?;
    Ok(rows.into_iter().map(Group::from).collect())
}

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct JoinRequest {
    pub id: String,
    pub group_id: String,
    pub user_id: String,
    pub display_name: String,
    pub message: String,
    pub status: String,
    pub created_at: i64,
}

/// Asks to join; `Ok(false)` when this person has asked before (one request per person and group).
pub async fn request_join(db: &Db, group_id: &str, user_id: &str, message: &str) -> Result<bool, sqlx::Error> {
    let sql = "INSERT INTO group_join_requests (id, group_id, user_id, message, status, created_at) \
               VALUES ($1, $2, $3, $4, 'pending', $5) ON CONFLICT (group_id, user_id) DO NOTHING";
    let done = db_run!(db, p => sqlx::query(sql).bind(new_id()).bind(group_id).bind(user_id).bind(message)
        .bind(now_millis()).execute(p).await.map(|r| r.rows_affected()))?;
    Ok(done == 1)
}

/// This person's request to the group, if any: its status.
pub async fn request_status(db: &Db, group_id: &str, user_id: &str) -> Result<Option<String>, sqlx::Error> {
    let sql = "SELECT status FROM group_join_requests WHERE group_id = $1 AND user_id = $2";
    let row: Option<(String,)> =
        db_run!(db, p => sqlx::query_as(sql).bind(group_id).bind(user_id).fetch_optional(p).await)?;
    Ok(row.map(|(s,)| s))
}

/// The group's requests, waiting ones first.
pub async fn requests(db: &Db, group_id: &str) -> Result<Vec<JoinRequest>, sqlx::Error> {
    let sql = "SELECT r.id, r.group_id, r.user_id, u.display_name, r.message, r.status, r.created_at \
               FROM group_join_requests r JOIN users u ON u.id = r.user_id WHERE r.group_id = $1 \
               ORDER BY CASE r.status WHEN 'pending' THEN 0 ELSE 1 END, r.created_at";
    db_run!(db, p => sqlx::query_as(sql).bind(group_id).fetch_all(p).await)
}

/// Answers a waiting request; accepting counts the member. `Ok(false)` when there was no such waiting request.
pub async fn answer(
    db: &Db,
    municipality: &str,
    group_id: &str,
    request_id: &str,
    accept: bool,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin().await?;
    let status = if accept { "accepted" } else { "declined" };
    let sql = "UPDATE group_join_requests SET status = $1, answered_at = $2 \
               WHERE id = $3 AND group_id = $4 AND status = 'pending'";
    let done = tx_run!(&mut tx, c => sqlx::query(sql).bind(status).bind(now_millis()).bind(request_id).bind(group_id)
        .execute(c).await.map(|r| r.rows_affected()))?;
    if done == 0 {
        return Ok(false);
    }
    if accept {
        let sql = "UPDATE community_groups SET member_count = member_count + 1, updated_at = $1 WHERE id = $2";
        tx_run!(&mut tx, c => sqlx::query(sql).bind(now_millis()).bind(group_id).execute(c).await.map(|_| ()))?;
        change_log::append(&mut tx, municipality, ENTITY, group_id, Op::Upsert).await?;
    }
    tx.commit().await?;
    Ok(true)
}
