//! SQL of content pages and their attachments. A page keeps the Markdown as typed (to edit) and the sanitised
//! HTML (to serve), both written together, so a reader never waits for rendering.

use serde::Serialize;

use super::attachment::Checked;
use crate::db::time::{Millis, now_millis};
use crate::db::{Db, Tx, new_id};
use crate::{db_run, tx_run};

pub const PAGE_SIZE: i64 = 20;

/// A page as written: the section's fields, the Markdown and its HTML.
#[derive(Clone, Debug)]
pub struct PageText<'a> {
    pub section: &'a str,
    pub topic: &'a str,
    pub year: Option<i32>,
    pub group_id: Option<&'a str>,
    pub url: Option<&'a str>,
    pub title: &'a str,
    pub body_md: &'a str,
    pub body_html: &'a str,
}

pub async fn create(
    db: &Db,
    municipality: &str,
    by: &str,
    p: &PageText<'_>,
    files: &[Checked<'_>],
) -> Result<String, sqlx::Error> {
    let id = new_id();
    let now = now_millis();
    let mut tx = db.begin().await?;
    let sql = "INSERT INTO content_pages (id, municipality_code, section, topic, year, group_id, url, title, body_md, \
               body_html, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)";
    tx_run!(&mut tx, c => sqlx::query(sql).bind(&id).bind(municipality).bind(p.section).bind(p.topic).bind(p.year)
        .bind(p.group_id).bind(p.url).bind(p.title.trim()).bind(p.body_md.trim()).bind(p.body_html).bind(by).bind(now)
        .execute(c).await.map(|_| ()))?;
    attach(&mut tx, &id, files).await?;
    tx.commit().await?;
    Ok(id)
}

/// Rewrites a page and adds the files; `false` when there is no such page.
pub async fn update(
    db: &Db,
    municipality: &str,
    id: &str,
    p: &PageText<'_>,
    files: &[Checked<'_>],
) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin().await?;
    let sql = "UPDATE content_pages SET section = $1, topic = $2, year = $3, group_id = $4, url = $5, title = $6, \
               body_md = $7, body_html = $8, updated_at = $9 WHERE id = $10 AND municipality_code = $11";
    let n = tx_run!(&mut tx, c => sqlx::query(sql).bind(p.section).bind(p.topic).bind(p.year).bind(p.group_id)
        .bind(p.url).bind(p.title.trim()).bind(p.body_md.trim()).bind(p.body_html).bind(now_millis()).bind(id)
        .bind(municipality).execute(c).await.map(|r| r.rows_affected()))?;
    if n == 1 {
        attach(&mut tx, id, files).await?;
    }
    tx.commit().await?;
    Ok(n == 1)
}

async fn attach(tx: &mut Tx, page_id: &str, files: &[Checked<'_>]) -> Result<(), sqlx::Error> {
    for f in files {
        let sql = "INSERT INTO content_attachments (id, page_id, file_name, content_type, bytes, created_at) \
                   VALUES ($1, $2, $3, $4, $5, $6)";
        tx_run!(tx, c => sqlx::query(sql).bind(new_id()).bind(page_id).bind(&f.file_name).bind(f.content_type)
            .bind(f.bytes).bind(now_millis()).execute(c).await.map(|_| ()))?;
    }
    Ok(())
}

/// Removes a page with its attachments.
pub async fn delete(db: &Db, municipality: &str, id: &str) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin().await?;
    let sql = "DELETE FROM content_attachments WHERE page_id IN \
               (SELECT id FROM content_pages WHERE id = $1 AND municipality_code = $2)";
    tx_run!(&mut tx, c => sqlx::query(sql).bind(id).bind(municipality).execute(c).await.map(|_| ()))?;
    let sql = "DELETE FROM content_pages WHERE id = $1 AND municipality_code = $2";
    let n = tx_run!(&mut tx, c => sqlx::query(sql).bind(id).bind(municipality).execute(c).await
        .map(|r| r.rows_affected()))?;
    tx.commit().await?;
    Ok(n == 1)
}

pub async fn delete_attachment(db: &Db, page_id: &str, id: &str) -> Result<bool, sqlx::Error> {
    let sql = "DELETE FROM content_attachments WHERE id = $1 AND page_id = $2";
    let n = db_run!(db, c => sqlx::query(sql).bind(id).bind(page_id).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// A page as lists show it.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Summary {
    pub id: String,
    pub section: String,
    pub topic: String,
    pub year: Option<i32>,
    pub url: Option<String>,
    pub title: String,
    pub group_name: Option<String>,
    pub attachments: i64,
    pub updated_at: Millis,
}

/// Which pages a list shows: a section, optionally one topic (or theme) and one year, a page of them (from 1).
#[derive(Clone, Debug, Default)]
pub struct Filter<'a> {
    pub section: &'a str,
    pub topic: &'a str,
    pub year: Option<i32>,
    pub page: i64,
}

/// One page of a section, newest first (a story archive: by year, newest first), with how many match in all.
pub async fn list(db: &Db, municipality: &str, f: &Filter<'_>, limit: i64) -> Result<(Vec<Summary>, i64), sqlx::Error> {
    let offset = (f.page.max(1) - 1) * limit;
    let year = f.year.unwrap_or(0);
    let filter =
        "p.municipality_code = $1 AND p.section = $2 AND ($3 = '' OR p.topic = $3) AND ($4 = 0 OR p.year = $4)";
    let sql = format!(
        "SELECT p.id, p.section, p.topic, p.year, p.url, p.title, g.name AS group_name, \
         (SELECT COUNT(*) FROM content_attachments a WHERE a.page_id = p.id) AS attachments, p.updated_at \
         FROM content_pages p LEFT JOIN community_groups g ON g.id = p.group_id WHERE {filter} \
         ORDER BY p.year DESC, p.created_at DESC, p.id DESC LIMIT $5 OFFSET $6"
    );
    let pages = db_run!(db, c => sqlx::query_as(&sql).bind(municipality).bind(f.section).bind(f.topic).bind(year)
        .bind(limit).bind(offset).fetch_all(c).await)?;
    let sql = format!("SELECT COUNT(*) FROM content_pages p WHERE {filter}");
    let total: i64 = db_run!(db, c => sqlx::query_scalar(&sql).bind(municipality).bind(f.section).bind(f.topic)
        .bind(year).fetch_one(c).await)?;
    Ok((pages, total))
}

/// The years the story archive has, newest first.
pub async fn story_years(db: &Db, municipality: &str) -> Result<Vec<i32>, sqlx::Error> {
    let sql = "SELECT DISTINCT year FROM content_pages WHERE municipality_code = $1 AND section = 'story' \
               AND year IS NOT NULL ORDER BY year DESC";
    db_run!(db, c => sqlx::query_scalar(sql).bind(municipality).fetch_all(c).await)
}

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct ContentPage {
    pub id: String,
    pub section: String,
    pub topic: String,
    pub year: Option<i32>,
    pub group_id: Option<String>,
    pub group_name: Option<String>,
    pub url: Option<String>,
    pub title: String,
    pub body_md: String,
    pub body_html: String,
    pub author: String,
    pub updated_at: Millis,
}

pub async fn get(db: &Db, municipality: &str, id: &str) -> Result<Option<ContentPage>, sqlx::Error> {
    let sql = "SELECT p.id, p.section, p.topic, p.year, p.group_id, g.name AS group_name, p.url, p.title, p.body_md, \
               p.body_html, u.display_name AS author, p.updated_at FROM content_pages p \
               JOIN users u ON u.id = p.created_by LEFT JOIN community_groups g ON g.id = p.group_id \
               WHERE p.id = $1 AND p.municipality_code = $2";
    db_run!(db, c => sqlx::query_as(sql).bind(id).bind(municipality).fetch_optional(c).await)
}

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct AttachmentInfo {
    pub id: String,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
}

pub async fn attachments(db: &Db, page_id: &str) -> Result<Vec<AttachmentInfo>, sqlx::Error> {
    let sql = "SELECT id, file_name, content_type, CAST(length(bytes) AS BIGINT) AS size FROM content_attachments \
               WHERE page_id = $1 ORDER BY created_at, id";
    db_run!(db, c => sqlx::query_as(sql).bind(page_id).fetch_all(c).await)
}

/// An attachment's name, type and bytes.
pub async fn attachment(
    db: &Db,
    municipality: &str,
    id: &str,
) -> Result<Option<(String, String, Vec<u8>)>, sqlx::Error> {
    let sql = "SELECT a.file_name, a.content_type, a.bytes FROM content_attachments a \
               JOIN content_pages p ON p.id = a.page_id WHERE a.id = $1 AND p.municipality_code = $2";
    db_run!(db, c => sqlx::query_as(sql).bind(id).bind(municipality).fetch_optional(c).await)
}
