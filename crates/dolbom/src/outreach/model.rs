//! Visit forms, checked at the edge.

use chrono::NaiveDate;
use serde::Deserialize;

use crate::cases::model::{date, text};
use crate::error::FieldErrors;

/// What a worker may flag on a visit.
pub const RISK_FLAGS: [&str; 7] = ["isolation", "arrears", "health", "food", "housing", "neglect", "crisis"];

#[derive(Clone, Debug, Default, Deserialize)]
pub struct ScheduleForm {
    #[serde(default)]
    pub scheduled_on: String,
}

impl ScheduleForm {
    pub fn check(&self, today: NaiveDate) -> Result<NaiveDate, FieldErrors> {
        let mut errors = FieldErrors::default();
        match date(&self.scheduled_on) {
            None => errors.add("scheduled_on", "field-date-invalid"),
            Some(d) if d < today => errors.add("scheduled_on", "case-error-day-past"),
            Some(d) => return Ok(d),
        }
        Err(errors)
    }
}

/// The record of a visit as the form sends it: flags come as repeated `flag` fields.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct RecordForm {
    #[serde(default)]
    pub outcome: String,
    #[serde(default)]
    pub notes: String,
    #[serde(default)]
    pub risk_level: String,
    #[serde(default, rename = "flag")]
    pub flags: Vec<String>,
    #[serde(default)]
    pub task: String,
    #[serde(default)]
    pub task_due_on: String,
}

impl RecordForm {
    pub fn check(&self, today: NaiveDate) -> Result<VisitRecord, FieldErrors> {
        let mut errors = FieldErrors::default();
        let made = match self.outcome.as_str() {
            "done" => true,
            "missed" => false,
            _ => {
                errors.add("outcome", "field-choice-invalid");
                true
            }
        };
        let notes = text(&mut errors, "notes", &self.notes);
        let risk_level = self.risk_level.trim().parse::<i32>().ok().filter(|l| (0..=3).contains(l));
        if made && risk_level.is_none() {
            errors.add("risk_level", "field-choice-invalid");
        }
        if self.flags.iter().any(|f| !RISK_FLAGS.contains(&f.as_str())) {
            errors.add("flag", "field-choice-invalid");
        }
        let task = self.task.trim().to_string();
        let task_due_on = if task.is_empty() {
            None
        } else {
            match date(&self.task_due_on) {
                None => {
                    errors.add("task_due_on", "field-date-invalid");
                    None
                }
                Some(d) if d < today => {
                    errors.add("task_due_on", "case-error-day-past");
                    None
                }
                Some(d) => Some(d),
            }
        };
        let mut flags: Vec<String> =
            RISK_FLAGS.iter().filter(|f| self.flags.iter().any(|g| g == *f)).map(|f| f.to_string()).collect();
        flags.dedup();
        errors.into_result(VisitRecord {
            made,
            notes,
            risk_level: if made { risk_level.unwrap_or_default() } else { 0 },
            flags: if made { flags } else { Vec::new() },
            task: task_due_on.map(|d| (task, d)),
        })
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VisitRecord {
    /// Whether the visit was made (otherwise the household was not met).
    pub made: bool,
    pub notes: String,
    pub risk_level: i32,
    pub flags: Vec<String>,
    /// A follow-up task for the worker and its due day.
    pub task: Option<(String, NaiveDate)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(items: &[(&str, &str)]) -> RecordForm {
        let query: Vec<String> =
            items.iter().map(|(k, v)| format!("{k}={}", crate::web::layout::url_encode(v))).collect();
        serde_html_form::from_str(&query.join("&")).unwrap()
    }

    #[test]
    fn a_visit_record_keeps_known_flags_in_order_and_asks_for_a_due_day() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        let ok = pairs(&[
            ("outcome", "done"),
            ("notes", "난방 끊김"),
            ("risk_level", "3"),
            ("flag", "housing"),
            ("flag", "isolation"),
        ])
        .check(today)
        .unwrap();
        assert_eq!(ok.flags, ["isolation", "housing"]);
        assert_eq!((ok.risk_level, ok.task.is_none()), (3, true));
        let bad =
            pairs(&[("outcome", "done"), ("notes", "x"), ("risk_level", "9"), ("flag", "ufo"), ("task", "재방문")])
                .check(today)
                .unwrap_err();
        assert_eq!(bad.code("risk_level"), Some("field-choice-invalid"));
        assert_eq!(bad.code("flag"), Some("field-choice-invalid"));
        assert_eq!(bad.code("task_due_on"), Some("field-date-invalid"));
        let missed = pairs(&[("outcome", "missed"), ("notes", "부재중, 문앞 안내문")]).check(today).unwrap();
        assert!(!missed.made && missed.flags.is_empty());
        assert_eq!(
            ScheduleForm { scheduled_on: "2026-11-01".into() }.check(today).unwrap_err().code("scheduled_on"),
            Some("case-error-day-past")
        );
    }
}
