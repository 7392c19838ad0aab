//! 복지로 central services: the official list (`bokjiro-central.csv`) joined with the API's tags
//! (`bokjiro-central-tags.csv`) by service id. Column mapping (source → HSDS):
//!
//! | 복지로 | dolbom / HSDS |
//! | --- | --- |
//! | 서비스아이디 | `service.source_id` (`bokjiro:WLF…`) |
//! | 서비스명, 서비스요약, 서비스URL | `name`, `description`, `url` |
//! | 소관부처명 (+ 소관조직명) | `organization.name` (+ `description`) |
//! | 대표문의 | `phone` rows (number and the words before it) |
//! | tags: lifeArray, trgterIndvdlArray, intrsThemaArray | terms of 생애주기, 가구상황, 관심주제 |
//! | tags: srvPvsnNm, sprtCycNm | terms of 지원형태, 지원주기 |
//! | tags: onapPsbltYn | `application_process` text |
//! | (all) | 제공주체 `central` |

use std::collections::HashMap;

use super::{RowError, some};
use crate::directory::model::NewService;
use crate::directory::taxonomy::{self, HOUSEHOLD, LIFE_STAGE, PROVIDER, SUPPORT_CYCLE, SUPPORT_TYPE, THEME, term_id};

struct Tags {
    terms: Vec<String>,
    online: bool,
}

fn support_type(name: &str) -> Option<&'static str> {
    Some(match name.trim() {
        "현금지급" => "cash",
        "현물지급" => "in_kind",
        "프로그램/서비스(서비스)" => "service",
        "전자바우처(바우처)" | "실물바우처" => "voucher",
        "현금대여(융자)" | "현물대여" => "loan",
        "감면" => "reduction",
        "시설입소" => "residential",
        "자원봉사" => "volunteering",
        "기타" => "other",
        _ => return None,
    })
}

fn support_cycle(name: &str) -> Option<&'static str> {
    Some(match name.trim() {
        "1회성" => "once",
        "주" => "weekly",
        "월" => "monthly",
        "분기" => "quarterly",
        "반기" => "half_yearly",
        "년" => "yearly",
        "수시" => "as_needed",
        _ => return None,
    })
}

fn listed_terms<'a>(taxonomy: &'a str, field: &'a str) -> impl Iterator<Item = String> + 'a {
    field
        .split(',')
        .filter_map(move |name| taxonomy::code_by_name(taxonomy, name))
        .map(move |code| term_id(taxonomy, code))
}

fn read_tags(tags_csv: &str) -> HashMap<String, Tags> {
    let mut reader = csv::Reader::from_reader(tags_csv.as_bytes());
    let mut out = HashMap::new();
    for record in reader.deserialize::<HashMap<String, String>>().flatten() {
        let get = |k: &str| record.get(k).map(String::as_str).unwrap_or_default();
        let mut terms: Vec<String> = listed_terms(LIFE_STAGE, get("lifeArray"))
            .chain(listed_terms(HOUSEHOLD, get("trgterIndvdlArray")))
            .chain(listed_terms(THEME, get("intrsThemaArray")))
            .collect();
        terms.extend(support_type(get("srvPvsnNm")).map(|c| term_id(SUPPORT_TYPE, c)));
        terms.extend(support_cycle(get("sprtCycNm")).map(|c| term_id(SUPPORT_CYCLE, c)));
        out.insert(get("servId").to_string(), Tags { terms, online: get("onapPsbltYn") == "Y" });
    }
    out
}

/// One service per row of the official list; a row without id or name is reported, not guessed.
pub fn parse(central_csv: &str, tags_csv: &str) -> Vec<Result<NewService, RowError>> {
    let tags = read_tags(tags_csv);
    let mut reader = csv::Reader::from_reader(central_csv.as_bytes());
    let mut rows = Vec::new();
    for (index, record) in reader.deserialize::<HashMap<String, String>>().enumerate() {
        let line = index as u64 + 2;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                rows.push(Err(RowError { line, message: format!("unreadable row: {e}") }));
                continue;
            }
        };
        let get = |k: &str| record.get(k).map(String::as_str).unwrap_or_default();
        let (id, name) = (get("서비스아이디").trim(), get("서비스명").trim());
        if id.is_empty() || name.is_empty() {
            rows.push(Err(RowError { line, message: "서비스아이디 and 서비스명 are required".into() }));
            continue;
        }
        let tag = tags.get(id);
        let mut terms = vec![term_id(PROVIDER, "central")];
        terms.extend(tag.map(|t| t.terms.clone()).unwrap_or_default());
        let online = tag.is_some_and(|t| t.online);
        rows.push(Ok(NewService {
            source_id: Some(format!("bokjiro:{id}")),
            organization: some(get("소관부처명")).unwrap_or_else(|| "미상".into()),
            organization_description: get("소관조직명").trim().to_string(),
            name: name.to_string(),
            description: get("서비스요약").trim().to_string(),
            url: some(get("서비스URL")),
            status: "active".into(),
            application_process: Some(if online {
                "복지로(www.bokjiro.go.kr)에서 온라인으로 신청하거나 주소지 행정복지센터에 방문하여 신청합니다.".into()
            } else {
                "주소지 행정복지센터 또는 대표 문의처로 신청합니다.".into()
            }),
            terms,
            phones: super::phones::parse(get("대표문의")),
            ..NewService::default()
        }));
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    const CENTRAL: &str = include_str!("../../../data/welfare/bokjiro-central.csv");
    const TAGS: &str = include_str!("../../../data/welfare/bokjiro-central-tags.csv");

    #[test]
    fn every_official_row_becomes_a_service() {
        let rows = parse(CENTRAL, TAGS);
        assert_eq!(rows.len(), 367);
        assert!(rows.iter().all(Result::is_ok));
    }

    #[test]
    fn tags_become_terms() {
        let rows = parse(CENTRAL, TAGS);
        let service = rows.iter().flatten().find(|s| s.source_id.as_deref() == Some("bokjiro:WLF00001183")).unwrap();
        assert_eq!(service.name, "다문화보육료지원");
        for term in [
            "provider:central",
            "life_stage:infant",
            "household:multicultural",
            "theme:childcare",
            "support_type:voucher",
            "support_cycle:monthly",
        ] {
            assert!(service.terms.iter().any(|t| t == term), "{term} in {:?}", service.terms);
        }
    }

    #[test]
    fn bad_rows_are_reported_by_line() {
        let csv = "서비스아이디,서비스명,서비스요약\nWLF1,좋은 서비스,요약\n,이름만,요약\n";
        let rows = parse(csv, "servId\n");
        assert!(rows[0].is_ok());
        assert_eq!(rows[1].as_ref().unwrap_err().line, 3);
    }
}
