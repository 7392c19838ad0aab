//! 정부24 (행정안전부 공공서비스) records, e.g. the 노원구 services. Column mapping (source → HSDS):
//!
//! | 정부24 | dolbom / HSDS |
//! | --- | --- |
//! | 서비스ID | `service.source_id` (`gov24:…`) |
//! | 서비스명, 서비스목적요약, 상세조회URL | `name`, `description`, `url` |
//! | 소관기관명 (+ 부서명) | `organization.name` (+ `description`) |
//! | 지원대상 + 선정기준 | `eligibility_description` |
//! | 지원내용 | appended to `description` |
//! | 신청방법, 신청기한 | `application_process` |
//! | 전화문의 | `phone` rows |
//! | 지원유형, 서비스분야 | terms of 지원형태, 관심주제 |
//! | 소관기관유형 | 제공주체: 중앙행정기관 → central, 시군구/시도 → local, else private |

use std::collections::HashMap;

use super::{RowError, some};
use crate::directory::model::NewService;
use crate::directory::taxonomy::{PROVIDER, SUPPORT_TYPE, THEME, term_id};

fn provider(agency_type: &str) -> &'static str {
    match agency_type.trim() {
        "중앙행정기관" => "central",
        "시군구" | "시도" | "광역자치단체" | "기초자치단체" => "local",
        _ => "private",
    }
}

fn support_type(kind: &str) -> Option<&'static str> {
    Some(match kind.trim() {
        "현금" | "현금(감면)" => "cash",
        "현물" => "in_kind",
        "서비스" | "서비스(일자리)" => "service",
        "이용권" => "voucher",
        "융자" => "loan",
        "감면" => "reduction",
        "기타" => "other",
        _ => return None,
    })
}

fn themes(field: &str) -> Vec<&'static str> {
    match field.trim() {
        "고용·창업" => vec!["jobs"],
        "보육·교육" => vec!["childcare", "education"],
        "보건·의료" => vec!["physical_health"],
        "생활안정" => vec!["living"],
        "주거·자립" => vec!["housing"],
        "보호·돌봄" => vec!["care"],
        "문화·환경" => vec!["culture"],
        "행정·안전" => vec!["safety"],
        "임신·출산" => vec!["pregnancy"],
        _ => vec![],
    }
}

pub fn parse(csv_text: &str) -> Vec<Result<NewService, RowError>> {
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let mut rows = Vec::new();
    for (index, record) in reader.deserialize::<HashMap<String, String>>().enumerate() {
        let line = index as u64 + 2;
        let Ok(record) = record else {
            rows.push(Err(RowError { line, message: "unreadable row".into() }));
            continue;
        };
        let get = |k: &str| record.get(k).map(String::as_str).unwrap_or_default();
        let (id, name) = (get("서비스ID").trim(), get("서비스명").trim());
        if id.is_empty() || name.is_empty() {
            rows.push(Err(RowError { line, message: "서비스ID and 서비스명 are required".into() }));
            continue;
        }
        let mut terms = vec![term_id(PROVIDER, provider(get("소관기관유형")))];
        terms.extend(support_type(get("지원유형")).map(|c| term_id(SUPPORT_TYPE, c)));
        terms.extend(themes(get("서비스분야")).into_iter().map(|c| term_id(THEME, c)));
        let description = [get("서비스목적요약").trim(), get("지원내용").trim()]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join("\n\n");
        let eligibility = [get("지원대상").trim(), get("선정기준").trim()]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join("\n\n");
        let how = [
            get("신청방법").replace("||", ", "),
            some(get("신청기한")).map(|d| format!("신청기한: {d}")).unwrap_or_default(),
        ];
        rows.push(Ok(NewService {
            source_id: Some(format!("gov24:{id}")),
            organization: some(get("소관기관명")).unwrap_or_else(|| "미상".into()),
            organization_description: get("부서명").trim().to_string(),
            name: name.to_string(),
            description,
            url: some(get("상세조회URL")),
            status: "active".into(),
            application_process: some(&how.iter().filter(|s| !s.is_empty()).cloned().collect::<Vec<_>>().join(" · ")),
            eligibility_description: some(&eligibility),
            terms,
            phones: super::phones::parse(get("전화문의")),
            ..NewService::default()
        }));
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nowon_services_are_local_with_their_details() {
        let rows = parse(include_str!("../../../data/welfare/nowon-local.csv"));
        assert_eq!(rows.len(), 2);
        let youth = rows.iter().flatten().find(|s| s.name == "청년일경험 지원").unwrap();
        assert_eq!(youth.organization, "서울특별시 노원구");
        assert!(youth.terms.contains(&"provider:local".to_string()));
        assert!(youth.terms.contains(&"theme:jobs".to_string()));
        assert!(youth.eligibility_description.as_deref().unwrap().contains("18세~39세"));
        assert_eq!(youth.phones[0].number, "02-2116-7123");
    }
}
