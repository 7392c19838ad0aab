//! SQL of groups' boards: posts (소식, 우수사례, 갤러리) with their photos, comments, and who stands where in a group
//! (its leaders are the accounts of its organization; members are accepted join requests, some made organisers).
//! A board page is one query: the page's posts with their author, first photo and comment count.

use serde::Serialize;

use crate::db::time::{Millis, now_millis};
use crate::db::{Db, new_id};
use crate::media::Processed;
use crate::{db_run, tx_run};

pub const KINDS: [&str; 3] = ["news", "practice", "gallery"];
pub const PAGE_SIZE: i64 = 20;

/// Where someone stands in a group.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Standing {
    Member,
    Organiser,
    Leader,
}

/// An accepted member's standing (`None` for anyone else; leaders are known from their account).
pub async fn membership(db: &Db, group_id: &str, user_id: &str) -> Result<Option<Standing>, sqlx::Error> {
    let sql =
        "SELECT member_role FROM group_join_requests WHERE group_id = $1 AND user_id = $2 AND status = 'accepted'";
    let role: Option<String> =
        db_run!(db, c => sqlx::query_scalar(sql).bind(group_id).bind(user_id).fetch_optional(c).await)?;
    Ok(role.map(|r| if r == "organiser" { Standing::Organiser } else { Standing::Member }))
}

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Member {
    pub request_id: String,
    pub display_name: String,
    pub member_role: String,
    pub answered_at: Option<Millis>,
}

pub async fn members(db: &Db, group_id: &str) -> Result<Vec<Member>, sqlx::Error> {
    let sql = "SELECT r.id AS request_id, u.display_name, r.member_role, r.answered_at FROM group_join_requests r \
               JOIN users u ON u.id = r.user_id WHERE r.group_id = $1 AND r.status = 'accepted' \
               ORDER BY r.member_role DESC, u.display_name";
    db_run!(db, c => sqlx::query_as(sql).bind(group_id).fetch_all(c).await)
}

/// Makes a member an organiser or a member again; `false` when there is no such member.
pub async fn set_role(db: &Db, group_id: &str, request_id: &str, organiser: bool) -> Result<bool, sqlx::Error> {
    let role = if organiser { "organiser" } else { "member" };
    let sql = "UPDATE group_join_requests SET member_role = $1 WHERE id = $2 AND group_id = $3 AND status = 'accepted'";
    let n = db_run!(db, c => sqlx::query(sql).bind(role).bind(request_id).bind(group_id).execute(c).await
        .map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

#[derive(Clone, Debug)]
pub struct NewPost<'a> {
    pub group_id: &'a str,
    pub author_id: &'a str,
    pub kind: &'a str,
    pub title: &'a str,
    pub body: &'a str,
}

/// A post with its photos (already processed), in one transaction.
pub async fn create(db: &Db, p: &NewPost<'_>, photos: &[Processed]) -> Result<String, sqlx::Error> {
    let id = new_id();
    let mut tx = db.begin().await?;
    let sql = "INSERT INTO group_posts (id, group_id, author_id, kind, title, body, created_at) \
               VALUES ($1, $2, $3, $4, $5, $6, $7)";
    tx_run!(&mut tx, c => sqlx::query(sql).bind(&id).bind(p.group_id).bind(p.author_id).bind(p.kind)
        .bind(p.title.trim()).bind(p.body.trim()).bind(now_millis()).execute(c).await.map(|_| ()))?;
    for (i, photo) in photos.iter().enumerate() {
        let sql = "INSERT INTO group_post_photos (id, post_id, position, display, thumbnail, width, height) \
                   VALUES ($1, $2, $3, $4, $5, $6, $7)";
        tx_run!(&mut tx, c => sqlx::query(sql).bind(new_id()).bind(&id).bind(i as i32).bind(&photo.display)
            .bind(&photo.thumbnail).bind(photo.width as i32).bind(photo.height as i32).execute(c).await.map(|_| ()))?;
    }
    tx.commit().await?;
    Ok(id)
}

/// A post as a board lists it.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct PostSummary {
    pub id: String,
    pub kind: String,
    pub title: String,
    pub excerpt: String,
    pub author: String,
    pub created_at: Millis,
    pub comments: i64,
    pub photo_id: Option<String>,
}

/// One page of the board (from 1), newest first, of one kind or all; with the number of posts in all.
pub async fn page(
    db: &Db,
    group_id: &str,
    kind: Option<&str>,
    page: i64,
) -> Result<(Vec<PostSummary>, i64), sqlx::Error> {
    let offset = (page.max(1) - 1) * PAGE_SIZE;
    let kind = kind.unwrap_or("");
    let sql = "SELECT p.id, p.kind, p.title, substr(p.body, 1, 160) AS excerpt, u.display_name AS author, \
               p.created_at, (SELECT COUNT(*) FROM group_post_comments c WHERE c.post_id = p.id) AS comments, \
               (SELECT ph.id FROM group_post_photos ph WHERE ph.post_id = p.id ORDER BY ph.position LIMIT 1) \
               AS photo_id FROM group_posts p JOIN users u ON u.id = p.author_id \
               WHERE p.group_id = $1 AND ($2 = '' OR p.kind = $2) \
               ORDER BY p.created_at DESC, p.id DESC LIMIT $3 OFFSET $4";
    let posts = db_run!(db, c => sqlx::query_as(sql).bind(group_id).bind(kind).bind(PAGE_SIZE).bind(offset)
        .fetch_all(c).await)?;
    let sql = "SELECT COUNT(*) FROM group_posts WHERE group_id = $1 AND ($2 = '' OR kind = $2)";
    let total: i64 = db_run!(db, c => sqlx::query_scalar(sql).bind(group_id).bind(kind).fetch_one(c).await)?;
    Ok((posts, total))
}

/// A post as the hub's front page lists it, with its group.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Recent {
    pub id: String,
    pub group_id: String,
    pub group_name: String,
    pub kind: String,
    pub title: String,
    pub created_at: Millis,
}

/// The municipality's latest posts across all groups' boards, newest first.
pub async fn recent(db: &Db, municipality: &str, limit: i64) -> Result<Vec<Recent>, sqlx::Error> {
    let sql = "SELECT p.id, p.group_id, g.name AS group_name, p.kind, p.title, p.created_at FROM group_posts p \
               JOIN community_groups g ON g.id = p.group_id WHERE g.municipality_code = $1 \
               ORDER BY p.created_at DESC, p.id DESC LIMIT $2";
    db_run!(db, c => sqlx::query_as(sql).bind(municipality).bind(limit).fetch_all(c).await)
}

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Post {
    pub id: String,
    pub group_id: String,
    pub author_id: String,
    pub author: String,
    pub kind: String,
    pub title: String,
    pub body: String,
    pub created_at: Millis,
}

pub async fn post(db: &Db, group_id: &str, id: &str) -> Result<Option<Post>, sqlx::Error> {
    let sql = "SELECT p.id, p.group_id, p.author_id, u.display_name AS author, p.kind, p.title, p.body, p.created_at \
               FROM group_posts p JOIN users u ON u.id = p.author_id WHERE p.id = $1 AND p.group_id = $2";
    db_run!(db, c => sqlx::query_as(sql).bind(id).bind(group_id).fetch_optional(c).await)
}

/// The post's photos: (id, width, height), in order.
pub async fn photos(db: &Db, post_id: &str) -> Result<Vec<(String, i32, i32)>, sqlx::Error> {
    let sql = "SELECT id, width, height FROM group_post_photos WHERE post_id = $1 ORDER BY position";
    db_run!(db, c => sqlx::query_as(sql).bind(post_id).fetch_all(c).await)
}

/// A photo's JPEG bytes, the display copy or the thumbnail.
pub async fn photo(db: &Db, id: &str, thumbnail: bool) -> Result<Option<Vec<u8>>, sqlx::Error> {
    let sql = if thumbnail {
        "SELECT thumbnail FROM group_post_photos WHERE id = $1"
    } else {
        "SELECT display FROM group_post_photos WHERE id = $1"
    };
    db_run!(db, c => sqlx::query_scalar(sql).bind(id).fetch_optional(c).await)
}

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Comment {
    pub id: String,
    pub author_id: String,
    pub author: String,
    pub body: String,
    pub created_at: Millis,
}

pub async fn comments(db: &Db, post_id: &str) -> Result<Vec<Comment>, sqlx::Error> {
    let sql = "SELECT c.id, c.author_id, u.display_name AS author, c.body, c.created_at FROM group_post_comments c \
               JOIN users u ON u.id = c.author_id WHERE c.post_id = $1 ORDER BY c.created_at, c.id";
    db_run!(db, c => sqlx::query_as(sql).bind(post_id).fetch_all(c).await)
}

pub async fn comment(db: &Db, post_id: &str, author_id: &str, body: &str) -> Result<(), sqlx::Error> {
    let sql = "INSERT INTO group_post_comments (id, post_id, author_id, body, created_at) VALUES ($1, $2, $3, $4, $5)";
    db_run!(db, c => sqlx::query(sql).bind(new_id()).bind(post_id).bind(author_id).bind(body.trim())
        .bind(now_millis()).execute(c).await.map(|_| ()))
}

/// Removes a post with its photos and comments.
pub async fn delete(db: &Db, group_id: &str, id: &str) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin().await?;
    for sql in [
        "DELETE FROM group_post_comments WHERE post_id IN (SELECT id FROM group_posts WHERE id = $1 AND group_id = $2)",
        "DELETE FROM group_post_photos WHERE post_id IN (SELECT id FROM group_posts WHERE id = $1 AND group_id = $2)",
    ] {
        tx_run!(&mut tx, c => sqlx::query(sql).bind(id).bind(group_id).execute(c).await.map(|_| ()))?;
    }
    let sql = "DELETE FROM group_posts WHERE id = $1 AND group_id = $2";
    let n =
        tx_run!(&mut tx, c => sqlx::query(sql).bind(id).bind(group_id).execute(c).await.map(|r| r.rows_affected()))?;
    tx.commit().await?;
    Ok(n == 1)
}
