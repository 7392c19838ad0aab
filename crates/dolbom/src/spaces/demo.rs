//! The demo's community spaces: 주민센터 meeting rooms, 공동육아나눔터 and halls in several 행정동, with real-looking
//! rules (one needs approval and is managed by the demo provider's organization; one charges a fee).

use chrono::Datelike;

use super::rules::{Request, Rules, WhoMayBook};
use super::store::{self, BookingError, HoldRequest, NewSpace};
use crate::areas::Areas;
use crate::auth::Role;
use crate::db::Db;
use crate::places::hours::{HOLIDAY, Span, WeeklyHours};

/// A demo space: name, kind, 행정동 name, capacity, equipment, accessibility, needs approval, fee per hour, managed
/// by the provider's organization.
type DemoSpace = (&'static str, &'static str, &'static str, i32, &'static str, &'static str, bool, i64, bool);

const SPACES: [DemoSpace; 8] = [
    (
        "상계1동 주민센터 다목적실",
        "community_room",
        "상계1동",
        20,
        "빔프로젝터, 화이트보드, 의자 20",
        "엘리베이터, 장애인 화장실",
        false,
        0,
        false,
    ),
    (
        "상계1동 공동육아나눔터",
        "co_parenting",
        "상계1동",
        12,
        "놀이매트, 그림책 300권, 기저귀 교환대",
        "유모차 보관, 경사로",
        true,
        0,
        true,
    ),
    ("상계2동 주민센터 소회의실", "community_room", "상계2동", 8, "화이트보드", "엘리베이터", false, 0, false),
    (
        "공릉1동 공동육아나눔터",
        "co_parenting",
        "공릉1동",
        10,
        "놀이매트, 장난감 도서관",
        "1층, 경사로",
        false,
        0,
        false,
    ),
    (
        "노원구민회관 소강당",
        "hall",
        "상계6·7동",
        80,
        "음향 장비, 무대, 의자 80",
        "휠체어석 4, 엘리베이터",
        false,
        20_000,
        false,
    ),
    ("중계본동 주민센터 공부방", "study", "중계본동", 16, "책상 16, 와이파이", "엘리베이터", false, 0, false),
    ("월계1동 주민센터 회의실", "community_room", "월계1동", 15, "빔프로젝터", "경사로", false, 0, false),
    ("하계1동 공동육아나눔터", "co_parenting", "하계1동", 10, "놀이매트, 그림책", "1층", false, 0, false),
];

fn hours(weekday: (u16, u16), saturday: Option<(u16, u16)>) -> WeeklyHours {
    let mut days = [None; 8];
    for d in days.iter_mut().take(5) {
        *d = Span::new(weekday.0 * 60, weekday.1 * 60).ok();
    }
    days[5] = saturday.and_then(|(o, c)| Span::new(o * 60, c * 60).ok());
    days[HOLIDAY] = None;
    WeeklyHours(days)
}

/// Seeds the spaces; `provider_org` manages the one that needs approval. Returns how many.
pub async fn seed(
    db: &Db,
    municipality: &str,
    areas: &Areas,
    provider_org: Option<&str>,
) -> Result<usize, sqlx::Error> {
    let mut made = 0;
    for (name, kind, area, capacity, equipment, accessibility, approval, fee, managed) in SPACES {
        let Some(a) = areas.all().iter().find(|a| a.name == area) else { continue };
        let (lat, lon) = areas.inner_point(&a.adm_cd2).unwrap_or_else(|| areas.center());
        let saturday = if kind == "study" { None } else { Some((9, 18)) };
        let s = NewSpace {
            organization_id: if managed { provider_org } else { None },
            name,
            kind,
            adm_cd2: &a.adm_cd2,
            address: &format!("{} {}", a.full_name, name),
            lat,
            lon,
            capacity,
            equipment,
            accessibility,
            description: "",
            fee_exempt: if fee > 0 { "basic_livelihood,disability,many_children" } else { "" },
            rules: Rules {
                slot_minutes: 60,
                max_booking_minutes: if kind == "hall" { 240 } else { 180 },
                max_week_minutes: 360,
                who_may_book: WhoMayBook::Residents,
                needs_approval: approval,
                fee_krw_per_hour: fee,
                cancel_hours: 24,
            },
        };
        store::create(db, municipality, &s, &hours((9, 22), saturday)).await?;
        made += 1;
    }
    Ok(made)
}

/// The demo resident's confirmed booking of a free room, on the first weekday at least two days on (the same each
/// run of a day), so 예약 내역 shows one and its page, calendar file and cancellation can be tried.
pub async fn seed_booking(db: &Db, municipality: &str, resident: &str) -> Result<(), BookingError> {
    let spaces = store::all(db, municipality).await?;
    let Some(room) = spaces.iter().find(|s| s.rules.fee_krw_per_hour == 0 && !s.rules.needs_approval) else {
        return Ok(());
    };
    let now = crate::db::time::seoul_local(crate::db::time::now_millis());
    let mut day = now.date() + chrono::Duration::days(2);
    while day.weekday().number_from_monday() > 5 {
        day += chrono::Duration::days(1);
    }
    let request = HoldRequest {
        request: Request { day, start: 10 * 60, end: 12 * 60 },
        purpose: "아이들 그림책 모임",
        attendees: 6,
        group_name: "",
        exempt_reason: "",
        request_key: "demo-booking",
    };
    let held = store::hold(db, municipality, room, resident, Role::Resident, &request, now).await?;
    store::confirm(db, &held.id, resident, store::millis(now)).await?;
    Ok(())
}
