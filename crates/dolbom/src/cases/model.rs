//! Case forms as staff enter them, checked at the edge.

use chrono::NaiveDate;
use serde::Deserialize;

use super::DOMAINS;
use crate::error::FieldErrors;

pub const CLOSURE_REASONS: [&str; 5] = ["resolved", "moved", "refused", "transferred", "other"];
/// How many days after opening (or a review) the next review falls when the worker names no day.
pub const REVIEW_EVERY_DAYS: u64 = 90;
const TEXT_MAX: usize = 2_000;

pub(crate) fn date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()
}

/// A required text of at most [`TEXT_MAX`] characters, trimmed.
pub(crate) fn text(errors: &mut FieldErrors, field: &'static str, value: &str) -> String {
    let value = value.trim();
    if value.is_empty() {
        errors.add(field, "field-required");
    } else if value.chars().count() > TEXT_MAX {
        errors.add(field, "field-too-long");
    }
    value.to_string()
}

fn domain(errors: &mut FieldErrors, value: &str) -> String {
    if !DOMAINS.contains(&value) {
        errors.add("domain", "field-choice-invalid");
    }
    value.to_string()
}

/// A day that must be today or later.
fn future_day(errors: &mut FieldErrors, field: &'static str, value: &str, today: NaiveDate) -> Option<NaiveDate> {
    match date(value) {
        None => errors.add(field, "field-date-invalid"),
        Some(d) if d < today => errors.add(field, "case-error-day-past"),
        Some(d) => return Some(d),
    }
    None
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct OpenForm {
    #[serde(default)]
    pub summary: String,
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct AssessForm {
    #[serde(default)]
    pub domain: String,
    #[serde(default)]
    pub level: String,
    #[serde(default)]
    pub note: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assessment {
    pub domain: String,
    pub level: i32,
    pub note: String,
}

impl AssessForm {
    pub fn check(&self) -> Result<Assessment, FieldErrors> {
        let mut errors = FieldErrors::default();
        let domain = domain(&mut errors, &self.domain);
        let level = self.level.trim().parse::<i32>().ok().filter(|l| (0..=3).contains(l));
        if level.is_none() {
            errors.add("level", "field-choice-invalid");
        }
        let note = self.note.trim().to_string();
        if note.chars().count() > TEXT_MAX {
            errors.add("note", "field-too-long");
        }
        errors.into_result(Assessment { domain, level: level.unwrap_or_default(), note })
    }
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct PlanForm {
    #[serde(default)]
    pub domain: String,
    #[serde(default)]
    pub goal: String,
    #[serde(default)]
    pub due_on: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanItem {
    pub domain: String,
    pub goal: String,
    pub due_on: NaiveDate,
}

impl PlanForm {
    pub fn check(&self, today: NaiveDate) -> Result<PlanItem, FieldErrors> {
        let mut errors = FieldErrors::default();
        let domain = domain(&mut errors, &self.domain);
        let goal = text(&mut errors, "goal", &self.goal);
        let due_on = future_day(&mut errors, "due_on", &self.due_on, today);
        errors.into_result(PlanItem { domain, goal, due_on: due_on.unwrap_or(today) })
    }
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct ReviewForm {
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub next_review_on: String,
}

impl ReviewForm {
    pub fn check(&self, today: NaiveDate) -> Result<(String, NaiveDate), FieldErrors> {
        let mut errors = FieldErrors::default();
        let note = text(&mut errors, "note", &self.note);
        let next = future_day(&mut errors, "next_review_on", &self.next_review_on, today);
        errors.into_result((note, next.unwrap_or(today)))
    }
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct CloseForm {
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub note: String,
}

impl CloseForm {
    pub fn check(&self) -> Result<(String, String), FieldErrors> {
        let mut errors = FieldErrors::default();
        if !CLOSURE_REASONS.contains(&self.reason.as_str()) {
            errors.add("reason", "field-choice-invalid");
        }
        let note = self.note.trim().to_string();
        if self.reason == "other" && note.is_empty() {
            errors.add("note", "case-error-other-needs-note");
        }
        errors.into_result((self.reason.clone(), note))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
    }

    #[test]
    fn forms_name_each_bad_field() {
        let bad = AssessForm { domain: "astrology".into(), level: "7".into(), note: String::new() }.check();
        let errors = bad.unwrap_err();
        assert_eq!(
            (errors.code("domain"), errors.code("level")),
            (Some("field-choice-invalid"), Some("field-choice-invalid"))
        );
        let ok = AssessForm { domain: "housing".into(), level: "2".into(), note: " 월세 3개월 체납 ".into() }.check();
        assert_eq!(ok.unwrap(), Assessment { domain: "housing".into(), level: 2, note: "월세 3개월 체납".into() });

        let past =
            PlanForm { domain: "income".into(), goal: "긴급복지 신청".into(), due_on: "2026-11-01".into() };
        assert_eq!(past.check(today()).unwrap_err().code("due_on"), Some("case-error-day-past"));
        let empty = ReviewForm { note: " ".into(), next_review_on: "2027-02-30".into() }.check(today()).unwrap_err();
        assert_eq!(
            (empty.code("note"), empty.code("next_review_on")),
            (Some("field-required"), Some("field-date-invalid"))
        );
        let other = CloseForm { reason: "other".into(), note: String::new() }.check().unwrap_err();
        assert_eq!(other.code("note"), Some("case-error-other-needs-note"));
        assert!(CloseForm { reason: "resolved".into(), note: String::new() }.check().is_ok());
    }
}
