//! A 남양주-sized waitlist for the demo: 2,500 children under six from homes spread like the district's children,
//! each applying to one to five 어린이집 near home over the last five months, with the priority facts families
//! commonly have (most verified), some already placed or gone; then one round is published and run, so guardians
//! hold offers and officials see the figures. Deterministic from the demo seed. The guardians cannot log in: they
//! are the crowd the demo resident waits among.

use chrono::{Duration, NaiveDate};
use rand::Rng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;

use super::rules_store;
use super::{round, store};
use crate::app::AppState;
use crate::auth::Role;
use crate::auth::store::{NewAccount, create_account};
use crate::children::model::{Contact, NewChild};
use crate::db::time::{Millis, now_millis, seoul_today};
use crate::db::{Db, new_id};
use crate::db_run;
use crate::error::AppError;
use crate::places::index::PlaceQuery;

pub const CHILDREN: usize = 2_500;
/// How many centres near home a family looks at.
const NEAREST: usize = 12;
const DAY: Millis = 86_400_000;
/// Facts and how often a family claims each: shares from 보육통계 and 맞벌이 rates, rounded.
const FACTS: [(&str, f64); 9] = [
    ("dual_income", 0.45),
    ("two_children", 0.20),
    ("three_children", 0.06),
    ("single_parent", 0.05),
    ("multicultural", 0.04),
    ("basic_livelihood", 0.03),
    ("near_poverty", 0.03),
    ("grandparent", 0.01),
    ("disabled_child", 0.01),
];

#[derive(Debug, Default)]
pub struct Seeded {
    pub applications: usize,
    pub offered: usize,
}

pub async fn seed(state: &AppState, rng: &mut ChaCha8Rng, official: &str) -> Result<Seeded, AppError> {
    let municipality = state.municipality();
    let query =
        PlaceQuery { kinds: vec!["daycare".into(), "daycare_24h".into()], limit: usize::MAX, ..PlaceQuery::default() };
    let centres: Vec<(String, f64, f64)> = state
        .places
        .facilities(&query)
        .iter()
        .map(|h| (h.place.id.clone(), h.place.latitude, h.place.longitude))
        .collect();
    let areas = state.areas.all();
    if centres.is_empty() || areas.is_empty() {
        return Ok(Seeded::default());
    }
    let weights: Vec<u32> = areas.iter().map(|a| a.children.max(1)).collect();
    let dong = rand::distributions::WeightedIndex::new(&weights).map_err(|e| AppError::Internal(e.to_string()))?;
    let now = now_millis();
    let mut seeded = Seeded::default();
    let mut guardian = String::new();
    for i in 0..CHILDREN {
        use rand::distributions::Distribution;
        // One family in ten has a second child on the list.
        if i == 0 || !rng.gen_bool(0.1) {
            guardian = demo_guardian(&state.db, municipality, rng, i).await?;
        }
        let child = demo_child(state, &guardian, rng).await?;
        let area = &areas[dong.sample(rng)];
        let home = state.areas.inner_point(&area.adm_cd2).unwrap_or_else(|| state.areas.center());
        let choices = choices_near(&centres, home, rng);
        let facts: Vec<String> =
            FACTS.iter().filter(|(_, share)| rng.gen_bool(*share)).map(|(f, _)| f.to_string()).collect();
        let id = store::apply(&state.db, municipality, &guardian, &child, Some(&area.adm_cd2), &choices, &facts)
            .await
            .map_err(AppError::from)?;
        for fact in facts.iter().filter(|_| rng.gen_bool(0.8)) {
            store::verify(&state.db, municipality, &id, fact, official).await?;
        }
        let applied = now - rng.gen_range(1..150) * DAY - rng.gen_range(0..DAY);
        // A quarter have left the list since: most given a place (and enrolled), some gone elsewhere.
        let left = rng.gen_bool(0.25).then(|| applied + rng.gen_range(3..60) * DAY).filter(|at| *at < now);
        let placed = left.is_some() && rng.gen_bool(0.7);
        backdate(&state.db, &id, applied, left, placed.then(|| choices[0].as_str())).await?;
        seeded.applications += 1;
    }
    let round_id =
        store::publish_round(&state.db, municipality, rng.r#gen(), Some(official)).await.map_err(AppError::from)?;
    let summary = round::run(state, &round_id, &rules_store::rules(&state.db, municipality).await?, Some(official))
        .await
        .map_err(AppError::from)?;
    seeded.offered = summary.placed;
    Ok(seeded)
}

/// Up to five centres among the nearest to home, nearer ones first more often.
fn choices_near(centres: &[(String, f64, f64)], home: (f64, f64), rng: &mut ChaCha8Rng) -> Vec<String> {
    let mut by_distance: Vec<&(String, f64, f64)> = centres.iter().collect();
    let d2 = |c: &(String, f64, f64)| (c.1 - home.0).powi(2) + ((c.2 - home.1) * 0.8).powi(2);
    by_distance.sort_by(|a, b| d2(a).total_cmp(&d2(b)));
    let mut near: Vec<&String> = by_distance.iter().take(NEAREST).map(|c| &c.0).collect();
    let half = near.len() / 2;
    near[..half].shuffle(rng);
    let n = [1, 2, 3, 3, 3, 4, 5, 5][rng.gen_range(0..8)].min(near.len());
    near.truncate(n);
    near.into_iter().cloned().collect()
}

async fn demo_guardian(db: &Db, municipality: &str, rng: &mut ChaCha8Rng, i: usize) -> Result<String, AppError> {
    let female = rng.gen_bool(0.6);
    let name = format!("{}{}", crate::demo::names::surname(rng), crate::demo::names::given(rng, 1990, female));
    let email = format!("waitlist{i:04}@demo.dolbom.kr");
    // Not a password hash: these accounts cannot log in.
    let new = NewAccount {
        municipality_code: municipality,
        email: &email,
        display_name: &name,
        password_hash: "!demo",
        role: Role::Resident,
        organization_id: None,
        locale: "ko",
    };
    create_account(db, &new).await.map_err(|e| AppError::Internal(e.to_string()))
}

async fn demo_child(state: &AppState, guardian: &str, rng: &mut ChaCha8Rng) -> Result<String, AppError> {
    let born = seoul_today() - Duration::days(rng.gen_range(120..6 * 365));
    let female = rng.gen_bool(0.5);
    let year = born.format("%Y").to_string().parse().unwrap_or(2023);
    let child = NewChild {
        name: format!("{}{}", crate::demo::names::surname(rng), crate::demo::names::given(rng, year, female)),
        birth_date: born.max(NaiveDate::from_ymd_opt(2020, 1, 1).unwrap_or_default()),
        sex: if female { 'F' } else { 'M' },
        school: None,
        special_needs: String::new(),
        allergies: String::new(),
        rrn: None,
        contacts: vec![Contact { name: "보호자".into(), relation: "부모".into(), phone: "010-0000-0000".into() }],
        consents: vec!["data".into()],
    };
    crate::children::store::create(&state.db, &state.keys, state.municipality(), guardian, &child)
        .await?
        .ok_or_else(|| AppError::Internal("demo child not stored".into()))
}

/// Moves an application into the past: applied then, and (for some) left the list later, placed at its first
/// choice and enrolled there.
async fn backdate(
    db: &Db,
    id: &str,
    applied: Millis,
    left: Option<Millis>,
    placed_at: Option<&str>,
) -> Result<(), sqlx::Error> {
    let status = match (left, placed_at) {
        (None, _) => "waiting",
        (Some(_), Some(_)) => "placed",
        (Some(_), None) => "withdrawn",
    };
    let sql = "UPDATE waitlist_applications SET created_at = $1, updated_at = $1, left_at = $2, status = $3 \
               WHERE id = $4";
    db_run!(db, p => sqlx::query(sql).bind(applied).bind(left).bind(status).bind(id).execute(p).await.map(|_| ()))?;
    facts_dated(db, id, applied).await?;
    if let (Some(at), Some(facility)) = (left, placed_at) {
        // Enrolled: in the centre's own count already, so it holds no waitlist seat.
        let sql = "INSERT INTO waitlist_offers (id, application_id, facility_id, seat, status, offered_at, \
                   expires_at, answered_at) VALUES ($1, $2, $3, 1, 'enrolled', $4, $4, $4)";
        db_run!(db, p => sqlx::query(sql).bind(new_id()).bind(id).bind(facility).bind(at).execute(p).await
            .map(|_| ()))?;
    }
    Ok(())
}

/// Facts were claimed with the application and verified within two days of it (not after now).
async fn facts_dated(db: &Db, id: &str, applied: Millis) -> Result<(), sqlx::Error> {
    let verified = (applied + 2 * DAY).min(now_millis());
    let sql = "UPDATE waitlist_facts SET claimed_at = $1, verified_at = CASE WHEN verified_at IS NULL THEN NULL \
               ELSE $2 END WHERE application_id = $3";
    db_run!(db, p => sqlx::query(sql).bind(applied).bind(verified).bind(id).execute(p).await.map(|_| ()))
}
