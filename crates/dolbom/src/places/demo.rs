//! The demo's places: the district's real 어린이집 (public list, through the importer) and 아이휴센터, plus
//! synthetic 다함께돌봄센터, 지역아동센터 and community groups placed inside the real 행정동s. No public list of the
//! last three was found, so they are generated from a seed and marked `demo:` in their source id; pages say so.

use geo::{Contains, InteriorPoint, Point};
use rand::Rng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;

use super::hours::{HOLIDAY, Span, WeeklyHours};
use super::import::{self, FacilityReport};
use super::model::{Facility, Group};
use super::{group_store, store};
use crate::areas::{Area, Areas};
use crate::db::Db;

/// The demo group leader's organization (see `demo::DEMO_ACCOUNTS`).
pub const LEADER_GROUP: &str = "공릉동 공동육아 부모모임";

const DAYCARE_NOWON: &str = include_str!("../../data/childcare/daycare-nowon.csv");
const DAYCARE_SEODAEMUN: &str = include_str!("../../data/childcare/daycare-seodaemun.csv");
const IHUE_NOWON: &str = include_str!("../../data/childcare/ihue-nowon.csv");

/// A source id marks a place the demo made up.
pub fn is_synthetic(source_id: Option<&str>) -> bool {
    source_id.is_some_and(|s| s.starts_with("demo:"))
}

/// A uniformly random point inside the 행정동 (rejection sampling in its bounding box).
fn point_in(area: &Area, rng: &mut ChaCha8Rng) -> (f64, f64) {
    if let Some(b) = area.bbox {
        for _ in 0..1_000 {
            let p = Point::new(rng.gen_range(b.min().x..b.max().x), rng.gen_range(b.min().y..b.max().y));
            if area.shape.contains(&p) {
                return (p.y(), p.x());
            }
        }
    }
    area.shape.interior_point().map(|p| (p.y(), p.x())).unwrap_or_default()
}

fn span(opens: &str, closes: &str) -> Option<Span> {
    Span::parse(&format!("{opens}-{closes}")).ok()
}

/// 다함께돌봄센터 (초등 6–12세, 정원 about 20–30) and 지역아동센터 (6–17세, 정원 up to 29): weekday afternoons and
/// evenings, some on Saturdays, a few on holidays.
fn care_centre(kind: &str, area: &Area, rng: &mut ChaCha8Rng) -> Facility {
    let (lat, lon) = point_in(area, rng);
    let community = kind == "community_care";
    let capacity = if community { rng.gen_range(18..=30) } else { rng.gen_range(20..=29) };
    let mut hours = WeeklyHours::default();
    let weekday = if community { span("08:00", "20:00") } else { span("12:00", "19:00") };
    for day in 0..5 {
        hours.0[day] = weekday;
    }
    if rng.gen_bool(0.4) {
        hours.0[5] = span("09:00", "18:00");
    }
    if rng.gen_bool(0.15) {
        hours.0[HOLIDAY] = span("09:00", "18:00");
    }
    let mut languages = vec!["ko".to_string()];
    if rng.gen_bool(0.25) {
        languages.push(["vi", "zh", "en"].choose(rng).unwrap_or(&"en").to_string());
    }
    let suffix = if community { "다함께돌봄센터" } else { "지역아동센터" };
    let programmes: &[&str] = if community {
        &["숙제 지도", "독서·놀이", "간식", "긴급·일시 돌봄"]
    } else {
        &["학습 지도", "급식", "문화 체험", "상담"]
    };
    Facility {
        source_id: Some(format!("demo:{kind}:{}", area.adm_cd2)),
        kind: kind.into(),
        name: format!("{} {suffix}", area.name),
        operator: Some(if community { "노원구 (위탁 운영)" } else { "사회복지법인" }.into()),
        address: format!("{} (데모 위치)", area.full_name),
        latitude: lat,
        longitude: lon,
        adm_cd2: area.adm_cd2.clone(),
        min_age_months: 72,
        max_age_months: if community { 12 * 12 + 11 } else { 17 * 12 + 11 },
        capacity: Some(capacity),
        enrolled: Some(rng.gen_range(capacity - 6..=capacity)),
        programmes: programmes.iter().map(|p| p.to_string()).collect(),
        languages,
        hours,
        hours_confirmed: true,
        ..Facility::default()
    }
}

const GROUPS: [(&str, &str, &str, &str); 5] = [
    ("parents", "부모 커뮤니티", "육아 정보 나눔, 아이와 함께하는 나들이", "매월 둘째 토요일 10:00"),
    ("co_parenting", "공동육아 모임", "품앗이 돌봄, 놀이 활동, 반찬 나눔", "매주 수요일 10:30"),
    ("youth_cafe", "청소년 휴카페 모임", "보드게임, 진로 이야기, 자원봉사", "매주 금요일 17:00"),
    ("multicultural", "다문화 가족 마을공동체", "한국어·모국어 이중언어 놀이, 요리 모임", "매월 넷째 일요일 14:00"),
    ("self_help", "주민 자조모임", "어르신 안부 살피기, 마을 텃밭", "매주 화요일 14:00"),
];

fn group(area: &Area, (kind, label, activities, time): (&str, &str, &str, &str), rng: &mut ChaCha8Rng) -> Group {
    let (latitude, longitude) = point_in(area, rng);
    Group {
        source_id: Some(format!("demo:{kind}:{}", area.adm_cd2)),
        kind: kind.into(),
        name: format!("{} {label}", area.name),
        adm_cd2: area.adm_cd2.clone(),
        activities: activities.into(),
        meeting_place: format!("{} 주민센터 회의실 (데모)", area.name),
        latitude,
        longitude,
        meeting_time: time.into(),
        member_count: rng.gen_range(6..=40),
        ..Group::default()
    }
}

/// 노원구's 아이휴센터 (real list, no capacity or hours in it: both left unknown).
fn ihue(areas: &Areas) -> Vec<Facility> {
    let mut reader = csv::Reader::from_reader(IHUE_NOWON.as_bytes());
    reader
        .records()
        .filter_map(Result::ok)
        .filter_map(|r| {
            let (lat, lon) = (r.get(6)?.parse::<f64>().ok()?, r.get(7)?.parse::<f64>().ok()?);
            Some(Facility {
                source_id: Some(format!("ihue:{}", r.get(1)?)),
                kind: "elementary_care".into(),
                name: format!("아이휴센터 {}", r.get(1)?),
                operator: Some("노원구".into()),
                address: r.get(4)?.to_string(),
                latitude: lat,
                longitude: lon,
                adm_cd2: areas.locate(lat, lon)?.adm_cd2.clone(),
                min_age_months: 72,
                max_age_months: 12 * 12 + 11,
                languages: vec!["ko".into()],
                phone: Some(r.get(3)?.to_string()),
                ..Facility::default()
            })
        })
        .collect()
}

/// What the demo seeded: facilities (with the import's report) and groups.
#[derive(Debug, Default)]
pub struct Seeded {
    pub facilities: FacilityReport,
    pub groups: usize,
}

/// Seeds the places of the demo; `organizations` maps the demo's provider and group-leader organization names to
/// ids, so their accounts can edit their own place.
pub async fn seed(
    db: &Db,
    municipality: &str,
    areas: &Areas,
    rng: &mut ChaCha8Rng,
    organizations: &[(String, String)],
) -> Result<Seeded, sqlx::Error> {
    let daycare = match municipality {
        "11350" => DAYCARE_NOWON,
        "11410" => DAYCARE_SEODAEMUN,
        _ => "",
    };
    let mut report =
        import::write(db, municipality, import::parse(daycare, areas), &indicatif::ProgressBar::hidden()).await?;
    let org_of = |name: &str| organizations.iter().find(|(n, _)| n == name).map(|(_, id)| id.clone());
    let mut facilities = if municipality == "11350" { ihue(areas) } else { Vec::new() };
    for area in areas.all() {
        for kind in ["community_care", "local_children"] {
            let mut f = care_centre(kind, area, rng);
            f.organization_id = org_of(&f.name);
            facilities.push(f);
        }
    }
    for f in &facilities {
        store::upsert(db, municipality, f).await?;
        report.imported += 1;
    }
    let mut groups = 0;
    for (i, area) in areas.all().iter().enumerate() {
        for template in [GROUPS[i % GROUPS.len()], GROUPS[(i + 2) % GROUPS.len()]] {
            group_store::upsert(db, municipality, &group(area, template, rng)).await?;
            groups += 1;
        }
    }
    // The demo group leader's own group, which their account answers join requests for.
    if let (Some(area), Some(org)) = (areas.all().iter().find(|a| a.name == "공릉1동"), org_of(LEADER_GROUP)) {
        let mut g = group(area, GROUPS[1], rng);
        g.source_id = Some("demo:leader-group".into());
        g.name = LEADER_GROUP.into();
        g.organization_id = Some(org);
        group_store::upsert(db, municipality, &g).await?;
        groups += 1;
    }
    Ok(Seeded { facilities: report, groups })
}
