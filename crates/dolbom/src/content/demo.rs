//! The demo's hub content: a policy page for each topic, a column, learning material with a PDF, useful sites,
//! stories from two years, and a 자료실 settlement form as a real XLSX, all through the same sanitiser as an
//! official's page.

use super::attachment::Checked;
use super::markdown::to_safe_html;
use super::store::{self, PageText};
use crate::db::Db;
use crate::web::export::{Cell, Table, xlsx_bytes};

/// (section, topic, year, url, title, Markdown)
type DemoPage = (&'static str, &'static str, Option<i32>, Option<&'static str>, &'static str, &'static str);

const PAGES: [DemoPage; 11] = [
    (
        "policy",
        "women_family",
        None,
        None,
        "한부모가족 아동양육비 안내",
        "## 누가 받나요\n\n기준 중위소득 63% 이하 한부모가족의 **만 18세 미만** 자녀.\n\n## 얼마인가요\n\n| 구분 | 월 금액 |\n|---|---|\n| 아동양육비 | 23만원 |\n| 추가 아동양육비 (만 5세 이하) | 5만원 |\n\n[복지로에서 신청](https://www.bokjiro.go.kr)",
    ),
    (
        "policy",
        "birth_childcare",
        None,
        None,
        "첫만남이용권과 부모급여",
        "출생신고와 함께 **첫만남이용권 200만원**(둘째부터 300만원)을 신청할 수 있습니다.\n\n- 부모급여: 0세 월 100만원, 1세 월 50만원\n- 어린이집을 이용하면 보육료 바우처로 바뀝니다\n\n동 주민센터나 [정부24](https://www.gov.kr)에서 신청합니다.",
    ),
    (
        "policy",
        "child_youth",
        None,
        None,
        "다함께돌봄센터 이용 안내",
        "초등학생 방과 후 돌봄을 마을에서 합니다.\n\n1. 가까운 센터를 [돌봄 지도](/places)에서 찾습니다\n2. 빈자리가 있으면 바로, 없으면 대기 신청을 합니다\n\n이용료는 월 10만원 이내이며 간식비가 따로 들 수 있습니다.",
    ),
    (
        "policy",
        "multicultural",
        None,
        None,
        "다문화가족 방문교육 서비스",
        "한국어 교육, 부모교육, 자녀생활 서비스를 집으로 찾아가 드립니다.\n\n*베트남어·중국어 통역*을 함께 받을 수 있습니다. 가족센터(☎ 1577-1366)에 문의하세요.",
    ),
    (
        "column",
        "",
        None,
        None,
        "아이의 '싫어'를 대하는 부모의 자세",
        "두 돌 무렵의 '싫어'는 반항이 아니라 **스스로 하고 싶다**는 신호입니다.\n\n> 선택지를 두 개 주세요. \"파란 옷 입을까, 노란 옷 입을까?\"\n\n아이는 고르는 경험으로 자기 조절을 배웁니다.",
    ),
    (
        "education",
        "",
        None,
        None,
        "영유아 안전교육: 집 안 사고 예방",
        "집 안 사고의 절반은 거실과 욕실에서 일어납니다. 첨부한 점검표로 우리 집을 살펴보세요.\n\n- 콘센트 덮개\n- 가구 모서리 보호대\n- 세제와 약은 잠금장치가 있는 높은 곳에",
    ),
    (
        "link",
        "",
        None,
        Some("https://www.bokjiro.go.kr"),
        "복지로",
        "내가 받을 수 있는 복지서비스를 찾아보고 온라인으로 신청합니다.",
    ),
    ("link", "", None, Some("https://www.childcare.go.kr"), "아이사랑", "어린이집 찾기, 입소대기 신청, 보육료 안내."),
    (
        "story",
        "co_parenting",
        Some(2025),
        None,
        "아빠들이 만든 토요 놀이터",
        "주말마다 아이들과 갈 곳이 없던 아빠 다섯 명이 공원에 모였습니다. 일 년이 지나 스무 가족이 함께합니다.",
    ),
    (
        "story",
        "intergenerational",
        Some(2026),
        None,
        "할머니와 손주가 함께 읽는 그림책",
        "조손가정 여덟 가구가 격주 토요일에 모여 그림책을 읽고 만들기를 했습니다. 할머니들이 먼저 '다음엔 언제 해요?' 하고 묻습니다.",
    ),
    (
        "library",
        "",
        None,
        None,
        "보조금 정산 서식 (엑셀)",
        "보조금 사업이 끝나면 이 서식으로 예산 항목별 집행액을 정리해 제출합니다. 영수증은 항목별로 모아 주세요.",
    ),
];

/// A one-page PDF, the learning material's checklist, built with its byte offsets right.
fn checklist_pdf() -> Vec<u8> {
    let text = "BT /F1 18 Tf 72 760 Td (Home safety checklist for toddlers) Tj ET";
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_string(),
        format!("<< /Length {} >>\nstream\n{text}\nendstream", text.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
    ];
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
    }
    let xref = pdf.len();
    pdf.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for at in offsets {
        pdf.extend_from_slice(format!("{at:010} 00000 n \n").as_bytes());
    }
    let trailer = format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1);
    pdf.extend_from_slice(trailer.as_bytes());
    pdf
}

/// The settlement form grant holders fill in, as a workbook.
fn settlement_xlsx() -> Vec<u8> {
    let headers = ["예산 항목", "예산액(원)", "집행액(원)", "잔액(원)", "증빙 수", "비고"];
    let row = |name: &str| {
        let mut cells = vec![Cell::Text(name.into())];
        cells.resize(headers.len(), Cell::Text(String::new()));
        cells
    };
    let table = Table {
        headers: headers.iter().map(|h| h.to_string()).collect(),
        rows: vec![row("프로그램 재료비"), row("강사비"), row("간식비"), row("합계")],
    };
    xlsx_bytes(&table, "정산서").unwrap_or_default()
}

/// Seeds the pages; their number.
pub async fn seed(
    db: &Db,
    municipality: &str,
    official: &str,
    story_group: Option<&str>,
) -> Result<usize, sqlx::Error> {
    let (pdf, xlsx) = (checklist_pdf(), settlement_xlsx());
    for (section, topic, year, url, title, markdown) in PAGES {
        let html = to_safe_html(markdown);
        let files: Vec<Checked> = match section {
            "education" => {
                vec![Checked { file_name: "안전점검표.pdf".into(), content_type: "application/pdf", bytes: &pdf }]
            }
            "library" if !xlsx.is_empty() => vec![Checked {
                file_name: "보조금_정산서식.xlsx".into(),
                content_type: super::attachment::kind("a.xlsx", &xlsx).unwrap_or_default(),
                bytes: &xlsx,
            }],
            _ => Vec::new(),
        };
        let group_id = if section == "story" { story_group } else { None };
        let p = PageText { section, topic, year, group_id, url, title, body_md: markdown, body_html: &html };
        store::create(db, municipality, official, &p, &files).await?;
    }
    Ok(PAGES.len())
}
