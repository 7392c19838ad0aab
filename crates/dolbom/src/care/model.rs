//! A care application as the guardian asks for it, the checks of the form (every broken rule named at once, in
//! the guardian's language), and the statuses an application goes through.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use serde::{Deserialize, Serialize};

use super::rules::{self, Refusal, SERVICES, Service};
use crate::error::FieldErrors;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Submitted,
    Matched,
    Confirmed,
    CheckedIn,
    CheckedOut,
    Completed,
    Cancelled,
    NoShow,
    NoMatch,
}

pub const STATUSES: [Status; 9] = [
    Status::Submitted,
    Status::Matched,
    Status::Confirmed,
    Status::CheckedIn,
    Status::CheckedOut,
    Status::Completed,
    Status::Cancelled,
    Status::NoShow,
    Status::NoMatch,
];

impl Status {
    pub fn code(self) -> &'static str {
        match self {
            Status::Submitted => "submitted",
            Status::Matched => "matched",
            Status::Confirmed => "confirmed",
            Status::CheckedIn => "checked_in",
            Status::CheckedOut => "checked_out",
            Status::Completed => "completed",
            Status::Cancelled => "cancelled",
            Status::NoShow => "no_show",
            Status::NoMatch => "no_match",
        }
    }

    pub fn parse(code: &str) -> Option<Status> {
        STATUSES.into_iter().find(|s| s.code() == code)
    }

    /// The guardian may still cancel: care has not begun.
    pub fn cancellable(self) -> bool {
        matches!(self, Status::Submitted | Status::Matched | Status::Confirmed)
    }

    /// Ended without care: the child's hours are free again.
    pub fn releases_hours(self) -> bool {
        matches!(self, Status::Cancelled | Status::NoMatch)
    }
}

impl Service {
    pub fn parse(code: &str) -> Option<Service> {
        SERVICES.into_iter().find(|s| s.code() == code)
    }
}

/// Why care is asked (`care-reason-*`).
pub const REASONS: [&str; 5] = ["work", "illness", "family_event", "emergency", "other"];

/// The application form as typed.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct ApplyForm {
    #[serde(default)]
    pub child_id: String,
    #[serde(default)]
    pub service: String,
    #[serde(default)]
    pub first_day: String,
    #[serde(default)]
    pub days: String,
    #[serde(default)]
    pub start: String,
    #[serde(default)]
    pub end: String,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub dong: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub caregiver_sex: String,
    #[serde(default)]
    pub language: String,
    #[serde(default)]
    pub notes: String,
}

/// An application that passed the form's checks (the child's age and the service's rules are checked with the
/// child's birth date, in [`ApplyForm::check`]).
#[derive(Clone, Debug)]
pub struct NewApplication {
    pub child_id: String,
    pub service: Service,
    pub first_day: NaiveDate,
    pub days: u32,
    pub start: u16,
    pub end: u16,
    pub reason: String,
    pub adm_cd2: String,
    pub address: String,
    pub caregiver_sex: Option<String>,
    pub language: Option<String>,
    pub notes: String,
}

fn minute_of(text: &str) -> Option<u16> {
    if text.trim() == "24:00" {
        return Some(1440);
    }
    let t = NaiveTime::parse_from_str(text.trim(), "%H:%M").ok()?;
    Some((t.hour() * 60 + t.minute()) as u16)
}

fn time_of(minute: u16) -> NaiveTime {
    NaiveTime::from_hms_opt(u32::from(minute.min(1439)) / 60, u32::from(minute.min(1439)) % 60, 0).unwrap_or_default()
}

impl ApplyForm {
    /// Checks the form for a child born on `birth_date` (`None`: not one of the guardian's children), asked at
    /// `now` (Asia/Seoul); `is_dong` tells whether a 행정동 code is the municipality's.
    pub fn check(
        &self,
        birth_date: Option<NaiveDate>,
        now: NaiveDateTime,
        is_dong: impl Fn(&str) -> bool,
    ) -> Result<NewApplication, FieldErrors> {
        let mut errors = FieldErrors::default();
        if birth_date.is_none() {
            errors.add("child_id", "care-error-child");
        }
        let service = Service::parse(&self.service);
        if service.is_none() {
            errors.add("service", "field-choice-invalid");
        }
        let first_day = NaiveDate::parse_from_str(self.first_day.trim(), "%Y-%m-%d").ok();
        if first_day.is_none() {
            errors.add("first_day", "field-date-invalid");
        }
        let days: u32 = if self.days.trim().is_empty() { 1 } else { self.days.trim().parse().unwrap_or(0) };
        let (start, end) = (minute_of(&self.start), minute_of(&self.end));
        if start.is_none_or(|s| s >= 1440) {
            errors.add("start", "field-time-invalid");
        }
        if end.is_none_or(|e| e == 0) {
            errors.add("end", "field-time-invalid");
        }
        if !REASONS.contains(&self.reason.as_str()) {
            errors.add("reason", "field-choice-invalid");
        }
        if !is_dong(&self.dong) {
            errors.add("dong", "field-choice-invalid");
        }
        let address = self.address.trim();
        if address.is_empty() {
            errors.add("address", "field-required");
        } else if address.chars().count() > 200 || address.chars().any(char::is_control) {
            errors.add("address", "field-text-too-long");
        }
        let caregiver_sex = match self.caregiver_sex.as_str() {
            "" => None,
            "F" | "M" => Some(self.caregiver_sex.clone()),
            _ => {
                errors.add("caregiver_sex", "field-choice-invalid");
                None
            }
        };
        let language = match self.language.as_str() {
            "" => None,
            code if crate::places::model::LANGUAGES.contains(&code) => Some(code.to_string()),
            _ => {
                errors.add("language", "field-choice-invalid");
                None
            }
        };
        if self.notes.chars().count() > 1000 {
            errors.add("notes", "field-text-too-long");
        }
        if let (Some(service), Some(birth), Some(first_day), Some(start), Some(end)) =
            (service, birth_date, first_day, start, end)
        {
            let request = rules::Request {
                birth_date: birth,
                first_day,
                days,
                start: time_of(start),
                end: if end == 1440 { NaiveTime::MIN } else { time_of(end) },
                asked_at: now,
            };
            for refusal in rules::check(&service.rules(), &request) {
                errors.add(refusal_field(refusal), refusal.key());
            }
        }
        errors.into_result(())?;
        Ok(NewApplication {
            child_id: self.child_id.clone(),
            service: service.unwrap_or(Service::HomeVisit),
            first_day: first_day.unwrap_or_default(),
            days,
            start: start.unwrap_or_default(),
            end: end.unwrap_or_default(),
            reason: self.reason.clone(),
            adm_cd2: self.dong.clone(),
            address: address.to_string(),
            caregiver_sex,
            language,
            notes: self.notes.trim().to_string(),
        })
    }
}

/// The field a broken rule is shown at.
fn refusal_field(refusal: Refusal) -> &'static str {
    match refusal {
        Refusal::TooYoung | Refusal::TooOld => "child_id",
        Refusal::OutsideHours | Refusal::EndsBeforeStart => "start",
        Refusal::TooLateToday | Refusal::NightTooLate | Refusal::InThePast => "first_day",
        Refusal::TooManyDays => "days",
    }
}

/// `HH:MM` of a minute count, 1440 reading `24:00`.
pub fn clock(minute: i32) -> String {
    crate::places::hours::clock(minute.clamp(0, 1440) as u16)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> ApplyForm {
        ApplyForm {
            child_id: "c1".into(),
            service: "elementary_emergency".into(),
            first_day: "2026-11-28".into(),
            days: "1".into(),
            start: "10:00".into(),
            end: "14:00".into(),
            reason: "work".into(),
            dong: "1135056000".into(),
            address: "노원구 상계로 1".into(),
            ..ApplyForm::default()
        }
    }

    fn friday_morning() -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 11, 27).unwrap().and_hms_opt(9, 0, 0).unwrap()
    }

    #[test]
    fn a_good_application_passes() {
        let app = form().check(NaiveDate::from_ymd_opt(2018, 3, 1), friday_morning(), |d| d == "1135056000").unwrap();
        assert_eq!((app.start, app.end, app.days), (600, 840, 1));
    }

    #[test]
    fn every_broken_rule_is_named_at_its_field() {
        let bad = ApplyForm { start: "8:00x".into(), reason: "bored".into(), dong: "x".into(), ..form() };
        let errors = bad.check(None, friday_morning(), |_| false).unwrap_err();
        for field in ["child_id", "start", "reason", "dong"] {
            assert!(errors.has(field), "{field}: {errors:?}");
        }
        // A four-year-old for 초등 긴급돌봄, at 07:00 on a Saturday (before the 08:00 opening).
        let young = ApplyForm { start: "07:00".into(), ..form() };
        let errors = young.check(NaiveDate::from_ymd_opt(2022, 3, 1), friday_morning(), |_| true).unwrap_err();
        assert_eq!(errors.code("child_id"), Some("care-rule-too-young"));
        assert_eq!(errors.code("start"), Some("care-rule-outside-hours"));
    }
}
