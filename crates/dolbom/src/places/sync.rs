//! Keeps this process's geo index in step with the database through the change log (entities `facility` and
//! `group`), as the search index is kept.

use std::collections::BTreeSet;

use super::index::PlaceIndex;
use super::{group_store, store};
use crate::db::Db;
use crate::db::change_log::{self, Tail};

/// Loads every facility and group, and the change-log position to follow from.
pub async fn build(db: &Db, municipality: &str, index: &PlaceIndex) -> Result<Tail, sqlx::Error> {
    let head = change_log::head(db).await?;
    index.load(store::all(db, municipality).await?, group_store::all(db, municipality).await?);
    Ok(Tail::from_head(head))
}

/// Applies the changes not applied yet; returns how many places changed.
pub async fn catch_up(db: &Db, municipality: &str, index: &PlaceIndex, tail: &mut Tail) -> Result<usize, sqlx::Error> {
    let mut facilities = BTreeSet::new();
    let mut groups = BTreeSet::new();
    for change in tail.fresh(db, municipality).await? {
        match change.entity.as_str() {
            store::ENTITY => {
                facilities.insert(change.entity_id);
            }
            group_store::ENTITY => {
                groups.insert(change.entity_id);
            }
            _ => {}
        }
    }
    for id in &facilities {
        match store::get(db, municipality, id).await? {
            Some(f) => index.upsert_facility(f),
            None => index.remove_facility(id),
        }
    }
    for id in &groups {
        match group_store::get(db, municipality, id).await? {
            Some(g) => index.upsert_group(g),
            None => index.remove_group(id),
        }
    }
    Ok(facilities.len() + groups.len())
}
