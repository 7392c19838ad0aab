//! `dolbom import services-csv FILE`: services from a spreadsheet, in UTF-8 or CP949/EUC-KR (as Korean offices
//! save them from Excel). The encoding is detected: valid UTF-8 (with or without BOM) is UTF-8, anything else is
//! read as CP949.
//!
//! Columns (Korean or English header; only 서비스명 is required; lists are separated by `,` or `·`-free commas):
//!
//! | header | also | becomes |
//! | --- | --- | --- |
//! | 서비스명 | name | `service.name` |
//! | 서비스ID | id | `service.source_id` (`csv:…`); rows without it are new services each time |
//! | 서비스요약 | description | `description` |
//! | 제공기관 | organization | organization (created if missing) |
//! | 제공주체 | provider | 중앙부처 / 지자체 / 민간 |
//! | 생애주기 | life_stage | 영유아, 아동, … (comma list) |
//! | 가구상황 | household | 저소득, 장애인, … |
//! | 관심주제 | theme | 생활지원, 주거, … |
//! | 지원형태 | support_type | 현금, 현물, 서비스, 이용권, … |
//! | 지원대상 | eligibility | `eligibility_description` |
//! | 신청방법 | how_to_apply | `application_process` |
//! | 문의처 | contact | phone rows |
//! | 누리집 | url | `url` |
//! | 기부방법 | how_to_give | 기부 attribute `donation:how_to_give` with the text as its value |
//! | 세제혜택 | tax_benefit | 기부 attribute `donation:tax_benefit` with the text as its value |

use std::collections::HashMap;

use super::{RowError, some};
use crate::directory::model::NewService;
use crate::directory::taxonomy::{self, HOUSEHOLD, LIFE_STAGE, PROVIDER, SUPPORT_TYPE, THEME, term_id};

/// The text of the file and the encoding it was read in.
pub fn decode(bytes: &[u8]) -> (String, &'static str) {
    let without_bom = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(without_bom) {
        Ok(text) => (text.to_string(), "UTF-8"),
        Err(_) => {
            let (text, _, _) = encoding_rs::EUC_KR.decode(bytes);
            (text.into_owned(), "CP949")
        }
    }
}

const ALIASES: [(&str, &str); 15] = [
    ("how_to_give", "기부방법"),
    ("tax_benefit", "세제혜택"),
    ("name", "서비스명"),
    ("id", "서비스ID"),
    ("description", "서비스요약"),
    ("organization", "제공기관"),
    ("provider", "제공주체"),
    ("life_stage", "생애주기"),
    ("household", "가구상황"),
    ("theme", "관심주제"),
    ("support_type", "지원형태"),
    ("eligibility", "지원대상"),
    ("how_to_apply", "신청방법"),
    ("contact", "문의처"),
    ("url", "누리집"),
];

fn canonical(header: &str) -> String {
    let h = header.trim().trim_start_matches('\u{feff}');
    ALIASES
        .iter()
        .find(|(en, _)| en.eq_ignore_ascii_case(h))
        .map(|(_, ko)| ko.to_string())
        .unwrap_or_else(|| h.to_string())
}

/// Terms of one taxonomy from a comma list; names not in the taxonomy are returned as errors.
fn terms(taxonomy: &str, field: &str, out: &mut Vec<String>, unknown: &mut Vec<String>) {
    for name in field.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        match taxonomy::code_by_name(taxonomy, name) {
            Some(code) => out.push(term_id(taxonomy, code)),
            None => unknown.push(name.to_string()),
        }
    }
}

fn support_type_code(name: &str) -> Option<&'static str> {
    taxonomy::code_by_name(SUPPORT_TYPE, name).or(match name {
        "현금지급" => Some("cash"),
        "현물지급" => Some("in_kind"),
        "바우처" => Some("voucher"),
        _ => None,
    })
}

fn provider_code(name: &str) -> Option<&'static str> {
    taxonomy::code_by_name(PROVIDER, name).or(match name {
        "중앙" | "정부" => Some("central"),
        "구청" | "시청" | "지방자치단체" => Some("local"),
        _ => None,
    })
}

fn row(record: &HashMap<String, String>, line: u64) -> Result<NewService, RowError> {
    let get = |k: &str| record.get(k).map(String::as_str).unwrap_or_default();
    let name = get("서비스명").trim();
    if name.is_empty() {
        return Err(RowError { line, message: "서비스명이 비어 있습니다 (name is empty)".into() });
    }
    let mut found = Vec::new();
    let mut unknown = Vec::new();
    terms(LIFE_STAGE, get("생애주기"), &mut found, &mut unknown);
    terms(HOUSEHOLD, get("가구상황"), &mut found, &mut unknown);
    terms(THEME, get("관심주제"), &mut found, &mut unknown);
    for name in get("지원형태").split(',').map(str::trim).filter(|n| !n.is_empty()) {
        match support_type_code(name) {
            Some(code) => found.push(term_id(SUPPORT_TYPE, code)),
            None => unknown.push(name.to_string()),
        }
    }
    match get("제공주체").trim() {
        "" => {}
        name => match provider_code(name) {
            Some(code) => found.push(term_id(PROVIDER, code)),
            None => unknown.push(name.to_string()),
        },
    }
    if !unknown.is_empty() {
        return Err(RowError {
            line, message: format!("분류에 없는 값 (unknown categories): {}", unknown.join(", "))
        });
    }
    let url = some(get("누리집"));
    if url.as_deref().is_some_and(|u| !u.starts_with("http://") && !u.starts_with("https://")) {
        return Err(RowError {
            line, message: "누리집은 http:// 또는 https://로 시작해야 합니다 (url)".into()
        });
    }
    Ok(NewService {
        source_id: some(get("서비스ID")).map(|id| format!("csv:{id}")),
        organization: some(get("제공기관")).unwrap_or_else(|| "미상".into()),
        name: name.to_string(),
        description: get("서비스요약").trim().to_string(),
        url,
        status: "active".into(),
        application_process: some(get("신청방법")),
        eligibility_description: some(get("지원대상")),
        terms: found,
        attribute_values: [("how_to_give", "기부방법"), ("tax_benefit", "세제혜택")]
            .iter()
            .filter_map(|(code, column)| Some((term_id(taxonomy::DONATION, code), some(get(column))?)))
            .collect(),
        phones: super::phones::parse(get("문의처")),
        ..NewService::default()
    })
}

/// Every row as a service or an error with its line number (the header is line 1).
pub fn parse(text: &str) -> Vec<Result<NewService, RowError>> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(canonical).collect(),
        Err(e) => {
            return vec![Err(RowError { line: 1, message: format!("머리글을 읽을 수 없습니다: {e}") })];
        }
    };
    if !headers.iter().any(|h| h == "서비스명") {
        return vec![Err(RowError { line: 1, message: "서비스명(name) 열이 없습니다".into() })];
    }
    reader
        .records()
        .enumerate()
        .map(|(index, record)| {
            let line = record.as_ref().ok().and_then(|r| r.position()).map(|p| p.line()).unwrap_or(index as u64 + 2);
            match record {
                Ok(record) => {
                    let map = headers.iter().cloned().zip(record.iter().map(str::to_string)).collect();
                    row(&map, line)
                }
                Err(e) => Err(RowError { line, message: format!("읽을 수 없는 행: {e}") }),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cp949_files_are_detected_and_read() {
        let csv = "서비스명,생애주기,제공주체\n어르신 반찬 나눔,노년,민간\n";
        let (bytes, _, _) = encoding_rs::EUC_KR.encode(csv);
        let (text, encoding) = decode(&bytes);
        assert_eq!(encoding, "CP949");
        assert_eq!(text, csv);
        let (utf8, encoding) = decode(format!("\u{feff}{csv}").as_bytes());
        assert_eq!(encoding, "UTF-8");
        assert!(utf8.contains("어르신"));
    }

    #[test]
    fn rows_become_services_and_bad_rows_are_numbered() {
        let csv = "name,life_stage,theme,contact,url\n\
                   어르신 반찬 나눔,노년,보호·돌봄,복지과 02-2116-3114,https://nowon.kr\n\
                   ,노년,,,\n\
                   청소년 공부방,청소년,우주여행,,\n\
                   나쁜 누리집,,,,ftp://x\n";
        let rows = parse(csv);
        assert_eq!(rows.len(), 4);
        let good = rows[0].as_ref().unwrap();
        assert!(
            good.terms.contains(&"life_stage:senior".to_string()) && good.terms.contains(&"theme:care".to_string())
        );
        assert_eq!(good.phones[0].number, "02-2116-3114");
        assert_eq!(rows[1].as_ref().unwrap_err().line, 3);
        assert!(rows[2].as_ref().unwrap_err().message.contains("우주여행"));
        assert_eq!(rows[3].as_ref().unwrap_err().line, 5);
    }

    #[test]
    fn a_file_without_a_name_column_is_refused_whole() {
        let rows = parse("제목,설명\n하나,둘\n");
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].as_ref().unwrap_err().line, 1);
    }
}
