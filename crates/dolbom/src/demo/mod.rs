//! The demo municipality: 서울특별시 노원구 with its real 행정동s and population, and synthetic people generated
//! deterministically from a seed (same seed, same residents, same households, same ids). One account per role.

pub mod names;
mod people;

use std::fmt;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::app::AppState;
use crate::auth::admin_store;
use crate::auth::{Role, accounts};
use crate::db::Db;
use crate::db_run;
use crate::error::AppError;
use crate::i18n::Locale;

pub const DEFAULT_SEED: u64 = 2026;
pub const DEMO_PASSWORD: &str = "dolbom-demo-2026";

#[derive(Clone, Debug)]
pub struct DemoOptions {
    pub seed: u64,
    /// Households generated per 1,000 registered residents of a 행정동.
    pub households_per_thousand: f64,
}

impl Default for DemoOptions {
    fn default() -> Self {
        DemoOptions { seed: DEFAULT_SEED, households_per_thousand: 2.5 }
    }
}

#[derive(Debug)]
pub struct DemoSummary {
    pub households: usize,
    pub residents: usize,
    pub accounts: usize,
    pub services: usize,
    pub facilities: usize,
    pub groups: usize,
    pub care_centres: usize,
    pub caregivers: usize,
    pub waiting_children: usize,
    pub offered: usize,
    pub cases: usize,
    pub visits: usize,
    pub spaces: usize,
}

impl fmt::Display for DemoSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "demo seeded: {} households, {} residents, {} accounts, {} welfare services, {} care facilities ({} in \
             emergency care), {} caregivers, {} groups, {} children on the waitlist ({} offered a place), {} open cases, {} outreach visits, {} community spaces",
            self.households,
            self.residents,
            self.accounts,
            self.services,
            self.facilities,
            self.care_centres,
            self.caregivers,
            self.groups,
            self.waiting_children,
            self.offered,
            self.cases,
            self.visits,
            self.spaces
        )
    }
}

/// The demo log-ins: (e-mail, role, organization, 행정동 names).
pub const DEMO_ACCOUNTS: [(&str, Role, &str, &[&str]); 9] = [
    ("resident@demo.dolbom.kr", Role::Resident, "", &[]),
    // A second resident: a neighbour who wants the same room.
    ("neighbour@demo.dolbom.kr", Role::Resident, "", &[]),
    ("provider@demo.dolbom.kr", Role::ProviderStaff, "상계1동 다함께돌봄센터", &["1135063000"]),
    ("caregiver@demo.dolbom.kr", Role::Caregiver, "노원구 아이돌봄서비스 제공기관", &[]),
    ("worker@demo.dolbom.kr", Role::WelfareWorker, "상계1동 주민센터", &["1135063000", "1135064000"]),
    // The welfare centre's worker has no 행정동 of their own: they open a household only when it shares with them.
    ("centre@demo.dolbom.kr", Role::WelfareWorker, "노원구종합사회복지관", &[]),
    ("leader@demo.dolbom.kr", Role::GroupLeader, "공릉동 공동육아 부모모임", &["1135059500"]),
    ("official@demo.dolbom.kr", Role::Official, "노원구청", &[]),
    ("admin@demo.dolbom.kr", Role::Admin, "노원구청", &[]),
];

const ORGANIZATIONS: [(&str, &str); 6] = [
    ("노원구청", "government"),
    ("상계1동 주민센터", "community_center"),
    ("노원구종합사회복지관", "welfare_center"),
    ("상계1동 다함께돌봄센터", "care_provider"),
    ("노원구 아이돌봄서비스 제공기관", "care_provider"),
    ("공릉동 공동육아 부모모임", "community_group"),
];

pub fn logins_text() -> String {
    let mut out = format!("demo log-ins (password for all: {DEMO_PASSWORD}):\n");
    for (email, role, _, _) in DEMO_ACCOUNTS {
        out.push_str(&format!("  {role:<15} {email}\n"));
    }
    out
}

async fn is_empty(db: &Db) -> Result<bool, sqlx::Error> {
    let (n,): (i64,) = db_run!(db, p => sqlx::query_as("SELECT COUNT(*) FROM users").fetch_one(p).await)?;
    Ok(n == 0)
}

/// Seeds the demo if the database holds no accounts yet; returns what was made.
pub async fn seed_if_empty(state: &AppState, options: &DemoOptions) -> Result<Option<DemoSummary>, AppError> {
    if !is_empty(&state.db).await? {
        return Ok(None);
    }
    let municipality = state.municipality();
    for (name, kind) in ORGANIZATIONS {
        admin_store::create_organization(&state.db, municipality, name, kind).await?;
    }
    let orgs = admin_store::organizations(&state.db, municipality).await?;
    let mut ids = std::collections::HashMap::new();
    let mut centre_worker = String::new();
    for (email, role, org, areas) in DEMO_ACCOUNTS {
        let org_id = orgs.iter().find(|o| o.name == org).map(|o| o.id.as_str());
        let key =
            if email.starts_with("centre@") { "centre-worker".to_string() } else { role.as_str().replace('_', "-") };
        let name = crate::i18n::t(Locale::Ko, &format!("demo-name-{key}"));
        let id =
            accounts::create(&state.db, municipality, email, &name, DEMO_PASSWORD, role, org_id, Locale::Ko).await?;
        let areas: Vec<String> = areas.iter().map(|a| a.to_string()).collect();
        admin_store::replace_areas(&state.db, &id, &areas).await?;
        if email.starts_with("centre@") {
            centre_worker = id;
        } else if !email.starts_with("neighbour@") {
            ids.insert(role, id);
        }
    }
    let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
    let generated = people::generate(&mut rng, &state.areas, options.households_per_thousand);
    let residents = people::store(&state.db, &state.keys, municipality, &generated).await?;
    let directory = crate::directory::import::load_shipped(&state.db, municipality).await?;
    let org_ids: Vec<(String, String)> = orgs.iter().map(|o| (o.name.clone(), o.id.clone())).collect();
    let places = crate::places::demo::seed(&state.db, municipality, &state.areas, &mut rng, &org_ids).await?;
    let id_of = |role: Role| ids.get(&role).map(String::as_str).unwrap_or_default();
    let who = crate::care::demo::DemoAccounts {
        resident: id_of(Role::Resident),
        provider: id_of(Role::ProviderStaff),
        caregiver: id_of(Role::Caregiver),
        password: DEMO_PASSWORD,
    };
    let care = crate::care::demo::seed(&state.db, &state.keys, municipality, &state.areas, &mut rng, &who).await?;
    state.sync_places().await?;
    let waitlist = crate::waitlist::demo::seed(state, &mut rng, id_of(Role::Official)).await?;
    let workers = crate::cases::demo::Workers {
        dong: id_of(Role::WelfareWorker),
        centre: &centre_worker,
        official: id_of(Role::Official),
    };
    let casework = crate::cases::demo::seed(state, &workers).await?;
    let provider_org = orgs.iter().find(|o| o.name == "상계1동 다함께돌봄센터").map(|o| o.id.as_str());
    let spaces = crate::spaces::demo::seed(&state.db, municipality, &state.areas, provider_org).await?;
    crate::spaces::demo::seed_booking(&state.db, municipality, id_of(Role::Resident))
        .await
        .map_err(|e| AppError::Internal(format!("demo booking: {e}")))?;
    crate::mine::checks::seed_demo(state, id_of(Role::Resident)).await?;
    let leader_org =
        orgs.iter().find(|o| o.name == "공릉동 공동육아 부모모임").map(|o| o.id.as_str()).unwrap_or_default();
    let today = crate::db::time::seoul_today();
    let group = (leader_org, id_of(Role::GroupLeader));
    crate::subsidies::demo::seed(&state.db, municipality, id_of(Role::Official), group, today)
        .await
        .map_err(|e| AppError::Internal(format!("demo subsidies: {e}")))?;
    let groups = crate::places::group_store::all(&state.db, municipality).await?;
    let story_group = groups.iter().find(|g| g.organization_id.as_deref() == Some(leader_org)).map(|g| g.id.as_str());
    crate::content::demo::seed(&state.db, municipality, id_of(Role::Official), story_group).await?;
    if let Some(group) = story_group {
        crate::hub::demo::seed_board(&state.db, group, id_of(Role::GroupLeader)).await?;
    }
    let official = id_of(Role::Official);
    let who = crate::hub::demo::People { official, leader: id_of(Role::GroupLeader), leader_group: leader_org };
    crate::hub::demo::seed(&state.db, municipality, &who, today)
        .await
        .map_err(|e| AppError::Internal(format!("demo contests: {e}")))?;
    Ok(Some(DemoSummary {
        households: generated.len(),
        residents,
        accounts: DEMO_ACCOUNTS.len(),
        services: directory.imported + casework.services,
        facilities: places.facilities.imported,
        groups: places.groups,
        care_centres: care.centres,
        caregivers: care.caregivers,
        waiting_children: waitlist.applications,
        offered: waitlist.offered,
        cases: casework.cases,
        visits: casework.visits,
        spaces,
    }))
}
