//! Care facilities and community groups as the registry keeps them, and the checks every write passes.

use serde::Serialize;

use super::hours::WeeklyHours;
use crate::error::FieldErrors;

/// Facility types; the code is stable (API, URLs), the label comes from the catalog (`place-kind-{code}`).
pub const FACILITY_KINDS: [&str; 8] = [
    "community_care",  // 다함께돌봄센터
    "local_children",  // 지역아동센터
    "daycare",         // 어린이집
    "daycare_24h",     // 24시간 (언제나) 어린이집
    "elementary_care", // 초등 돌봄센터 (노원 아이휴센터)
    "sharing_center",  // 공동육아나눔터
    "youth_cafe",      // 청소년 휴카페
    "family_center",   // 가족센터
];

/// Community group types (`group-kind-{code}`).
pub const GROUP_KINDS: [&str; 5] = ["parents", "co_parenting", "youth_cafe", "multicultural", "self_help"];

/// Languages a facility may list (`lang-name-{code}`).
pub const LANGUAGES: [&str; 6] = ["ko", "en", "vi", "zh", "ru", "ja"];

/// An address a link may point at: http or https only (never `javascript:`), with something after the scheme.
pub fn is_web_address(text: &str) -> bool {
    let rest = text.strip_prefix("https://").or_else(|| text.strip_prefix("http://"));
    rest.is_some_and(|r| !r.is_empty() && !r.chars().any(char::is_whitespace))
}

/// South Korea's extent, generously: a point outside is a typo, not a place.
pub fn in_korea(latitude: f64, longitude: f64) -> bool {
    (33.0..=38.7).contains(&latitude) && (124.5..=132.0).contains(&longitude)
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Facility {
    pub id: String,
    pub source_id: Option<String>,
    pub kind: String,
    pub name: String,
    pub operator: Option<String>,
    pub organization_id: Option<String>,
    pub address: String,
    pub latitude: f64,
    pub longitude: f64,
    pub adm_cd2: String,
    pub min_age_months: i32,
    pub max_age_months: i32,
    /// `None` until the facility tells (some public lists have no capacity).
    pub capacity: Option<i32>,
    pub enrolled: Option<i32>,
    /// Service types of the source, e.g. 야간연장형, 휴일보육.
    pub services: Vec<String>,
    pub programmes: Vec<String>,
    pub languages: Vec<String>,
    pub phone: Option<String>,
    pub website: Option<String>,
    pub photos: Vec<String>,
    pub hours: WeeklyHours,
    /// False while the hours are the standard ones for the facility's type, not yet confirmed by the facility.
    pub hours_confirmed: bool,
    pub updated_at: i64,
}

impl Facility {
    /// Free places, when both capacity and enrolment are known.
    pub fn vacancies(&self) -> Option<i32> {
        Some((self.capacity? - self.enrolled?).max(0))
    }

    pub fn serves_age(&self, months: i32) -> bool {
        (self.min_age_months..=self.max_age_months).contains(&months)
    }

    /// Every rule a facility must keep, by field (catalog keys as codes); `adm_cd2` is checked by the caller,
    /// who knows the district's 행정동s.
    pub fn check(&self) -> FieldErrors {
        let mut errors = FieldErrors::default();
        if !FACILITY_KINDS.contains(&self.kind.as_str()) {
            errors.add("kind", "field-choice-invalid");
        }
        if self.name.trim().is_empty() {
            errors.add("name", "field-required");
        }
        if self.address.trim().is_empty() {
            errors.add("address", "field-required");
        }
        if !in_korea(self.latitude, self.longitude) {
            errors.add("latitude", "place-error-outside-korea");
        }
        if self.min_age_months < 0 || self.max_age_months < self.min_age_months || self.max_age_months > 12 * 25 {
            errors.add("max_age_months", "place-error-age-range");
        }
        match (self.capacity, self.enrolled) {
            (Some(c), _) if c < 0 => errors.add("capacity", "field-number-invalid"),
            (_, Some(e)) if e < 0 => errors.add("enrolled", "field-number-invalid"),
            (Some(c), Some(e)) if e > c => errors.add("enrolled", "place-error-over-capacity"),
            (None, Some(_)) => errors.add("capacity", "field-required"),
            _ => {}
        }
        if self.languages.iter().any(|l| !LANGUAGES.contains(&l.as_str())) {
            errors.add("languages", "field-choice-invalid");
        }
        if self.website.as_deref().is_some_and(|w| !is_web_address(w)) {
            errors.add("website", "place-error-website");
        }
        if self.photos.len() > super::photos::MAX_PHOTOS {
            errors.add("photos", "place-error-photo-count");
        }
        let ours =
            |p: &str| p.strip_prefix(super::photos::PATH_PREFIX).is_some_and(|id| !id.is_empty() && !id.contains('/'));
        if self.photos.iter().any(|p| !(p.starts_with("https://") || ours(p))) {
            errors.add("photos", "place-error-photo-url");
        }
        errors
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Group {
    pub id: String,
    pub source_id: Option<String>,
    pub kind: String,
    pub name: String,
    pub organization_id: Option<String>,
    pub adm_cd2: String,
    pub activities: String,
    pub meeting_place: String,
    pub latitude: f64,
    pub longitude: f64,
    pub meeting_time: String,
    pub contact: Option<String>,
    pub member_count: i32,
    pub updated_at: i64,
}

impl Group {
    pub fn check(&self) -> FieldErrors {
        let mut errors = FieldErrors::default();
        if !GROUP_KINDS.contains(&self.kind.as_str()) {
            errors.add("kind", "field-choice-invalid");
        }
        for (field, value) in
            [("name", &self.name), ("activities", &self.activities), ("meeting_place", &self.meeting_place)]
        {
            if value.trim().is_empty() {
                errors.add(field, "field-required");
            }
        }
        if !in_korea(self.latitude, self.longitude) {
            errors.add("latitude", "place-error-outside-korea");
        }
        if self.member_count < 0 {
            errors.add("member_count", "field-number-invalid");
        }
        errors
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn centre() -> Facility {
        Facility {
            kind: "community_care".into(),
            name: "상계1동 다함께돌봄센터".into(),
            address: "서울특별시 노원구 한글비석로 1".into(),
            latitude: 37.66,
            longitude: 127.06,
            max_age_months: 12 * 12 + 11,
            min_age_months: 72,
            capacity: Some(20),
            enrolled: Some(18),
            languages: vec!["ko".into()],
            ..Facility::default()
        }
    }

    #[test]
    fn a_sound_facility_passes_and_counts_its_vacancies() {
        let f = centre();
        assert!(f.check().is_empty());
        assert_eq!(f.vacancies(), Some(2));
        assert!(f.serves_age(8 * 12) && !f.serves_age(5 * 12));
    }

    #[test]
    fn impossible_facilities_are_refused_field_by_field() {
        let mut f = centre();
        f.latitude = 48.85; // Paris
        f.enrolled = Some(25);
        f.min_age_months = 100;
        f.max_age_months = 50;
        f.languages = vec!["klingon".into()];
        f.photos = vec!["javascript:alert(1)".into()];
        f.website = Some("javascript:alert(document.cookie)".into());
        let errors = f.check();
        assert_eq!(errors.code("latitude"), Some("place-error-outside-korea"));
        assert_eq!(errors.code("enrolled"), Some("place-error-over-capacity"));
        assert_eq!(errors.code("max_age_months"), Some("place-error-age-range"));
        assert_eq!(errors.code("languages"), Some("field-choice-invalid"));
        assert_eq!(errors.code("photos"), Some("place-error-photo-url"));
        assert_eq!(errors.code("website"), Some("place-error-website"));
        assert!(is_web_address("https://nowon.go.kr/") && !is_web_address("www.example.kr"));
    }
}
