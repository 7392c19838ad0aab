//! Keeps this process's search index in step with the database by tailing the change log, so several processes
//! on one PostgreSQL agree within a poll.

use std::collections::BTreeSet;

use super::search::{SearchError, SearchIndex};
use super::search_store;
use crate::db::Db;
use crate::db::change_log;

pub use crate::db::change_log::Tail;

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error(transparent)]
    Search(#[from] SearchError),
}

/// Builds the index from every active service, and the tail position to follow from.
pub async fn build(db: &Db, municipality: &str) -> Result<(SearchIndex, Tail), SyncError> {
    let head = change_log::head(db).await?;
    let index = SearchIndex::new()?;
    let mut after = String::new();
    loop {
        let batch = search_store::search_docs_after(db, municipality, &after, 5_000).await?;
        let Some(last) = batch.last() else { break };
        after = last.id.clone();
        index.stage(&batch)?;
    }
    index.publish()?;
    index.set_extra_synonyms(search_store::synonym_groups(db, municipality).await?)?;
    Ok((index, Tail::from_head(head)))
}

/// Applies the changes not applied yet; returns how many services were updated or removed.
pub async fn catch_up(db: &Db, municipality: &str, index: &SearchIndex, tail: &mut Tail) -> Result<usize, SyncError> {
    let mut changed = BTreeSet::new();
    let mut synonyms_changed = false;
    for change in tail.fresh(db, municipality).await? {
        match change.entity.as_str() {
            "service" => {
                changed.insert(change.entity_id);
            }
            "synonyms" => synonyms_changed = true,
            _ => {}
        }
    }
    let mut upserts = Vec::new();
    let mut removals = Vec::new();
    for id in &changed {
        match search_store::one_search_doc(db, municipality, id).await? {
            Some(doc) => upserts.push(doc),
            None => removals.push(id.clone()),
        }
    }
    if !upserts.is_empty() {
        index.upsert(&upserts)?;
    }
    if !removals.is_empty() {
        index.remove(&removals)?;
    }
    if synonyms_changed {
        index.set_extra_synonyms(search_store::synonym_groups(db, municipality).await?)?;
    }
    Ok(changed.len())
}
