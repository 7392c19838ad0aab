//! SQL of the best-practice contest (우수사례 경연대회): a contest with its rubric, one entry per group, reviewers'
//! sheets scored exactly as grant applications are (`grants::review`), and the results, published once every
//! entry has been scored, after which the sheets are final.

use chrono::NaiveDate;
use grants::review::{self, Criterion, Outcome, Sheet, SheetError};
use serde::Serialize;

use crate::db::time::{Millis, now_millis};
use crate::db::{Db, is_unique_violation, new_id};
use crate::db_run;

#[derive(Debug, thiserror::Error)]
pub enum ContestError {
    #[error("the contest is not taking entries that day")]
    Closed,
    #[error("this group entered already")]
    EnteredAlready,
    #[error("the results are published; nothing changes now")]
    Published,
    #[error("{0} entries have no score yet")]
    Unscored(usize),
    #[error("no entries")]
    NoEntries,
    #[error(transparent)]
    Sheet(#[from] SheetError),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Contest {
    pub id: String,
    pub name: String,
    pub description: String,
    pub opens_on: NaiveDate,
    pub closes_on: NaiveDate,
    pub rubric: String,
    pub published_at: Option<Millis>,
}

impl Contest {
    pub fn criteria(&self) -> Vec<Criterion> {
        serde_json::from_str(&self.rubric).unwrap_or_default()
    }

    pub fn open_on(&self, day: NaiveDate) -> bool {
        self.published_at.is_none() && self.opens_on <= day && day <= self.closes_on
    }
}

#[derive(Clone, Debug)]
pub struct NewContest<'a> {
    pub name: &'a str,
    pub description: &'a str,
    pub opens_on: NaiveDate,
    pub closes_on: NaiveDate,
    pub rubric: &'a [Criterion],
}

pub async fn create(db: &Db, municipality: &str, by: &str, c: &NewContest<'_>) -> Result<String, sqlx::Error> {
    let id = new_id();
    let rubric = serde_json::to_string(c.rubric).unwrap_or_else(|_| "[]".into());
    let sql = "INSERT INTO contests (id, municipality_code, name, description, opens_on, closes_on, rubric, \
               created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
    db_run!(db, c_ => sqlx::query(sql).bind(&id).bind(municipality).bind(c.name.trim()).bind(c.description.trim())
        .bind(c.opens_on).bind(c.closes_on).bind(&rubric).bind(by).bind(now_millis()).execute(c_).await
        .map(|_| ()))?;
    Ok(id)
}

const COLUMNS: &str = "id, name, description, opens_on, closes_on, rubric, published_at";

/// The municipality's contests, the latest first.
pub async fn list(db: &Db, municipality: &str) -> Result<Vec<Contest>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM contests WHERE municipality_code = $1 ORDER BY opens_on DESC, id DESC");
    db_run!(db, c => sqlx::query_as(&sql).bind(municipality).fetch_all(c).await)
}

pub async fn get(db: &Db, municipality: &str, id: &str) -> Result<Option<Contest>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM contests WHERE id = $1 AND municipality_code = $2");
    db_run!(db, c => sqlx::query_as(&sql).bind(id).bind(municipality).fetch_optional(c).await)
}

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Entry {
    pub id: String,
    pub group_id: String,
    pub group_name: String,
    pub title: String,
    pub body: String,
    pub created_at: Millis,
}

/// A group's entry, while the contest is open; one per group.
pub async fn enter(
    db: &Db,
    contest: &Contest,
    today: NaiveDate,
    group_id: &str,
    by: &str,
    title: &str,
    body: &str,
) -> Result<String, ContestError> {
    if !contest.open_on(today) {
        return Err(ContestError::Closed);
    }
    let id = new_id();
    let sql = "INSERT INTO contest_entries (id, contest_id, group_id, submitted_by, title, body, created_at) \
               VALUES ($1, $2, $3, $4, $5, $6, $7)";
    let inserted = db_run!(db, c => sqlx::query(sql).bind(&id).bind(&contest.id).bind(group_id).bind(by)
        .bind(title.trim()).bind(body.trim()).bind(now_millis()).execute(c).await.map(|_| ()));
    match inserted {
        Err(e) if is_unique_violation(&e) => Err(ContestError::EnteredAlready),
        other => other.map(|()| id).map_err(ContestError::Db),
    }
}

pub async fn entries(db: &Db, contest_id: &str) -> Result<Vec<Entry>, sqlx::Error> {
    let sql = "SELECT e.id, e.group_id, o.name AS group_name, e.title, e.body, e.created_at FROM contest_entries e \
               JOIN organizations o ON o.id = e.group_id WHERE e.contest_id = $1 ORDER BY e.created_at, e.id";
    db_run!(db, c => sqlx::query_as(sql).bind(contest_id).fetch_all(c).await)
}

/// Every sheet of the contest: (entry, sheet), in reviewer order.
pub async fn sheets(db: &Db, contest_id: &str) -> Result<Vec<(String, Sheet)>, sqlx::Error> {
    let sql = "SELECT r.entry_id, r.reviewer_id, r.points FROM contest_reviews r \
               JOIN contest_entries e ON e.id = r.entry_id WHERE e.contest_id = $1 ORDER BY r.reviewer_id";
    let rows: Vec<(String, String, String)> =
        db_run!(db, c => sqlx::query_as(sql).bind(contest_id).fetch_all(c).await)?;
    Ok(rows
        .into_iter()
        .filter_map(|(entry, reviewer, p)| Some((entry, Sheet { reviewer, points: serde_json::from_str(&p).ok()? })))
        .collect())
}

/// This reviewer's sheet for an entry (a second replaces the first until the results are out).
pub async fn review(
    db: &Db,
    contest: &Contest,
    entry_id: &str,
    reviewer: &str,
    points: &[u32],
    comment: &str,
) -> Result<(), ContestError> {
    if contest.published_at.is_some() {
        return Err(ContestError::Published);
    }
    review::check_sheet(&contest.criteria(), points)?;
    let points = serde_json::to_string(points).unwrap_or_else(|_| "[]".into());
    let sql = "INSERT INTO contest_reviews (entry_id, reviewer_id, points, comment, submitted_at) \
               VALUES ($1, $2, $3, $4, $5) ON CONFLICT (entry_id, reviewer_id) DO UPDATE SET \
               points = excluded.points, comment = excluded.comment, submitted_at = excluded.submitted_at";
    db_run!(db, c => sqlx::query(sql).bind(entry_id).bind(reviewer).bind(&points).bind(comment.trim())
        .bind(now_millis()).execute(c).await.map(|_| ()))?;
    Ok(())
}

/// An entry with its result and its place (from 1; equal results share a place).
#[derive(Clone, Debug, Serialize)]
pub struct Placed {
    pub entry: Entry,
    pub outcome: Option<Outcome>,
    pub place: usize,
}

/// The entries ranked by their results, unscored ones last, as the reviews stand.
pub fn standings(entries: Vec<Entry>, sheets: &[(String, Sheet)]) -> Vec<Placed> {
    let outcome = |e: &Entry| {
        let mine: Vec<Sheet> = sheets.iter().filter(|(id, _)| *id == e.id).map(|(_, s)| s.clone()).collect();
        review::result(&mine)
    };
    let (scored, unscored): (Vec<_>, Vec<_>) =
        entries.into_iter().map(|e| (outcome(&e), e)).partition(|p| p.0.is_some());
    let results: Vec<Outcome> = scored.iter().filter_map(|(o, _)| o.clone()).collect();
    let order = review::rank(&results);
    let mut placed: Vec<Placed> = Vec::new();
    for (i, at) in order.into_iter().enumerate() {
        let (o, e) = scored[at].clone();
        let same_as_before = placed.last().is_some_and(|p: &Placed| {
            p.outcome.as_ref().map(|x| (x.score_hundredths, &x.per_criterion_hundredths))
                == o.as_ref().map(|x| (x.score_hundredths, &x.per_criterion_hundredths))
        });
        let place = if same_as_before { placed[i - 1].place } else { i + 1 };
        placed.push(Placed { entry: e, outcome: o, place });
    }
    let next = placed.len() + 1;
    placed.extend(unscored.into_iter().map(|(_, e)| Placed { entry: e, outcome: None, place: next }));
    placed
}

/// Publishes the results: refused before every entry has a sheet, and after they are out.
pub async fn publish(db: &Db, contest: &Contest) -> Result<(), ContestError> {
    if contest.published_at.is_some() {
        return Err(ContestError::Published);
    }
    let sql = "SELECT COUNT(*) FROM contest_entries e WHERE e.contest_id = $1";
    let entries: i64 = db_run!(db, c => sqlx::query_scalar(sql).bind(&contest.id).fetch_one(c).await)?;
    if entries == 0 {
        return Err(ContestError::NoEntries);
    }
    let sql = "SELECT COUNT(*) FROM contest_entries e WHERE e.contest_id = $1 \
               AND NOT EXISTS (SELECT 1 FROM contest_reviews r WHERE r.entry_id = e.id)";
    let unscored: i64 = db_run!(db, c => sqlx::query_scalar(sql).bind(&contest.id).fetch_one(c).await)?;
    if unscored > 0 {
        return Err(ContestError::Unscored(unscored as usize));
    }
    let sql = "UPDATE contests SET published_at = $1 WHERE id = $2 AND published_at IS NULL";
    db_run!(db, c => sqlx::query(sql).bind(now_millis()).bind(&contest.id).execute(c).await.map(|_| ()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: &str) -> Entry {
        Entry {
            id: id.into(),
            group_id: format!("g-{id}"),
            group_name: id.into(),
            title: id.into(),
            body: String::new(),
            created_at: 0,
        }
    }

    fn sheet(entry: &str, reviewer: &str, points: [u32; 2]) -> (String, Sheet) {
        (entry.into(), Sheet { reviewer: reviewer.into(), points: points.to_vec() })
    }

    #[test]
    fn equal_results_share_a_place_and_unscored_entries_come_last() {
        let entries = ["a", "b", "c", "d"].map(entry).to_vec();
        let sheets = [
            sheet("a", "r1", [30, 40]),
            sheet("a", "r2", [34, 40]),
            sheet("b", "r1", [40, 36]),
            sheet("c", "r1", [32, 40]),
        ];
        let placed: Vec<(String, usize)> =
            standings(entries, &sheets).into_iter().map(|p| (p.entry.id, p.place)).collect();
        // b: 76 first; a and c: 72 with the same points per criterion on average, sharing second; d unscored.
        let expected = [("b", 1), ("a", 2), ("c", 2), ("d", 4)].map(|(id, place)| (id.to_string(), place));
        assert_eq!(placed, expected.to_vec());
    }
}
