//! The demo's subsidy programmes: one open now, for the demo leader to apply to, and one from earlier in the year
//! whose grant to the same group is approved, signed, paid in part and partly spent with receipts, so the ledger
//! and the reports have something to show.

use chrono::{Duration, NaiveDate};
use grants::plan::{BudgetLine, Plan};
use grants::review::Criterion;

use super::ledger_store::{self, Spending};
use super::store::{self, NewApplication, NewProgramme, SubsidyError};
use crate::db::Db;

fn rubric() -> Vec<Criterion> {
    let c = |code: &str, name: &str, max_points| Criterion { code: code.into(), name: name.into(), max_points };
    vec![c("need", "사업의 필요성", 30), c("plan", "실행 계획의 구체성", 40), c("budget", "예산의 적정성", 30)]
}

fn line(code: &str, name: &str, amount: i64) -> BudgetLine {
    BudgetLine { code: code.into(), name: name.into(), amount }
}

/// A small PNG standing in for a scanned receipt.
fn receipt_png() -> Vec<u8> {
    let img =
        image::RgbImage::from_fn(
            120,
            60,
            |x, y| if (x + y) % 7 == 0 { [40, 40, 40].into() } else { [250, 250, 245].into() },
        );
    let mut out = std::io::Cursor::new(Vec::new());
    let _ = image::DynamicImage::ImageRgb8(img).write_to(&mut out, image::ImageFormat::Png);
    out.into_inner()
}

/// Seeds both programmes; the earlier one's grant goes to `group`, applied for by its `leader`.
pub async fn seed(
    db: &Db,
    municipality: &str,
    official: &str,
    (group, leader): (&str, &str),
    today: NaiveDate,
) -> Result<usize, SubsidyError> {
    let rubric = rubric();
    let open = NewProgramme {
        name: "돌봄 공동체 씨앗 지원사업",
        description: "처음 모인 공동육아 모임, 조손가정 모임, 다문화 가족 모임의 활동비를 지원합니다.",
        eligibility: "구에서 활동하는 5명 이상의 자조모임 (결성 2년 이내)",
        documents: "사업계획서\n회원 명단\n통장 사본",
        budget_krw: 30_000_000,
        max_grant_krw: 2_000_000,
        opens_on: today - Duration::days(20),
        closes_on: today + Duration::days(40),
        rubric: &rubric,
    };
    store::create_programme(db, municipality, official, &open).await?;
    let earlier = NewProgramme {
        name: "상반기 마을 돌봄 활동 지원",
        opens_on: today - Duration::days(200),
        closes_on: today - Duration::days(170),
        budget_krw: 20_000_000,
        max_grant_krw: 3_000_000,
        ..open
    };
    let id = store::create_programme(db, municipality, official, &earlier).await?;
    let p = store::programme(db, municipality, &id).await?.ok_or(SubsidyError::OutOfOrder)?;
    let plan = Plan {
        lines: vec![
            line("L1", "프로그램 재료비", 1_200_000),
            line("L2", "강사비", 900_000),
            line("L3", "간식비", 400_000),
        ],
    };
    let a = NewApplication {
        group_id: group,
        applicant_id: leader,
        title: "할머니와 함께하는 주말 그림책 놀이",
        summary: "조손가정 8가구가 격주 토요일에 모여 그림책을 읽고 만들기를 합니다.",
        plan: &plan,
    };
    let application = store::apply(db, &p, &a, p.opens_on + Duration::days(3)).await?;
    store::review(db, &p, &application, official, &[25, 34, 26], "구성이 탄탄합니다.").await?;
    store::decide(db, &application, official, Some(2_500_000), "선정").await?;
    store::agree(db, &application, group, leader).await?;
    ledger_store::disburse(db, &application, 1_500_000, p.closes_on + Duration::days(10), official).await?;
    let receipt = receipt_png();
    for (code, amount, days, what) in [
        ("L1", 320_000, 15, "그림책과 만들기 재료"),
        ("L2", 300_000, 16, "그림책 강사 1회"),
        ("L3", 85_000, 16, "간식"),
    ] {
        let s = Spending {
            line_code: code,
            amount,
            spent_on: p.closes_on + Duration::days(days),
            description: what,
            receipt: Some(("image/png", &receipt)),
        };
        ledger_store::spend(db, &application, &s, leader).await?;
    }
    Ok(2)
}
