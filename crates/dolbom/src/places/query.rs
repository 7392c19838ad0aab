//! The place search as a resident or a program asks for it (query string of `/places` and `/api/v1/places`),
//! checked field by field before it reaches the index.

use chrono::{Datelike, NaiveDateTime};
use serde::Deserialize;

use super::index::PlaceQuery;
use super::model::{FACILITY_KINDS, GROUP_KINDS, LANGUAGES, in_korea};
use crate::areas::Areas;
use crate::calendar;
use crate::error::FieldErrors;

pub const MAX_LIMIT: usize = 500;

#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct PlaceParams {
    /// Latitude of the point to measure from (WGS84), with `lon`.
    #[serde(default)]
    pub lat: Option<String>,
    #[serde(default)]
    pub lon: Option<String>,
    /// Only this 행정동 (`adm_cd2`).
    #[serde(default)]
    pub dong: Option<String>,
    /// Facility types (repeat for several): community_care, local_children, daycare, daycare_24h, elementary_care,
    /// sharing_center, youth_cafe, family_center.
    #[serde(default)]
    pub kind: Vec<String>,
    /// The child's 만 나이 in years.
    #[serde(default)]
    pub age: Option<String>,
    /// `1`: only places with a free place now.
    #[serde(default)]
    pub vacancy: Option<String>,
    /// Open at this local time (Asia/Seoul), `2026-11-28T10:00`.
    #[serde(default)]
    pub open_at: Option<String>,
    /// A language spoken (ko, en, vi, zh, ru, ja).
    #[serde(default)]
    pub lang: Option<String>,
    /// Community group types to show as well (repeat): parents, co_parenting, youth_cafe, multicultural, self_help.
    #[serde(default)]
    pub group: Vec<String>,
    /// At most this many facilities (1–500; 50 by default).
    #[serde(default)]
    pub limit: Option<String>,
}

fn filled(text: &Option<String>) -> Option<&str> {
    text.as_deref().map(str::trim).filter(|t| !t.is_empty())
}

impl PlaceParams {
    /// The index query and the group kinds asked for, or every field that is wrong.
    pub fn to_query(&self, areas: &Areas, default_limit: usize) -> Result<(PlaceQuery, Vec<String>), FieldErrors> {
        let mut errors = FieldErrors::default();
        let mut q = PlaceQuery { limit: default_limit, ..PlaceQuery::default() };
        match (filled(&self.lat), filled(&self.lon)) {
            (None, None) => {}
            (Some(lat), Some(lon)) => match (lat.parse::<f64>(), lon.parse::<f64>()) {
                (Ok(lat), Ok(lon)) if in_korea(lat, lon) => q.near = Some((lat, lon)),
                (Ok(_), Ok(_)) => errors.add("lat", "place-error-outside-korea"),
                _ => errors.add("lat", "place-error-coordinates"),
            },
            _ => errors.add("lat", "place-error-coordinates"),
        }
        if let Some(dong) = filled(&self.dong) {
            match areas.get(dong) {
                Some(a) => q.dong = Some(a.adm_cd2.clone()),
                None => errors.add("dong", "place-error-unknown-dong"),
            }
        }
        for kind in self.kind.iter().map(|k| k.trim()).filter(|k| !k.is_empty()) {
            if FACILITY_KINDS.contains(&kind) {
                q.kinds.push(kind.to_string());
            } else {
                errors.add("kind", "field-choice-invalid");
            }
        }
        if let Some(age) = filled(&self.age) {
            match age.parse::<i32>() {
                Ok(years @ 0..=18) => q.age_months = Some(years * 12),
                _ => errors.add("age", "place-error-age"),
            }
        }
        q.vacancy = matches!(filled(&self.vacancy), Some("1" | "true" | "on"));
        if let Some(at) = filled(&self.open_at) {
            match NaiveDateTime::parse_from_str(at, "%Y-%m-%dT%H:%M") {
                // Public holidays are known for these years only; another year would pass a holiday as a weekday.
                Ok(at) if (calendar::FIRST_YEAR..=calendar::LAST_YEAR).contains(&at.year()) => q.open_at = Some(at),
                Ok(_) => errors.add("open_at", "place-error-open-at-year"),
                Err(_) => errors.add("open_at", "place-error-open-at"),
            }
        }
        if let Some(lang) = filled(&self.lang) {
            if LANGUAGES.contains(&lang) {
                q.language = Some(lang.to_string());
            } else {
                errors.add("lang", "field-choice-invalid");
            }
        }
        let mut groups = Vec::new();
        for kind in self.group.iter().map(|k| k.trim()).filter(|k| !k.is_empty()) {
            if GROUP_KINDS.contains(&kind) {
                groups.push(kind.to_string());
            } else {
                errors.add("group", "field-choice-invalid");
            }
        }
        if let Some(limit) = filled(&self.limit) {
            match limit.parse::<usize>() {
                Ok(n @ 1..=MAX_LIMIT) => q.limit = n,
                _ => errors.add("limit", "field-number-invalid"),
            }
        }
        errors.into_result((q, groups))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> PlaceParams {
        let query = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&");
        serde_html_form::from_str(&query).unwrap()
    }

    #[test]
    fn a_full_query_reads_and_bad_fields_are_named() {
        let areas = Areas::embedded("11350");
        let (q, groups) = params(&[
            ("lat", "37.65"),
            ("lon", "127.06"),
            ("kind", "community_care"),
            ("age", "8"),
            ("vacancy", "1"),
            ("open_at", "2026-11-28T10:00"),
            ("group", "parents"),
        ])
        .to_query(&areas, 20)
        .unwrap();
        assert_eq!((q.near, q.age_months, q.vacancy, q.limit), (Some((37.65, 127.06)), Some(96), true, 20));
        assert_eq!(groups, ["parents"]);

        let errors = params(&[
            ("lat", "48.85"),
            ("lon", "2.35"),
            ("dong", "9999"),
            ("kind", "castle"),
            ("age", "-1"),
            ("open_at", "saturday"),
            ("limit", "100000"),
        ])
        .to_query(&areas, 20)
        .unwrap_err();
        let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_ref()).collect();
        assert_eq!(fields, ["lat", "dong", "kind", "age", "open_at", "limit"]);
        assert_eq!(errors.code("lat"), Some("place-error-outside-korea"));
        assert!(params(&[("lat", "37.6")]).to_query(&areas, 20).is_err(), "a latitude without a longitude");
    }
}
