//! The demo's casework in 상계1동: agencies in the consortium, a food voucher in the directory, households with
//! consents, open cases with needs and plans, visits made (risks seen) and to make, referrals to the welfare
//! centre, services linked (one gone ahead despite a warning, one prevented), a 권역 with its pool and a running
//! campaign, and a resource found in the field waiting for review.

use chrono::Days;

use super::model::{Assessment, PlanItem};
use super::store as cases;
use crate::app::AppState;
use crate::auth::admin_store;
use crate::db::time::seoul_today;
use crate::db_run;
use crate::directory::model::NewService;
use crate::error::AppError;
use crate::ledger::model::NewLink;
use crate::ledger::store as ledger;
use crate::outreach::model::VisitRecord;
use crate::outreach::store as outreach;
use crate::people::consent::{self, NewConsent};
use crate::people::referrals::{self, NewReferral, Step};
use crate::sharing::pools::{self, NewItem, NewPledge};
use crate::sharing::resources::{self, NewResource};

/// The 행정동 of the demo's casework (the demo welfare worker's first).
pub const AREA: &str = "1135063000";
/// The demo's food voucher, as the browser test links it.
pub const FOOD_VOUCHER: &str = "노원 행복나눔 푸드마켓 이용권";

/// Who the casework is done by: the 동주민센터 worker, the welfare centre's worker, an official.
pub struct Workers<'a> {
    pub dong: &'a str,
    pub centre: &'a str,
    pub official: &'a str,
}

/// What was made, for the demo's summary.
pub struct Seeded {
    pub cases: usize,
    pub visits: usize,
    /// Directory services it wrote (the food voucher, then the 권역's pool).
    pub services: usize,
}

async fn org_of(state: &AppState, user: &str) -> Result<String, sqlx::Error> {
    let sql = "SELECT organization_id FROM users WHERE id = $1";
    let org: Option<String> = db_run!(&state.db, p => sqlx::query_scalar(sql).bind(user).fetch_one(p).await)?;
    Ok(org.unwrap_or_default())
}

async fn food_voucher(state: &AppState) -> Result<String, sqlx::Error> {
    let service = NewService {
        source_id: Some("demo:food-voucher".into()),
        organization: "노원구청".into(),
        name: FOOD_VOUCHER.into(),
        description: "긴급히 먹을거리가 필요한 가구가 푸드마켓에서 한 달에 다섯 가지 식품을 고를 수 있는 이용권".into(),
        status: "active".into(),
        terms: vec!["theme:living".into(), "support_type:voucher".into(), "provider:local".into()],
        ..NewService::default()
    };
    crate::directory::store::upsert_service(&state.db, state.municipality(), &service).await
}

pub async fn seed(state: &AppState, who: &Workers<'_>) -> Result<Seeded, AppError> {
    let (db, m) = (&state.db, state.municipality());
    let (dong, centre) = (org_of(state, who.dong).await?, org_of(state, who.centre).await?);
    for org in [&dong, &centre] {
        admin_store::set_consortium(db, m, org, true).await?;
    }
    let voucher = food_voucher(state).await?;
    let sql = "SELECT h.id, (SELECT r.id FROM residents r WHERE r.household_id = h.id AND r.relation = 'head' LIMIT 1) \
               FROM households h WHERE h.municipality_code = $1 AND h.adm_cd2 = $2 ORDER BY h.id LIMIT 8";
    let homes: Vec<(String, Option<String>)> =
        db_run!(db, p => sqlx::query_as(sql).bind(m).bind(AREA).fetch_all(p).await)?;
    let today = seoul_today();
    let year = today + Days::new(365);
    let mut seeded = Seeded { cases: 0, visits: 0, services: 1 };
    for (i, (home, head)) in homes.iter().enumerate() {
        let Some(head) = head else { continue };
        for purpose in ["information_sharing", "case_management"] {
            let c = NewConsent { resident_id: head, purpose, agency_id: None, given_on: today, expires_on: year };
            consent::record(db, m, &c, who.dong).await.map_err(|e| AppError::Internal(e.to_string()))?;
        }
        let (risk, flags, notes) = match i % 4 {
            0 => (3, vec!["food", "isolation"], "냉장고가 비어 있음, 이웃과 왕래 없음"),
            1 => (2, vec!["arrears"], "관리비 3개월 체납 안내문"),
            2 => (1, vec!["health"], "무릎 통증으로 외출 어려움"),
            _ => (0, vec![], "안부 확인, 특이사항 없음"),
        };
        let visit = outreach::schedule(db, m, home, who.dong, &dong, today).await?;
        let task = (risk >= 2).then(|| ("긴급 지원 가능 여부 확인".to_string(), today + Days::new(3)));
        let record = VisitRecord {
            made: true,
            notes: notes.into(),
            risk_level: risk,
            flags: flags.into_iter().map(String::from).collect(),
            task,
        };
        outreach::record(db, m, &visit, who.dong, &record).await?;
        seeded.visits += 1;
        if i < 4 {
            let case = cases::open(db, m, home, &dong, who.dong, notes).await?;
            let need = Assessment {
                domain: if i % 2 == 0 { "income".into() } else { "housing".into() },
                level: 3 - (i as i32 % 3),
                note: notes.into(),
            };
            cases::assess(db, &case, &dong, who.dong, &need).await?;
            let plan = PlanItem {
                domain: need.domain.clone(),
                goal: "긴급복지 생계지원 신청".into(),
                due_on: today + Days::new(14),
            };
            cases::add_plan_item(db, &case, &dong, who.dong, &plan).await?;
            seeded.cases += 1;
        }
        if i == 1 || i == 2 {
            let r = NewReferral {
                household_id: home,
                from_agency: &dong,
                to_agency: &centre,
                domain: "care",
                need: "밑반찬 배달과 안부 확인",
            };
            let id = referrals::send(db, m, &r, who.dong).await.map_err(|e| AppError::Internal(e.to_string()))?;
            if i == 1 {
                referrals::step(db, &id, &centre, Step::Accept, "")
                    .await
                    .map_err(|e| AppError::Internal(e.to_string()))?;
            }
        }
    }
    if let Some((home, _)) = homes.first() {
        let link = |reason: &str| NewLink {
            household_id: home.clone(),
            service_id: voucher.clone(),
            starts_on: today,
            ends_on: today + Days::new(60),
            amount_krw: None,
            in_kind: "식품 5종/월".into(),
            reason: reason.into(),
        };
        ledger::save(db, m, &link(""), &centre, who.centre).await.map_err(|e| AppError::Internal(e.to_string()))?;
        // The 동주민센터 is warned and does not go ahead: a duplicate prevented.
        let _ = ledger::save(db, m, &link(""), &dong, who.dong).await;
    }
    for offset in [1u64, 2, 4] {
        if let Some((home, _)) = homes.get(offset as usize + 3) {
            outreach::schedule(db, m, home, who.dong, &dong, today + Days::new(offset)).await?;
        }
    }
    sharing(state, who).await?;
    seeded.services += 1;
    Ok(seeded)
}

async fn sharing(state: &AppState, who: &Workers<'_>) -> Result<(), AppError> {
    let (db, m) = (&state.db, state.municipality());
    let areas: Vec<String> =
        state.areas.all().iter().filter(|a| a.name.starts_with("상계")).map(|a| a.adm_cd2.clone()).collect();
    let region = pools::create_region(db, m, "상계권역", &areas).await?;
    for (name, unit, quantity, donor) in
        [("쌀", "kg", 40, "상계동 새마을금고"), ("라면", "상자", 12, "주민 나눔"), ("연탄", "장", 300, "노원 연탄은행")]
    {
        pools::add_item(db, &region, &NewItem { name, unit, quantity, donor, campaign_id: None }, who.dong).await?;
    }
    let today = seoul_today();
    let campaign = pools::create_campaign(
        db,
        &region,
        "겨울나기 이불 나눔",
        "홀몸 어르신 댁에 겨울 이불 50채",
        (today, today + Days::new(45)),
        who.official,
    )
    .await?;
    for (donor, item, unit, quantity) in [("상계1동 주민자치회", "이불", "채", 10), ("김○○ 님", "전기장판", "개", 2)]
    {
        let p = NewPledge { donor, donor_user: None, item, unit, quantity };
        pools::pledge(db, m, &campaign, &p, today).await?;
    }
    if let Some(first) = pools::pledges(db, &campaign).await?.last() {
        pools::receive(db, &first.id, who.dong).await?;
    }
    let found = NewResource {
        adm_cd2: AREA,
        visit_id: None,
        name: "상계 행복 국숫집",
        kind: "meal",
        description: "매주 수요일 점심, 홀몸 어르신 열 분께 국수 나눔",
        contact: "02-930-0000",
    };
    resources::propose(db, m, &found, who.dong).await?;
    Ok(())
}
