//! SQL of waitlists: applications with their choices and claimed facts, staff verification, rounds (seed published
//! first, run once), results and places. The database refuses a second waiting application for a child, a centre
//! chosen twice, a round run twice and a child placed twice.

use chrono::NaiveDate;
use serde::Serialize;

use super::offer_store;
use crate::db::time::{Millis, now_millis, seoul_today};
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
    /// Another process took a seat this one counted on; nothing was stored, and running again sees the seats as
    /// they are.
    #[error("a seat was taken meanwhile")]
    SeatTaken,
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
    home_area: Option<&str>,
    choices: &[String],
    facts: &[String],
) -> Result<String, WaitlistError> {
    let id = new_id();
    let now = now_millis();
    let mut tx = db.begin().await?;
    let sql = "INSERT INTO waitlist_applications (id, municipality_code, child_id, guardian_id, home_area, status, \
               created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 'waiting', $6, $6)";
    let inserted = tx_run!(&mut tx, c => sqlx::query(sql).bind(&id).bind(municipality).bind(child_id)
        .bind(guardian_id).bind(home_area).bind(now).execute(c).await.map(|_| ()));
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
    pub birth_date: NaiveDate,
    pub choices: Vec<String>,
    pub verified: Vec<String>,
}

/// Every waiting application of the municipality not holding an offer, oldest first, with the choices it may still
/// be offered (not those it declined or let expire) and its verified facts. (Only applications made by `as_of`,
/// with facts verified by then: a round takes the list as it stood when its seed was published.)
pub async fn waiting(db: &Db, municipality: &str, as_of: Millis) -> Result<Vec<Waiting>, sqlx::Error> {
    let sql = "SELECT a.id, a.child_id, a.guardian_id, k.birth_date FROM waitlist_applications a \
               JOIN children k ON k.id = a.child_id WHERE a.municipality_code = $1 \
               AND a.status = 'waiting' AND a.created_at <= $2 AND NOT EXISTS (SELECT 1 FROM waitlist_offers o \
               WHERE o.application_id = a.id AND o.status = 'open') ORDER BY a.created_at, a.id";
    let rows: Vec<(String, String, String, NaiveDate)> =
        db_run!(db, p => sqlx::query_as(sql).bind(municipality).bind(as_of).fetch_all(p).await)?;
    let choices_sql = "SELECT c.application_id, c.facility_id FROM waitlist_choices c JOIN waitlist_applications a \
                       ON a.id = c.application_id WHERE a.municipality_code = $1 AND a.status = 'waiting' \
                       AND NOT EXISTS (SELECT 1 FROM waitlist_offers o WHERE o.application_id = c.application_id \
                       AND o.facility_id = c.facility_id AND o.status IN ('declined', 'expired')) \
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
        .map(|(id, child_id, guardian_id, birth_date)| Waiting {
            choices: choices.iter().filter(|(a, _)| *a == id).map(|(_, f)| f.clone()).collect(),
            verified: facts.iter().filter(|(a, _)| *a == id).map(|(_, f)| f.clone()).collect(),
            id,
            child_id,
            guardian_id,
            birth_date,
        })
        .collect())
}

/// The children holding an open or accepted offer, by centre: (facility id, birth date), for the places per class
/// they use.
pub async fn holders(db: &Db, municipality: &str) -> Result<Vec<(String, NaiveDate)>, sqlx::Error> {
    let sql = "SELECT o.facility_id, k.birth_date FROM waitlist_offers o JOIN waitlist_applications a \
               ON a.id = o.application_id JOIN children k ON k.id = a.child_id WHERE a.municipality_code = $1 \
               AND o.status IN ('open', 'accepted') ORDER BY o.facility_id";
    db_run!(db, p => sqlx::query_as(sql).bind(municipality).fetch_all(p).await)
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

/// Records a round's results and its offers in one transaction; the round is marked run first, so a second run
/// (here or in another process) finds it run and changes nothing. A seat gone meanwhile undoes the whole round.
pub async fn record_round(
    db: &Db,
    round_id: &str,
    by: Option<&str>,
    input: &str,
    results: &[RoundResult<'_>],
    expires_at: Millis,
) -> Result<(), WaitlistError> {
    let now = now_millis();
    let mut tx = db.begin().await?;
    let mark = "UPDATE allocation_rounds SET ran_at = $1, ran_by = $2, input = $3 WHERE id = $4 AND ran_at IS NULL";
    let marked = tx_run!(&mut tx, c => sqlx::query(mark).bind(now).bind(by).bind(input).bind(round_id).execute(c)
        .await.map(|r| r.rows_affected()))?;
    if marked == 0 {
        return Err(WaitlistError::AlreadyRan);
    }
    for r in results {
        insert_result(&mut tx, round_id, r).await?;
        if let Some(facility) = r.facility_id
            && still_waiting(&mut tx, r.application_id).await?
            && offer_store::offer(&mut tx, r.application_id, facility, Some(round_id), expires_at).await?.is_none()
        {
            return Err(WaitlistError::SeatTaken);
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

/// A child withdrawn while the round ran is offered nothing, and the seat stays free.
async fn still_waiting(tx: &mut Tx, application: &str) -> Result<bool, sqlx::Error> {
    let sql = "SELECT COUNT(*) FROM waitlist_applications WHERE id = $1 AND status = 'waiting'";
    let n: i64 = tx_run!(tx, c => sqlx::query_scalar(sql).bind(application).fetch_one(c).await)?;
    Ok(n > 0)
}

/// A round's input as it ran (JSON), if it ran.
pub async fn round_input(db: &Db, municipality: &str, id: &str) -> Result<Option<String>, sqlx::Error> {
    let sql = "SELECT input FROM allocation_rounds WHERE id = $1 AND municipality_code = $2";
    let input: Option<Option<String>> =
        db_run!(db, p => sqlx::query_scalar(sql).bind(id).bind(municipality).fetch_optional(p).await)?;
    Ok(input.flatten())
}

/// One application's line in a round's audit.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ResultRow {
    pub application_id: String,
    pub facility_id: Option<String>,
    pub priority_class: Option<i32>,
    pub points: i64,
    pub explanation: String,
}

/// Every result of a round, in the order of the applications' ids.
pub async fn round_results(db: &Db, round_id: &str) -> Result<Vec<ResultRow>, sqlx::Error> {
    let sql = "SELECT application_id, facility_id, priority_class, CAST(points AS BIGINT) AS points, explanation \
               FROM allocation_results WHERE round_id = $1 ORDER BY application_id";
    db_run!(db, p => sqlx::query_as(sql).bind(round_id).fetch_all(p).await)
}

/// The seats each centre of the municipality may still give: free places less seats held by offers.
pub async fn free_seats(db: &Db, municipality: &str) -> Result<Vec<(String, i64)>, sqlx::Error> {
    let sql = "SELECT f.id, CAST(COALESCE(f.capacity - f.enrolled, 0) AS BIGINT) - (SELECT COUNT(*) \
               FROM waitlist_offers o WHERE o.facility_id = f.id AND o.status IN ('open', 'accepted')) \
               FROM facilities f WHERE f.municipality_code = $1";
    db_run!(db, p => sqlx::query_as(sql).bind(municipality).fetch_all(p).await)
}

/// The seed of the latest round that ran: between rounds, a freed place follows the order it drew.
pub async fn latest_seed(db: &Db, municipality: &str) -> Result<Option<u64>, sqlx::Error> {
    let sql = "SELECT lottery_seed FROM allocation_rounds WHERE municipality_code = $1 AND ran_at IS NOT NULL \
               ORDER BY ran_at DESC LIMIT 1";
    let seed: Option<String> = db_run!(db, p => sqlx::query_scalar(sql).bind(municipality).fetch_optional(p).await)?;
    Ok(seed.and_then(|s| s.parse().ok()))
}

/// Children waiting per centre (any rank) with no place offered yet: the figure officials watch.
pub async fn waiting_per_centre(db: &Db, municipality: &str) -> Result<Vec<(String, i64)>, sqlx::Error> {
    let sql = "SELECT c.facility_id, COUNT(*) FROM waitlist_choices c JOIN waitlist_applications a \
               ON a.id = c.application_id WHERE a.municipality_code = $1 AND a.status = 'waiting' \
               AND NOT EXISTS (SELECT 1 FROM waitlist_offers o WHERE o.application_id = a.id AND o.status = 'open') \
               GROUP BY c.facility_id ORDER BY c.facility_id";
    db_run!(db, p => sqlx::query_as(sql).bind(municipality).fetch_all(p).await)
}

/// A guardian's application as their page shows it.
#[derive(Clone, Debug, Serialize)]
pub struct Mine {
    pub id: String,
    pub child_name: String,
    /// The 만 N세반 the child waits in this 보육연도 ([`super::bands::band`]).
    pub band: String,
    pub status: String,
    pub choices: Vec<String>,
    /// Facts claimed, and whether staff verified each.
    pub facts: Vec<(String, bool)>,
    /// The latest round's explanation (JSON), if a round included it, and the one before: what changed.
    pub explanation: Option<String>,
    pub previous: Option<String>,
    /// The class and points the latest round counted (`None` class: after every class).
    pub class: Option<i32>,
    pub points: i64,
}

pub async fn of_guardian(db: &Db, municipality: &str, guardian_id: &str) -> Result<Vec<Mine>, sqlx::Error> {
    let sql = "SELECT a.id, c.name, c.birth_date, a.status FROM waitlist_applications a \
               JOIN children c ON c.id = a.child_id \
               WHERE a.municipality_code = $1 AND a.guardian_id = $2 ORDER BY a.created_at DESC";
    let rows: Vec<(String, String, NaiveDate, String)> =
        db_run!(db, p => sqlx::query_as(sql).bind(municipality).bind(guardian_id).fetch_all(p).await)?;
    let mut out = Vec::with_capacity(rows.len());
    let today = seoul_today();
    for (id, child_name, birth, status) in rows {
        let choices_sql = "SELECT facility_id FROM waitlist_choices WHERE application_id = $1 ORDER BY rank";
        let choices: Vec<String> = db_run!(db, p => sqlx::query_scalar(choices_sql).bind(&id).fetch_all(p).await)?;
        let facts_sql =
            "SELECT fact, verified_at IS NOT NULL FROM waitlist_facts WHERE application_id = $1 ORDER BY fact";
        let facts: Vec<(String, bool)> = db_run!(db, p => sqlx::query_as(facts_sql).bind(&id).fetch_all(p).await)?;
        let why_sql = "SELECT r.explanation, r.priority_class, CAST(r.points AS BIGINT) FROM allocation_results r \
                       JOIN allocation_rounds d ON d.id = r.round_id WHERE r.application_id = $1 \
                       ORDER BY d.ran_at DESC LIMIT 2";
        let mut why: Vec<(String, Option<i32>, i64)> =
            db_run!(db, p => sqlx::query_as(why_sql).bind(&id).fetch_all(p).await)?;
        let previous = (why.len() > 1).then(|| why.remove(1).0);
        let (explanation, class, points) = why.pop().map_or((None, None, 0), |(e, c, p)| (Some(e), c, p));
        let band = super::bands::band(birth, today);
        out.push(Mine { id, child_name, band, status, choices, facts, explanation, previous, class, points });
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

/// The guardian takes an application off the list, waiting or placed and not yet enrolled; `Ok(None)` when it is
/// not theirs or already off. Returns the centre whose seat it held, if any, to offer on.
pub async fn withdraw(
    db: &Db,
    municipality: &str,
    guardian_id: &str,
    id: &str,
) -> Result<Option<Option<String>>, sqlx::Error> {
    let now = now_millis();
    let mut tx = db.begin().await?;
    let sql = "UPDATE waitlist_applications SET status = 'withdrawn', updated_at = $1, left_at = $1 WHERE id = $2 \
               AND municipality_code = $3 AND guardian_id = $4 AND status IN ('waiting', 'placed') \
               AND NOT EXISTS (SELECT 1 FROM waitlist_offers o WHERE o.application_id = $2 AND o.status = 'enrolled')";
    let done = tx_run!(&mut tx, c => sqlx::query(sql).bind(now).bind(id).bind(municipality).bind(guardian_id)
        .execute(c).await.map(|r| r.rows_affected()))?;
    if done == 0 {
        return Ok(None);
    }
    let freed = offer_store::void_of(&mut tx, id).await?;
    tx.commit().await?;
    Ok(Some(freed))
}
