//! SQL of local resources: proposed from the field, reviewed once by an official; approving one writes it into
//! the directory as a service (private provider, its 관심주제 and 지원형태 from its kind) in the same step.

use serde::Serialize;

use crate::db::time::{Millis, now_millis};
use crate::db::{Db, new_id};
use crate::directory::model::NewService;
use crate::{db_run, directory};

pub const KINDS: [&str; 6] = ["meal", "goods", "volunteer", "space", "service", "other"];

/// The directory terms a kind of resource is filed under.
fn terms(kind: &str) -> Vec<String> {
    let (theme, support) = match kind {
        "meal" | "goods" => ("living", "in_kind"),
        "volunteer" => ("care", "volunteering"),
        "space" => ("culture", "service"),
        "service" => ("living", "service"),
        _ => ("living", "other"),
    };
    vec![format!("theme:{theme}"), format!("support_type:{support}"), "provider:private".to_string()]
}

#[derive(Clone, Debug, Default)]
pub struct NewResource<'a> {
    pub adm_cd2: &'a str,
    pub visit_id: Option<&'a str>,
    pub name: &'a str,
    pub kind: &'a str,
    pub description: &'a str,
    pub contact: &'a str,
}

pub async fn propose(db: &Db, municipality: &str, r: &NewResource<'_>, by: &str) -> Result<String, sqlx::Error> {
    let id = new_id();
    let sql = "INSERT INTO local_resources (id, municipality_code, adm_cd2, visit_id, name, kind, description, contact, \
               status, proposed_by, proposed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'proposed', $9, $10)";
    db_run!(db, p => sqlx::query(sql).bind(&id).bind(municipality).bind(r.adm_cd2).bind(r.visit_id).bind(r.name)
        .bind(r.kind).bind(r.description).bind(r.contact).bind(by).bind(now_millis()).execute(p).await.map(|_| ()))?;
    Ok(id)
}

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Resource {
    pub id: String,
    pub adm_cd2: String,
    pub name: String,
    pub kind: String,
    pub description: String,
    pub contact: String,
    pub status: String,
    pub proposed_by_name: String,
    pub proposed_at: Millis,
    pub review_note: String,
    pub service_id: Option<String>,
}

/// The municipality's resources: proposals waiting first, then the latest reviewed.
pub async fn list(db: &Db, municipality: &str) -> Result<Vec<Resource>, sqlx::Error> {
    let sql = "SELECT r.id, r.adm_cd2, r.name, r.kind, r.description, r.contact, r.status, \
               u.display_name AS proposed_by_name, r.proposed_at, r.review_note, r.service_id FROM local_resources r \
               JOIN users u ON u.id = r.proposed_by WHERE r.municipality_code = $1 \
               ORDER BY CASE WHEN r.status = 'proposed' THEN 0 ELSE 1 END, r.proposed_at DESC LIMIT 300";
    db_run!(db, p => sqlx::query_as(sql).bind(municipality).fetch_all(p).await)
}

#[derive(Debug, thiserror::Error)]
pub enum ReviewError {
    /// Already reviewed (by someone else a moment ago), or unknown.
    #[error("not waiting for review")]
    NotProposed,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// Approves (into the directory) or rejects a proposal, once. Returns the directory service on approval.
pub async fn review(
    db: &Db,
    municipality: &str,
    id: &str,
    approve: bool,
    note: &str,
    by: &str,
) -> Result<Option<String>, ReviewError> {
    let claim = "UPDATE local_resources SET status = $1, reviewed_by = $2, reviewed_at = $3, review_note = $4 \
                 WHERE id = $5 AND municipality_code = $6 AND status = 'proposed'";
    let status = if approve { "approved" } else { "rejected" };
    let n = db_run!(db, p => sqlx::query(claim).bind(status).bind(by).bind(now_millis()).bind(note).bind(id)
        .bind(municipality).execute(p).await.map(|r| r.rows_affected()))?;
    if n == 0 {
        return Err(ReviewError::NotProposed);
    }
    if !approve {
        return Ok(None);
    }
    let sql = "SELECT name, kind, description, contact FROM local_resources WHERE id = $1";
    let (name, kind, description, contact): (String, String, String, String) =
        db_run!(db, p => sqlx::query_as(sql).bind(id).fetch_one(p).await)?;
    let service = NewService {
        source_id: Some(format!("local-resource:{id}")),
        organization: name.clone(),
        name,
        description: if contact.is_empty() { description } else { format!("{description}\n{contact}") },
        status: "active".into(),
        terms: terms(&kind),
        ..NewService::default()
    };
    let service_id = directory::store::upsert_service(db, municipality, &service).await?;
    let sql = "UPDATE local_resources SET service_id = $1 WHERE id = $2";
    db_run!(db, p => sqlx::query(sql).bind(&service_id).bind(id).execute(p).await.map(|_| ()))?;
    Ok(Some(service_id))
}
