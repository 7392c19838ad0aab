//! The demo's contests and consulting: a contest from earlier in the year with three groups' entries scored and
//! the results published, one open now for the demo leader to enter, and the leader's consulting questions, one
//! answered and one waiting.

use chrono::{Duration, NaiveDate};
use grants::review::Criterion;

use super::contest_store::{self, ContestError, NewContest};
use crate::auth::admin_store;
use crate::db::Db;
use crate::subsidies::consulting_store;

fn rubric() -> Vec<Criterion> {
    let c = |code: &str, name: &str, max_points| Criterion { code: code.into(), name: name.into(), max_points };
    vec![c("impact", "활동의 효과", 40), c("together", "주민 참여", 30), c("spread", "다른 마을로 퍼질 수 있는가", 30)]
}

/// The demo's people: the official who runs things, and the leader with the group they lead.
pub struct People<'a> {
    pub official: &'a str,
    pub leader: &'a str,
    pub leader_group: &'a str,
}

/// Seeds both contests and the consulting questions; the number of contests.
pub async fn seed(db: &Db, municipality: &str, who: &People<'_>, today: NaiveDate) -> Result<usize, ContestError> {
    let rubric = rubric();
    let earlier = NewContest {
        name: "상반기 돌봄 공동체 우수사례 경연대회",
        description: "한 해 동안 마을에서 함께 아이를 돌본 이야기를 나눕니다. 우수 모임에는 활동비를 더 드립니다.",
        opens_on: today - Duration::days(150),
        closes_on: today - Duration::days(120),
        rubric: &rubric,
    };
    let id = contest_store::create(db, municipality, who.official, &earlier).await?;
    let contest = contest_store::get(db, municipality, &id).await?.ok_or(ContestError::NoEntries)?;
    let mut groups = vec![who.leader_group.to_string()];
    for name in ["상계동 다문화 엄마 모임", "월계동 할머니 손주 모임"] {
        if let Some(id) = admin_store::create_organization(db, municipality, name, "community_group").await? {
            groups.push(id);
        }
    }
    let entries = [
        ("아빠들의 토요 놀이터", "아빠 다섯 명으로 시작해 스무 가족이 된 주말 공원 놀이 모임입니다.", [34, 27, 25]),
        (
            "엄마 나라 말로 읽는 그림책",
            "베트남어·중국어·한국어로 번갈아 읽는 그림책 모임으로 이웃 아이들도 함께합니다.",
            [37, 26, 28],
        ),
        ("할머니 요리 교실", "할머니가 손주와 이웃 아이들에게 제철 반찬 만드는 법을 가르칩니다.", [31, 28, 22]),
    ];
    for (group, (title, body, points)) in groups.iter().zip(entries) {
        let entry = contest_store::enter(db, &contest, contest.opens_on, group, who.leader, title, body).await?;
        contest_store::review(db, &contest, &entry, who.official, &points, "").await?;
    }
    contest_store::publish(db, &contest).await?;
    let open = NewContest {
        name: "하반기 우수사례 경연대회",
        opens_on: today - Duration::days(10),
        closes_on: today + Duration::days(30),
        ..earlier
    };
    contest_store::create(db, municipality, who.official, &open).await?;
    consult(db, municipality, who).await?;
    Ok(2)
}

async fn consult(db: &Db, municipality: &str, who: &People<'_>) -> Result<(), sqlx::Error> {
    let asked = "강사비를 간식비로 옮겨 쓰려면 사업계획 변경을 먼저 해야 하나요?";
    let id = consulting_store::ask(db, who.leader_group, who.leader, "plan_change", asked).await?;
    let answer = "네. 예산 항목 사이에 옮겨 쓰려면 먼저 사업계획 변경을 신청해 승인을 받아야 합니다. \
                  승인 전에 쓴 금액은 정산에서 인정되지 않습니다.";
    consulting_store::answer(db, municipality, &id, who.official, answer).await?;
    let waiting = "영수증을 잃어버린 간식비는 어떻게 정산하나요?";
    consulting_store::ask(db, who.leader_group, who.leader, "accounting", waiting).await?;
    Ok(())
}

/// The leader's group board: a news post and a best practice, with a comment, so the board has posts to read.
pub async fn seed_board(db: &Db, group_id: &str, leader: &str) -> Result<(), sqlx::Error> {
    let posts = [
        (
            "news",
            "12월 공동육아 나눔 모임 안내",
            "12월 둘째 주 토요일 오전 10시, 공릉1동 공동육아나눔터에서 모입니다.\n아이 간식은 모임에서 준비합니다.",
        ),
        (
            "practice",
            "할머니와 함께하는 그림책 읽기",
            "손주를 돌보시는 할머니 세 분이 돌아가며 그림책을 읽어 주셨습니다. 아이들이 가장 좋아한 시간이었습니다.",
        ),
    ];
    for (kind, title, body) in posts {
        let post = super::board_store::NewPost { group_id, author_id: leader, kind, title, body };
        let id = super::board_store::create(db, &post, &[]).await?;
        super::board_store::comment(db, &id, leader, "궁금한 점은 댓글로 남겨 주세요.").await?;
    }
    Ok(())
}
