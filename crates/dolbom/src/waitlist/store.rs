//! SQL of waitlists: applications with their choices and claimed facts, staff verification, rounds (seed published
//! first, run once), results and places. The database refuses a second waiting application for a child, a centre
//! chosen twice, a round run twice and a child placed twice.

use serde::Serialize;

use crate::db::time::{Millis, now_millis};
use crate::db::{Db, Tx, is_unique_violation, new_id};
use crate::{db_run, tx_run};

#[derive(Debug, thiserror::Error)]
pub enum WaitlistError {
    #[error("the child already waits")]
    AlreadyWaiting,
    #[error("a centre is chosen twice")]
    DuplicateChoice,
    #[error("the round has already run")]
    AlreadyRan,
    /// A published round has not run yet: one open round at a time, so no one can publish several seeds and run the
    /// one they like.
    #[error("a round is already published and waiting to run")]
    RoundOpen,
    #[error("not found")]
    NotFound,
    /// The allocation refused the round's input: a bug, since the database's constraints shape it.
    #[error("round input refused: {0}")]
    Refused(String),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// Stores a waiting application: choices in order, facts claimed (to be verified).
pub async fn apply(
    db: &Db,
    municipality: &str,
    guardian_id: &str,
    child_id: &str,
    choices: &[String],
    facts: &[String],
) -> Result<String, WaitlistError> {
    let id = new_id();
    let now = now_millis();
    let mut tx = db.begin().await?;
    let sql = "INSERT INTO waitlist_applications (id, municipality_code, child_id, guardian_id, status, created_at, \
               updated_at) VALUES ($1, $2, $3, $4, 'waiting', $5, $5)";
    let inserted = tx_run!(&mut tx, c => sqlx::query(sql).bind(&id).bind(municipality).bind(child_id)
        .bind(guardian_id).bind(now).execute(c).await.map(|_| ()));
    match inserted {
        Err(e) if is_unique_violation(&e) => return Err(WaitlistError::AlreadyWaiting),
        other => other?,
    }
    for (rank, facility) in choices.iter().enumerate() {
        let sql = "INSERT INTO waitlist_choices (application_id, rank, facility_id) VALUES ($1, $2, $3)";
        let inserted = tx_run!(&mut tx, c => sqlx::query(sql).bind(&id).bind(rank as i32 + 1).bind(facility)
            .execute(c).await.map(|_| ()));
        match inserted {
            Err(e) if is_unique_violation(&e) => return Err(WaitlistError::DuplicateChoice),
            other => other?,
        }
    }
    for fact in facts {
        let sql = "INSERT INTO waitlist_facts (application_id, fact, claimed_at) VALUES ($1, $2, $3) \
                   ON CONFLICT DO NOTHING";
        tx_run!(&mut tx, c => sqlx::query(sql).bind(&id).bind(fact).bind(now).execute(c).await.map(|_| ()))?;
    }
    tx.commit().await?;
    Ok(id)
}

/// Staff verify a claimed fact (its document seen); `false` when it was not claimed on a waiting application of
/// this municipality.
pub async fn verify(
    db: &Db,
    municipality: &str,
    application_id: &str,
    fact: &str,
    staff_id: &str,
) -> Result<bool, sqlx::Error> {
    let sql = "UPDATE waitlist_facts SET verified_by = $1, verified_at = $2 WHERE application_id = $3 AND fact = $4 \
               AND application_id IN (SELECT id FROM waitlist_applications WHERE municipality_code = $5 \
               AND status = 'waiting')";
    let done = db_run!(db, p => sqlx::query(sql).bind(staff_id).bind(now_millis()).bind(application_id).bind(fact)
        .bind(municipality).execute(p).await.map(|r| r.rows_affected()))?;
    Ok(done > 0)
}

/// A waiting application as a round sees it.
#[derive(Clone, Debug, Serialize)]
pub struct Waiting {
    pub id: String,
    pub child_id: String,
    pub guardian_id: String,
    pub choices: Vec<String>,
    pub verified: Vec<String>,
}

/// Every waiting application of the municipality, oldest first, with choices and verified facts.
/// (Only applications made by `as_of`, with facts verified by then: a round takes the list as it stood when
/// its seed was published.)
pub async fn waiting(db: &Db, municipality: &str, as_of: Millis) -> Result<Vec<Waiting>, sqlx::Error> {
    let sql = "SELECT id, child_id, guardian_id FROM waitlist_applications WHERE municipality_code = $1 \
               AND status = 'waiting' AND created_at <= $2 ORDER BY created_at, id";
    let rows: Vec<(String, String, String)> =
        db_run!(db, p => sqlx::query_as(sql).bind(municipality).bind(as_of).fetch_all(p).await)?;
    let choices_sql = "SELECT c.application_id, c.facility_id FROM waitlist_choices c JOIN waitlist_applications a \
                       ON a.id = c.application_id WHERE a.municipality_code = $1 AND a.status = 'waiting' \
                       ORDER BY c.application_id, c.rank";
    let choices: Vec<(String, String)> =
        db_run!(db, p => sqlx::query_as(choices_sql).bind(municipality).fetch_all(p).await)?;
    let facts_sql = "SELECT f.application_id, f.fact FROM waitlist_facts f JOIN waitlist_applications a \
                     ON a.id = f.application_id WHERE a.municipality_code = $1 AND a.status = 'waiting' \
                     AND f.verified_at IS NOT NULL AND f.verified_at <= $2 ORDER BY f.fact";
    let facts: Vec<(String, String)> =
        db_run!(db, p => sqlx::query_as(facts_sql).bind(municipality).bind(as_of).fetch_all(p).await)?;
    Ok(rows
        .into_iter()
        .map(|(id, child_id, guardian_id)| Waiting {
            choices: choices.iter().filter(|(a, _)| *a == id).map(|(_, f)| f.clone()).collect(),
            verified: facts.iter().filter(|(a, _)| *a == id).map(|(_, f)| f.clone()).collect(),
            id,
            child_id,
            guardian_id,
        })
        .collect())
}

/// Publishes a round's lottery seed before it runs.
pub async fn publish_round(db: &Db, municipality: &str, seed: u64, by: Option<&str>) -> Result<String, WaitlistError> {
    let id = new_id();
    let sql = "INSERT INTO allocation_rounds (id, municipality_code, lottery_seed, published_at, published_by) \
               VALUES ($1, $2, $3, $4, $5)";
    let inserted = db_run!(db, p => sqlx::query(sql).bind(&id).bind(municipality).bind(seed.to_string())
        .bind(now_millis()).bind(by).execute(p).await.map(|_| ()));
    match inserted {
        Err(e) if is_unique_violation(&e) => Err(WaitlistError::RoundOpen),
        Err(e) => Err(e.into()),
        Ok(()) => Ok(id),
    }
}

/// A round's published seed, and whether it ran.
/// A published round: its seed, when it was published, and when it ran.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Round {
    pub seed: u64,
    pub published_at: Millis,
    pub ran_at: Option<Millis>,
}

pub async fn round(db: &Db, municipality: &str, id: &str) -> Result<Option<Round>, sqlx::Error> {
    let sql = "SELECT lottery_seed, published_at, ran_at FROM allocation_rounds WHERE id = $1 \
               AND municipality_code = $2";
    let row: Option<(String, Millis, Option<Millis>)> =
        db_run!(db, p => sqlx::query_as(sql).bind(id).bind(municipality).fetch_optional(p).await)?;
    Ok(row.and_then(|(seed, published_at, ran_at)| Some(Round { seed: seed.parse().ok()?, published_at, ran_at })))
}

/// One application's result in a round.
pub struct RoundResult<'a> {
    pub application_id: &'a str,
    pub facility_id: Option<&'a str>,
    pub priority_class: Option<u32>,
    pub points: i64,
    pub explanation: String,
}

/// Records a round's results and places in one transaction; the round is marked run first, so a second run
/// (here or in another process) finds it run and changes nothing.
pub async fn record_round(
    db: &Db,
    round_id: &str,
    by: Option<&str>,
    results: &[RoundResult<'_>],
) -> Result<(), WaitlistError> {
    let now = now_millis();
    let mut tx = db.begin().await?;
    let mark = "UPDATE allocation_rounds SET ran_at = $1, ran_by = $2 WHERE id = $3 AND ran_at IS NULL";
    let marked = tx_run!(&mut tx, c => sqlx::query(mark).bind(now).bind(by).bind(round_id).execute(c).await
        .map(|r| r.rows_affected()))?;
    if marked == 0 {
        return Err(WaitlistError::AlreadyRan);
    }
    for r in results {
        insert_result(&mut tx, round_id, r).await?;
        if let Some(facility) = r.facility_id {
            place(&mut tx, round_id, r.application_id, facility, now).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

async fn insert_result(tx: &mut Tx, round_id: &str, r: &RoundResult<'_>) -> Result<(), sqlx::Error> {
    let sql = "INSERT INTO allocation_results (round_id, application_id, facility_id, priority_class, points, \
               explanation) VALUES ($1, $2, $3, $4, $5, $6)";
    let class = r.priority_class.map(|c| c as i32);
    tx_run!(tx, c => sqlx::query(sql).bind(round_id).bind(r.application_id).bind(r.facility_id).bind(class)
        .bind(r.points).bind(&r.explanation).execute(c).await.map(|_| ()))
}

/// Places a child still waiting (one withdrawn while the round ran is left out, and its place stays free).
async fn place(tx: &mut Tx, round_id: &str, application: &str, facility: &str, now: Millis) -> Result<(), sqlx::Error> {
    let sql =
        "UPDATE waitlist_applications SET status = 'placed', updated_at = $1 WHERE id = $2 AND status = 'waiting'";
    let still_waiting = tx_run!(tx, c => sqlx::query(sql).bind(now).bind(application).execute(c).await
        .map(|r| r.rows_affected()))?;
    if still_waiting == 0 {
        return Ok(());
    }
    let sql = "INSERT INTO waitlist_places (application_id, facility_id, round_id, placed_at) VALUES ($1, $2, $3, $4)";
    tx_run!(tx, c => sqlx::query(sql).bind(application).bind(facility).bind(round_id).bind(now)
        .execute(c).await.map(|_| ()))
}

/// Places given by earlier rounds to children not yet counted as enrolled, per centre: not given again.
pub async fn placed_per_centre(db: &Db, municipality: &str) -> Result<Vec<(String, i64)>, sqlx::Error> {
    let sql = "SELECT p.facility_id, COUNT(*) FROM waitlist_places p JOIN waitlist_applications a \
               ON a.id = p.application_id WHERE a.municipality_code = $1 AND a.status = 'placed' GROUP BY p.facility_id";
    db_run!(db, p => sqlx::query_as(sql).bind(municipality).fetch_all(p).await)
}

/// Children waiting per centre (any rank): the figure officials watch.
pub async fn waiting_per_centre(db: &Db, municipality: &str) -> Result<Vec<(String, i64)>, sqlx::Error> {
    let sql = "SELECT c.facility_id, COUNT(*) FROM waitlist_choices c JOIN waitlist_applications a \
               ON a.id = c.application_id WHERE a.municipality_code = $1 AND a.status = 'waiting' \
               GROUP BY c.facility_id ORDER BY c.facility_id";
    db_run!(db, p => sqlx::query_as(sql).bind(municipality).fetch_all(p).await)
}

/// A guardian's application as their page shows it.
#[derive(Clone, Debug, Serialize)]
pub struct Mine {
    pub id: String,
    pub child_name: String,
    pub status: String,
    pub choices: Vec<String>,
    /// Facts claimed, and whether staff verified each.
    pub facts: Vec<(String, bool)>,
    pub placed_at: Option<String>,
    /// The latest round's explanation (JSON), if a round included it.
    pub explanation: Option<String>,
}

pub async fn of_guardian(db: &Db, municipality: &str, guardian_id: &str) -> Result<Vec<Mine>, sqlx::Error> {
    let sql = "SELECT a.id, c.name, a.status, p.facility_id FROM waitlist_applications a \
               JOIN children c ON c.id = a.child_id LEFT JOIN waitlist_places p ON p.application_id = a.id \
               WHERE a.municipality_code = $1 AND a.guardian_id = $2 ORDER BY a.created_at DESC";
    let rows: Vec<(String, String, String, Option<String>)> =
        db_run!(db, p => sqlx::query_as(sql).bind(municipality).bind(guardian_id).fetch_all(p).await)?;
    let mut out = Vec::with_capacity(rows.len());
    for (id, child_name, status, placed_at) in rows {
        let choices_sql = "SELECT facility_id FROM waitlist_choices WHERE application_id = $1 ORDER BY rank";
        let choices: Vec<String> = db_run!(db, p => sqlx::query_scalar(choices_sql).bind(&id).fetch_all(p).await)?;
        let facts_sql =
            "SELECT fact, verified_at IS NOT NULL FROM waitlist_facts WHERE application_id = $1 ORDER BY fact";
        let facts: Vec<(String, bool)> = db_run!(db, p => sqlx::query_as(facts_sql).bind(&id).fetch_all(p).await)?;
        let why_sql = "SELECT r.explanation FROM allocation_results r JOIN allocation_rounds d ON d.id = r.round_id \
                       WHERE r.application_id = $1 ORDER BY d.ran_at DESC LIMIT 1";
        let explanation: Option<String> =
            db_run!(db, p => sqlx::query_scalar(why_sql).bind(&id).fetch_optional(p).await)?;
        out.push(Mine { id, child_name, status, choices, facts, placed_at, explanation });
    }
    Ok(out)
}

/// Facts claimed and not yet verified, for staff: (application, child's name, fact).
pub async fn unverified(db: &Db, municipality: &str) -> Result<Vec<(String, String, String)>, sqlx::Error> {
    let sql = "SELECT f.application_id, c.name, f.fact FROM waitlist_facts f JOIN waitlist_applications a \
               ON a.id = f.application_id JOIN children c ON c.id = a.child_id WHERE a.municipality_code = $1 \
               AND a.status = 'waiting' AND f.verified_at IS NULL ORDER BY f.claimed_at, f.application_id, f.fact";
    db_run!(db, p => sqlx::query_as(sql).bind(municipality).fetch_all(p).await)
}

/// Rounds, newest first: (id, seed, published, ran).
pub async fn rounds(db: &Db, municipality: &str) -> Result<Vec<(String, String, Millis, Option<Millis>)>, sqlx::Error> {
    let sql = "SELECT id, lottery_seed, published_at, ran_at FROM allocation_rounds WHERE municipality_code = $1 \
               ORDER BY published_at DESC, id DESC LIMIT 50";
    db_run!(db, p => sqlx::query_as(sql).bind(municipality).fetch_all(p).await)
}

/// The guardian takes a waiting application off the list; `false` when it is not theirs or no longer waiting.
pub async fn withdraw(db: &Db, municipality: &str, guardian_id: &str, id: &str) -> Result<bool, sqlx::Error> {
    let sql = "UPDATE waitlist_applications SET status = 'withdrawn', updated_at = $1 WHERE id = $2 \
               AND municipality_code = $3 AND guardian_id = $4 AND status = 'waiting'";
    let done = db_run!(db, p => sqlx::query(sql).bind(now_millis()).bind(id).bind(municipality).bind(guardian_id)
        .execute(p).await.map(|r| r.rows_affected()))?;
    Ok(done > 0)
}
