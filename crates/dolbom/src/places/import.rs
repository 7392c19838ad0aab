//! `dolbom import facilities FILE`: 어린이집 in the public-data layout (서울 열린데이터광장 「어린이집 정보(표준
//! 데이터)」, the 보육통합정보시스템 columns), UTF-8 or CP949. Centres in operation (정상, 재개) are imported with
//! their coordinates; a row without coordinates, or with coordinates outside the district, is reported by its line
//! and never guessed from the address. Closed centres are skipped and counted.
//!
//! The layout has no opening hours: a centre gets the standard hours of 보육사업안내 for its service types (평일
//! 07:30–19:30, 토요일 07:30–15:30; 야간연장형 until 24:00; 휴일보육 on Sundays and holidays; 24시간 always),
//! marked unconfirmed until the centre's staff confirm or change them.

use serde::Deserialize;

use super::classes::{self, Class};
use super::hours::{HOLIDAY, Span, WeeklyHours};
use super::model::Facility;
use crate::areas::Areas;
use crate::directory::import::RowError;

/// The source marks a missing coordinate with Seoul City Hall's.
const PLACEHOLDER: (f64, f64) = (37.566470, 126.977963);

#[derive(Deserialize)]
struct Row {
    #[serde(rename = "어린이집코드")]
    code: String,
    #[serde(rename = "어린이집명")]
    name: String,
    #[serde(rename = "어린이집유형")]
    operator: String,
    #[serde(rename = "운영현황")]
    status: String,
    #[serde(rename = "상세주소")]
    address: String,
    #[serde(rename = "전화번호", default)]
    phone: String,
    #[serde(rename = "홈페이지주소", default)]
    website: String,
    #[serde(rename = "정원", default)]
    capacity: String,
    #[serde(rename = "현원", default)]
    enrolled: String,
    #[serde(rename = "시설 위도(좌표값)", default)]
    latitude: String,
    #[serde(rename = "시설 경도(좌표값)", default)]
    longitude: String,
    #[serde(rename = "제공서비스", default)]
    services: String,
    #[serde(rename = "반수-만0세", default)]
    age0: String,
    #[serde(rename = "반수-만1세", default)]
    age1: String,
    #[serde(rename = "반수-만2세", default)]
    age2: String,
    #[serde(rename = "반수-만3세", default)]
    age3: String,
    #[serde(rename = "반수-만4세", default)]
    age4: String,
    #[serde(rename = "반수-만5세", default)]
    age5: String,
    #[serde(rename = "반수-영아혼합(만0~2세)", default)]
    infants_mixed: String,
    #[serde(rename = "반수-유아혼합(만3~5세)", default)]
    toddlers_mixed: String,
    #[serde(rename = "아동수-만0세", default)]
    kids0: String,
    #[serde(rename = "아동수-만1세", default)]
    kids1: String,
    #[serde(rename = "아동수-만2세", default)]
    kids2: String,
    #[serde(rename = "아동수-만3세", default)]
    kids3: String,
    #[serde(rename = "아동수-만4세", default)]
    kids4: String,
    #[serde(rename = "아동수-만5세", default)]
    kids5: String,
    #[serde(rename = "아동수-영아혼합(만0~2세)", default)]
    kids_infants_mixed: String,
    #[serde(rename = "아동수-유아혼합(만3~5세)", default)]
    kids_toddlers_mixed: String,
}

impl Row {
    /// The centre's classes and their places (see [`super::classes`]).
    fn classes(&self) -> Vec<Class> {
        let classes = [
            &self.age0,
            &self.age1,
            &self.age2,
            &self.age3,
            &self.age4,
            &self.age5,
            &self.infants_mixed,
            &self.toddlers_mixed,
        ];
        let children = [
            &self.kids0,
            &self.kids1,
            &self.kids2,
            &self.kids3,
            &self.kids4,
            &self.kids5,
            &self.kids_infants_mixed,
            &self.kids_toddlers_mixed,
        ];
        classes::from_counts(classes.map(|n| count(n)), children.map(|n| count(n)))
    }
}

#[derive(Debug, Default)]
pub struct Parsed {
    pub facilities: Vec<(u64, Facility)>,
    /// Each facility's classes, in the order of `facilities`.
    pub classes: Vec<Vec<Class>>,
    pub errors: Vec<RowError>,
    /// Closed or paused centres (휴지, 폐지), left out.
    pub skipped: usize,
    /// Their source ids: a centre imported before and closed since is taken off the registry.
    pub closed: Vec<String>,
}

fn count(text: &str) -> u32 {
    text.trim().parse().unwrap_or(0)
}

/// The ages (만 나이, years) the centre has classes for; every pre-school age when it lists none.
fn age_range(row: &Row) -> (i32, i32) {
    let mut ages: Vec<i32> = [&row.age0, &row.age1, &row.age2, &row.age3, &row.age4, &row.age5]
        .iter()
        .enumerate()
        .filter(|(_, n)| count(n) > 0)
        .map(|(age, _)| age as i32)
        .collect();
    if count(&row.infants_mixed) > 0 {
        ages.extend([0, 2]);
    }
    if count(&row.toddlers_mixed) > 0 {
        ages.extend([3, 5]);
    }
    let (min, mut max) = (ages.iter().min().copied().unwrap_or(0), ages.iter().max().copied().unwrap_or(5));
    if row.services.contains("방과후") {
        max = 12;
    }
    (min, max)
}

/// 보육사업안내's standard hours for the centre's service types.
pub fn standard_hours(services: &[String]) -> WeeklyHours {
    let has = |s: &str| services.iter().any(|x| x.contains(s));
    if has("24시간") {
        return WeeklyHours::always();
    }
    let weekday = Span { opens: 450, closes: if has("야간연장") { 1440 } else { 1170 } };
    let mut week = WeeklyHours::default();
    for day in 0..5 {
        week.0[day] = Some(weekday);
    }
    week.0[5] = Some(Span { opens: 450, closes: 930 });
    if has("휴일보육") {
        week.0[6] = Some(Span { opens: 450, closes: 1170 });
        week.0[HOLIDAY] = Some(Span { opens: 450, closes: 1170 });
    }
    week
}

fn coordinates(row: &Row) -> Result<(f64, f64), String> {
    let (lat, lon) = (row.latitude.trim(), row.longitude.trim());
    if lat.is_empty() || lon.is_empty() {
        return Err("좌표(위도·경도)가 없습니다. 주소로 위치를 짐작하지 않으니 좌표를 넣어 주세요.".into());
    }
    let (Ok(lat), Ok(lon)) = (lat.parse::<f64>(), lon.parse::<f64>()) else {
        return Err(format!("좌표가 숫자가 아닙니다: {lat}, {lon}"));
    };
    if (lat - PLACEHOLDER.0).abs() < 1e-6 && (lon - PLACEHOLDER.1).abs() < 1e-6 {
        return Err("좌표가 서울시청 자리표시 값(37.566470, 126.977963)입니다. 실제 좌표를 넣어 주세요.".into());
    }
    if !super::model::in_korea(lat, lon) {
        return Err(format!("좌표가 대한민국 밖입니다: {lat}, {lon}"));
    }
    Ok((lat, lon))
}

fn number(text: &str, what: &str) -> Result<Option<i32>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    t.parse::<i32>().map(Some).map_err(|_| format!("{what}이(가) 숫자가 아닙니다: {t}"))
}

fn facility(row: Row, areas: &Areas) -> Result<Facility, String> {
    let (latitude, longitude) = coordinates(&row)?;
    let area = areas
        .locate(latitude, longitude)
        .ok_or_else(|| format!("좌표({latitude}, {longitude})가 {} 밖입니다.", areas.municipality_name()))?;
    let services: Vec<String> =
        row.services.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect();
    let (min_age, max_age) = age_range(&row);
    let some = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    let facility = Facility {
        source_id: Some(format!("daycare:{}", row.code.trim())),
        kind: if services.iter().any(|s| s == "24시간") { "daycare_24h" } else { "daycare" }.into(),
        name: row.name.trim().to_string(),
        operator: some(&row.operator),
        address: row.address.trim().to_string(),
        latitude,
        longitude,
        adm_cd2: area.adm_cd2.clone(),
        min_age_months: min_age * 12,
        max_age_months: max_age * 12 + 11,
        capacity: number(&row.capacity, "정원")?,
        enrolled: number(&row.enrolled, "현원")?,
        hours: standard_hours(&services),
        services,
        languages: vec!["ko".into()],
        phone: some(&row.phone),
        website: some(&row.website).filter(|w| super::model::is_web_address(w)),
        ..Facility::default()
    };
    let errors = facility.check();
    if let Some(e) = errors.0.first() {
        return Err(crate::i18n::t(crate::i18n::Locale::Ko, e.code));
    }
    Ok(facility)
}

/// Reads the file's text (already decoded); line numbers count the header as 1.
pub fn parse(text: &str, areas: &Areas) -> Parsed {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let mut parsed = Parsed::default();
    for (i, row) in reader.deserialize::<Row>().enumerate() {
        let line = i as u64 + 2;
        let row = match row {
            Ok(row) => row,
            Err(e) => {
                parsed.errors.push(RowError { line, message: format!("읽을 수 없는 줄입니다: {e}") });
                continue;
            }
        };
        if !matches!(row.status.trim(), "정상" | "재개") {
            parsed.skipped += 1;
            parsed.closed.push(format!("daycare:{}", row.code.trim()));
            continue;
        }
        let classes = row.classes();
        match facility(row, areas) {
            Ok(f) => {
                parsed.facilities.push((line, f));
                parsed.classes.push(classes);
            }
            Err(message) => parsed.errors.push(RowError { line, message }),
        }
    }
    parsed
}

#[derive(Debug, Default, serde::Serialize)]
pub struct FacilityReport {
    pub imported: usize,
    pub skipped: usize,
    /// Centres on the registry that the file now lists as closed, taken off.
    pub retired: usize,
    pub errors: Vec<RowError>,
}

/// Writes each parsed facility whole (row, hours and change log together) and its classes, advancing `progress`. What the file
/// knows (name, address, place, ages, capacity, contact) is updated; what the centre's staff keep (their
/// organization, confirmed hours and enrolment, programmes, languages, photos) is left as they saved it.
pub async fn write(
    db: &crate::db::Db,
    municipality: &str,
    parsed: Parsed,
    progress: &indicatif::ProgressBar,
) -> Result<FacilityReport, sqlx::Error> {
    progress.set_length(parsed.facilities.len() as u64);
    let mut report = FacilityReport { skipped: parsed.skipped, errors: parsed.errors, ..FacilityReport::default() };
    for ((_, facility), classes) in parsed.facilities.iter().zip(&parsed.classes) {
        let id = super::store::upsert_from_source(db, municipality, facility).await?;
        let mut tx = db.begin().await?;
        classes::replace(&mut tx, &id, classes).await?;
        tx.commit().await?;
        report.imported += 1;
        progress.inc(1);
    }
    for source in &parsed.closed {
        if super::store::delete_by_source(db, municipality, source).await? {
            report.retired += 1;
        }
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_real_daycare_list_of_nowon_imports_every_operating_centre() {
        let areas = Areas::embedded("11350");
        let parsed = parse(include_str!("../../data/childcare/daycare-nowon.csv"), &areas);
        assert_eq!(parsed.facilities.len(), 246, "정상 244 + 재개 2, all with real coordinates");
        assert!(parsed.errors.is_empty(), "{:?}", &parsed.errors[..parsed.errors.len().min(3)]);
        assert_eq!(parsed.skipped, 420, "휴지 20 + 폐지 400");
        let capacity: i32 = parsed.facilities.iter().filter_map(|(_, f)| f.capacity).sum();
        let enrolled: i32 = parsed.facilities.iter().filter_map(|(_, f)| f.enrolled).sum();
        assert_eq!((capacity, enrolled), (8_588, 5_501), "the SOURCE.md sums");
        assert_eq!(parsed.facilities.iter().filter(|(_, f)| f.kind == "daycare_24h").count(), 1);
    }

    #[test]
    fn the_real_daycare_list_of_seodaemun_imports_into_its_own_district() {
        let parsed = parse(include_str!("../../data/childcare/daycare-seodaemun.csv"), &Areas::embedded("11410"));
        // 정상 119 + 재개 2; one centre's published coordinates fall outside the 2025 boundaries: reported, not moved.
        assert_eq!((parsed.facilities.len(), parsed.errors.len()), (120, 1));
        assert!(parsed.errors[0].message.contains("서대문구 밖"), "{}", parsed.errors[0].message);
        let elsewhere = parse(include_str!("../../data/childcare/daycare-seodaemun.csv"), &Areas::embedded("11350"));
        assert_eq!(elsewhere.errors.len(), 121, "not one of them lies in 노원구");
    }

    #[test]
    fn rows_without_usable_coordinates_are_reported_not_guessed() {
        let areas = Areas::embedded("11350");
        let header = "\"어린이집코드\",\"어린이집명\",\"어린이집유형\",\"운영현황\",\"상세주소\",\"정원\",\"현원\",\"시설 위도(좌표값)\",\"시설 경도(좌표값)\"";
        let text = format!(
            "{header}\n\
             1,빈좌표,국공립,정상,서울특별시 노원구 어딘가 1,20,10,,\n\
             2,시청,국공립,정상,서울특별시 노원구 어딘가 2,20,10,37.566470,126.977963\n\
             3,서대문,국공립,정상,서울특별시 서대문구 어딘가 3,20,10,37.5791,126.9368\n\
             4,넘침,국공립,정상,서울특별시 노원구 노해로 437,20,30,37.6542,127.0568\n\
             5,좋음,국공립,정상,서울특별시 노원구 노해로 437,20,10,37.6542,127.0568\n"
        );
        let parsed = parse(&text, &areas);
        let lines: Vec<u64> = parsed.errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [2, 3, 4, 5]);
        assert!(parsed.errors[2].message.contains("노원구 밖"));
        assert!(parsed.errors[3].message.contains("정원"), "{}", parsed.errors[3].message);
        assert_eq!(parsed.facilities.len(), 1);
        assert_eq!(parsed.facilities[0].1.adm_cd2, "1135069500", "(37.6542, 127.0568) lies in 상계6·7동");
    }

    #[test]
    fn standard_hours_follow_the_service_types() {
        let night = standard_hours(&["야간연장형".to_string()]);
        assert_eq!(night.0[0], Some(Span { opens: 450, closes: 1440 }));
        assert_eq!(night.0[6], None, "closed on Sundays without 휴일보육");
        let holiday = standard_hours(&["휴일보육".to_string()]);
        assert!(holiday.0[HOLIDAY].is_some());
    }
}
