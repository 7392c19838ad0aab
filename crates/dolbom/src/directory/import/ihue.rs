//! 노원구 아이휴센터 (data.go.kr 「서울특별시 노원구_아이휴센터」): the district's 초등 돌봄 centres as one service
//! delivered at each centre, every centre placed in its 행정동 by its coordinates.

use super::{RowError, some};
use crate::areas::Areas;
use crate::db::stable_id;
use crate::directory::model::{Address, NewService, ServiceLocation};

pub const SOURCE_ID: &str = "nowon-ihue";

#[derive(serde::Deserialize)]
struct Row {
    #[serde(rename = "시설명")]
    name: String,
    #[serde(rename = "연락처")]
    phone: String,
    #[serde(rename = "주소")]
    address: String,
    #[serde(rename = "위도_nominatim지오코딩")]
    latitude: Option<f64>,
    #[serde(rename = "경도_nominatim지오코딩")]
    longitude: Option<f64>,
}

fn location(row: Row, areas: &Areas) -> ServiceLocation {
    let key = format!("{SOURCE_ID}:{}", row.name);
    let full = areas.municipality_name();
    let (state_province, city) = full.split_once(' ').unwrap_or((full, full));
    ServiceLocation {
        id: stable_id(&format!("{key}:service_at_location")),
        location_id: stable_id(&format!("{key}:location")),
        location_type: "physical".into(),
        name: Some(format!("아이휴센터 {}", row.name)),
        description: some(&row.phone).map(|p| format!("☎ {p}")),
        latitude: row.latitude,
        longitude: row.longitude,
        adm_cd2: row
            .latitude
            .zip(row.longitude)
            .and_then(|(lat, lon)| areas.locate(lat, lon))
            .map(|a| a.adm_cd2.clone()),
        address: some(&row.address).map(|address_1| Address {
            id: stable_id(&format!("{key}:address")),
            address_1,
            city: city.to_string(),
            state_province: state_province.to_string(),
            postal_code: String::new(),
            country: "KR".into(),
        }),
    }
}

/// The service with its centres; a row that cannot be read is reported by its line (1 is the header).
pub fn parse(text: &str, areas: &Areas) -> Vec<Result<NewService, RowError>> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let mut locations = Vec::new();
    let mut errors = Vec::new();
    for (i, row) in reader.deserialize::<Row>().enumerate() {
        match row {
            Ok(row) => locations.push(location(row, areas)),
            Err(e) => errors.push(Err(RowError { line: i as u64 + 2, message: e.to_string() })),
        }
    }
    let service = NewService {
        source_id: Some(SOURCE_ID.into()),
        organization: "서울특별시 노원구".into(),
        name: "노원 아이휴센터 초등 돌봄".into(),
        description: format!(
            "노원구가 동네마다 운영하는 초등학생 돌봄센터입니다({}곳). 가까운 센터에 전화해 빈자리와 이용 방법을 \
             확인하세요.",
            locations.len()
        ),
        status: "active".into(),
        application_process: Some("가까운 아이휴센터에 전화 또는 방문 상담".into()),
        minimum_age: Some(6),
        maximum_age: Some(12),
        terms: ["provider:local", "life_stage:child", "theme:care", "support_type:service"].map(String::from).to_vec(),
        locations: Some(locations),
        ..NewService::default()
    };
    let mut rows = vec![Ok(service)];
    rows.extend(errors);
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_centre_lands_in_a_dong_of_nowon() {
        let areas = Areas::embedded("11350");
        let rows = parse(include_str!("../../../data/childcare/ihue-nowon.csv"), &areas);
        let service = rows[0].as_ref().expect("service");
        let locations = service.locations.as_ref().expect("locations");
        assert_eq!(locations.len(), 29);
        assert!(locations.iter().all(|l| l.adm_cd2.is_some()), "a centre fell outside 노원구");
        let dongs: std::collections::HashSet<_> = locations.iter().filter_map(|l| l.adm_cd2.as_ref()).collect();
        assert!(dongs.len() >= 15, "centres spread over {} 동", dongs.len());
    }
}
