//! SQL of consulting (컨설팅): a grant-holding group's questions to the municipality and the officials' answers.

use serde::Serialize;

use crate::db::time::{Millis, now_millis};
use crate::db::{Db, new_id};
use crate::db_run;

/// 예산 편성, 회계·정산, 사업계획 변경, 활동 운영, 기타.
pub const TOPICS: [&str; 5] = ["budget", "accounting", "plan_change", "activities", "other"];

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Request {
    pub id: String,
    pub group_id: String,
    pub group_name: String,
    pub asker: String,
    pub topic: String,
    pub question: String,
    pub answer: Option<String>,
    pub answerer: Option<String>,
    pub answered_at: Option<Millis>,
    pub created_at: Millis,
}

pub async fn ask(db: &Db, group_id: &str, by: &str, topic: &str, question: &str) -> Result<String, sqlx::Error> {
    let id = new_id();
    let sql = "INSERT INTO consulting_requests (id, group_id, asked_by, topic, question, created_at) \
               VALUES ($1, $2, $3, $4, $5, $6)";
    db_run!(db, c => sqlx::query(sql).bind(&id).bind(group_id).bind(by).bind(topic).bind(question.trim())
        .bind(now_millis()).execute(c).await.map(|_| ()))?;
    Ok(id)
}

const SELECT: &str = "SELECT r.id, r.group_id, o.name AS group_name, u.display_name AS asker, r.topic, r.question, \
    r.answer, a.display_name AS answerer, r.answered_at, r.created_at FROM consulting_requests r \
    JOIN organizations o ON o.id = r.group_id JOIN users u ON u.id = r.asked_by \
    LEFT JOIN users a ON a.id = r.answered_by";

/// A group's questions, newest first.
pub async fn of_group(db: &Db, group_id: &str) -> Result<Vec<Request>, sqlx::Error> {
    let sql = format!("{SELECT} WHERE r.group_id = $1 ORDER BY r.created_at DESC, r.id DESC");
    db_run!(db, c => sqlx::query_as(&sql).bind(group_id).fetch_all(c).await)
}

/// The municipality's questions: those waiting for an answer first (oldest first), then the answered, newest first.
pub async fn all(db: &Db, municipality: &str) -> Result<Vec<Request>, sqlx::Error> {
    let sql = format!(
        "{SELECT} WHERE o.municipality_code = $1 ORDER BY CASE WHEN r.answer IS NULL THEN 0 ELSE 1 END, \
         CASE WHEN r.answer IS NULL THEN r.created_at ELSE -r.created_at END, r.id"
    );
    db_run!(db, c => sqlx::query_as(&sql).bind(municipality).fetch_all(c).await)
}

/// Answers (or corrects the answer to) a question; who asked it, `None` when there is no such question here.
pub async fn answer(
    db: &Db,
    municipality: &str,
    id: &str,
    by: &str,
    answer: &str,
) -> Result<Option<String>, sqlx::Error> {
    let sql = "UPDATE consulting_requests SET answer = $1, answered_by = $2, answered_at = $3 WHERE id = $4 \
               AND group_id IN (SELECT id FROM organizations WHERE municipality_code = $5) RETURNING asked_by";
    db_run!(db, c => sqlx::query_scalar(sql).bind(answer.trim()).bind(by).bind(now_millis()).bind(id)
        .bind(municipality).fetch_optional(c).await)
}
