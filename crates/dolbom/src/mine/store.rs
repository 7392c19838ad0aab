//! What 내 돌봄 reads that no feature's store already gives: a resident's group memberships, their unread count,
//! and the whole of their data for the download.

use serde::Serialize;

use crate::db::Db;
use crate::db::time::Millis;
use crate::db_run;

/// A group the resident asked to join, with the answer.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Membership {
    pub group_id: String,
    pub group_name: String,
    pub status: String,
    pub member_role: String,
    pub created_at: Millis,
    pub answered_at: Option<Millis>,
}

pub async fn memberships(db: &Db, user_id: &str) -> Result<Vec<Membership>, sqlx::Error> {
    let sql = "SELECT r.group_id, g.name AS group_name, r.status, r.member_role, r.created_at, r.answered_at \
               FROM group_join_requests r JOIN community_groups g ON g.id = r.group_id WHERE r.user_id = $1 \
               ORDER BY r.created_at DESC, r.id";
    db_run!(db, p => sqlx::query_as(sql).bind(user_id).fetch_all(p).await)
}

pub async fn unread(db: &Db, user_id: &str) -> Result<i64, sqlx::Error> {
    let sql = "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL";
    db_run!(db, p => sqlx::query_scalar(sql).bind(user_id).fetch_one(p).await)
}

/// A post or comment the resident wrote on a group's board.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Written {
    pub group_id: String,
    pub post_id: String,
    pub title: String,
    pub body: String,
    pub created_at: Millis,
}

pub async fn posts(db: &Db, user_id: &str) -> Result<Vec<Written>, sqlx::Error> {
    let sql = "SELECT group_id, id AS post_id, title, body, created_at FROM group_posts WHERE author_id = $1 \
               ORDER BY created_at, id";
    db_run!(db, p => sqlx::query_as(sql).bind(user_id).fetch_all(p).await)
}

pub async fn comments(db: &Db, user_id: &str) -> Result<Vec<Written>, sqlx::Error> {
    let sql = "SELECT p.group_id, c.post_id, p.title, c.body, c.created_at FROM group_post_comments c \
               JOIN group_posts p ON p.id = c.post_id WHERE c.author_id = $1 ORDER BY c.created_at, c.id";
    db_run!(db, p => sqlx::query_as(sql).bind(user_id).fetch_all(p).await)
}
