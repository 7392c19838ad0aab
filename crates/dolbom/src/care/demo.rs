//! Demo data for care: the demo centres that take part in emergency care (places kept, evening and Saturday
//! hours), caregivers with credentials (some about to expire, so officials see the warning), the demo
//! resident's child, and two past applications carried through to the survey so the figures are not empty.
//! Everything synthetic is marked: caregivers' e-mails end in `@demo.dolbom.kr`, centres' sources start `demo:`.

use chrono::{Duration, NaiveDate};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::caregiver_store::{self, Caregiver, Credential};
use super::model::{NewApplication, Status};
use super::rules::Service;
use super::store::{self, ProviderRef};
use super::{followup_store, hold_store, offer_store};
use crate::areas::Areas;
use crate::auth::{Role, accounts};
use crate::children::model::NewChild;
use crate::db::Db;
use crate::db::time::seoul_today;
use crate::i18n::Locale;
use crate::keys::Keys;
use crate::places::hours::{HOLIDAY, Span, WeeklyHours};
use crate::places::store as places;

/// How many synthetic caregivers the demo has besides the demo caregiver account.
pub const CAREGIVERS: usize = 24;

#[derive(Debug, Default)]
pub struct Seeded {
    pub centres: usize,
    pub caregivers: usize,
    pub applications: usize,
}

/// The demo accounts care is seeded around (ids), and the demo password for the synthetic caregivers.
pub struct DemoAccounts<'a> {
    pub resident: &'a str,
    pub provider: &'a str,
    pub caregiver: &'a str,
    pub password: &'a str,
}

/// Seeds care.
pub async fn seed(
    db: &Db,
    keys: &Keys,
    municipality: &str,
    areas: &Areas,
    rng: &mut ChaCha8Rng,
    who: &DemoAccounts<'_>,
) -> Result<Seeded, crate::error::AppError> {
    let mut seeded = Seeded::default();
    let mut centres = Vec::new();
    for mut f in places::all(db, municipality).await? {
        let demo_centre = f.source_id.as_deref().is_some_and(|s| s.starts_with("demo:community_care"));
        if !demo_centre {
            continue;
        }
        // Centres in 긴급돌봄 stay open on weekday evenings, Saturdays and holidays.
        for day in 0..5 {
            f.hours.0[day] = Span::new(8 * 60, 22 * 60).ok();
        }
        for day in [5, 6, HOLIDAY] {
            f.hours.0[day] = Span::new(9 * 60, 20 * 60).ok();
        }
        f.hours_confirmed = true;
        places::upsert(db, municipality, &f).await?;
        hold_store::set_places(db, &f.id, rng.gen_range(1..=3)).await?;
        centres.push(f);
        seeded.centres += 1;
    }
    let mut ids = vec![who.caregiver.to_string()];
    for i in 0..CAREGIVERS {
        let email = format!("caregiver{:02}@demo.dolbom.kr", i + 1);
        let name = format!("{}{}", crate::demo::names::surname(rng), crate::demo::names::given(rng, 1975, true));
        let id =
            accounts::create(db, municipality, &email, &name, who.password, Role::Caregiver, None, Locale::Ko).await?;
        ids.push(id);
    }
    for (i, id) in ids.iter().enumerate() {
        caregiver_store::upsert(db, municipality, &caregiver(areas, rng, id, i)).await?;
        seeded.caregivers += 1;
    }
    seeded.applications = past_care(db, keys, municipality, areas, who, &centres).await?;
    Ok(seeded)
}

fn caregiver(areas: &Areas, rng: &mut ChaCha8Rng, user_id: &str, i: usize) -> Caregiver {
    let area = &areas.all()[i % areas.len().max(1)];
    let (latitude, longitude) = areas.inner_point(&area.adm_cd2).unwrap_or_else(|| areas.center());
    let today = seoul_today();
    let mut credentials = vec![Credential { kind: "basic".into(), number: format!("DEMO-{i:04}"), expires_on: None }];
    if i.is_multiple_of(2) {
        credentials.push(Credential { kind: "infant".into(), number: String::new(), expires_on: None });
    }
    if i.is_multiple_of(5) {
        credentials.push(Credential { kind: "special_needs".into(), number: String::new(), expires_on: None });
    }
    // First aid lapses every few years: some are due soon, one is overdue.
    let first_aid = today + Duration::days(rng.gen_range(-10..400));
    credentials.push(Credential { kind: "first_aid".into(), number: String::new(), expires_on: Some(first_aid) });
    let mut hours = WeeklyHours::default();
    for day in 0..8 {
        hours.0[day] = Span::new(7 * 60, 22 * 60).ok();
    }
    Caregiver {
        user_id: user_id.to_string(),
        name: if i == 0 { "데모 돌봄선생님".into() } else { format!("돌봄선생님 {i:02}") },
        sex: if i % 7 == 3 { "M" } else { "F" }.into(),
        latitude: latitude + rng.gen_range(-0.003..0.003),
        longitude: longitude + rng.gen_range(-0.003..0.003),
        languages: if i % 6 == 1 { vec!["ko".into(), "vi".into()] } else { vec!["ko".into()] },
        weekly_limit_minutes: 40 * 60,
        hours,
        credentials,
    }
}

/// The demo resident's child, and two Saturdays of care already given and rated.
async fn past_care(
    db: &Db,
    keys: &Keys,
    municipality: &str,
    areas: &Areas,
    who: &DemoAccounts<'_>,
    centres: &[crate::places::model::Facility],
) -> Result<usize, crate::error::AppError> {
    // The demo provider's own centre, so its account sees the care it gave.
    let Some(centre) = centres.iter().find(|c| c.organization_id.is_some()).or(centres.first()) else { return Ok(0) };
    let resident = who.resident;
    let child = NewChild {
        name: "김하늘".into(),
        birth_date: NaiveDate::from_ymd_opt(2017, 5, 4).unwrap_or_default(),
        sex: 'F',
        school: Some("노원초등학교".into()),
        special_needs: String::new(),
        allergies: "땅콩".into(),
        rrn: None,
        contacts: vec![crate::children::model::Contact {
            name: "김보호".into(),
            relation: "어머니".into(),
            phone: "010-0000-0000".into(),
        }],
        consents: vec!["data".into(), "emergency_care".into()],
    };
    let Some(child_id) = crate::children::store::create(db, keys, municipality, resident, &child).await? else {
        return Ok(0);
    };
    let mut made = 0;
    for (weeks_ago, satisfaction) in [(3, 5), (2, 4)] {
        let day = seoul_today() - Duration::days(7 * weeks_ago);
        let application = NewApplication {
            child_id: child_id.clone(),
            service: Service::ElementaryEmergency,
            first_day: day,
            days: 1,
            start: 10 * 60,
            end: 14 * 60,
            reason: "work".into(),
            adm_cd2: centre.adm_cd2.clone(),
            address: "노원구 (데모 주소)".into(),
            caregiver_sex: None,
            language: None,
            notes: String::new(),
        };
        let point = areas.inner_point(&centre.adm_cd2).unwrap_or_else(|| areas.center());
        let id = store::submit(db, municipality, resident, &application, point).await?;
        offer_store::offer(db, &id, &ProviderRef::Facility(centre.id.clone()), 350, i64::MAX, "{}").await?;
        let a = store::get(db, municipality, &id).await?.ok_or(crate::error::AppError::NotFound)?;
        offer_store::accept(db, &a, 1, who.provider).await?;
        for (from, to) in [
            (Status::Confirmed, Status::CheckedIn),
            (Status::CheckedIn, Status::CheckedOut),
            (Status::CheckedOut, Status::Completed),
        ] {
            store::transition(db, &id, &[from], to, None, "").await?;
        }
        followup_store::add_survey(db, &id, resident, satisfaction, "").await?;
        made += 1;
    }
    Ok(made)
}
