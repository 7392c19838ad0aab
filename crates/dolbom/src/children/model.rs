//! A child as the guardian registers it, and the checks of the registration form: every wrong field named at once,
//! a 주민등록번호 checked against the birth date and sex it encodes.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::db::time::age_on;
use crate::error::FieldErrors;
use crate::keys::{Rrn, RrnError};

/// Consents a guardian can give; `data` (collection and use of the child's data) is required to register.
pub const CONSENTS: [&str; 4] = ["data", "emergency_care", "photos", "share_with_provider"];
/// Emergency contacts a child can have on file.
pub const MAX_CONTACTS: usize = 3;
/// The oldest a child registered for care can be (만 나이).
pub const MAX_AGE: i32 = 18;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Contact {
    pub name: String,
    pub relation: String,
    pub phone: String,
}

/// A child ready to be stored (the 주민등록번호 still in memory only).
#[derive(Clone, Debug)]
pub struct NewChild {
    pub name: String,
    pub birth_date: NaiveDate,
    pub sex: char,
    pub school: Option<String>,
    pub special_needs: String,
    pub allergies: String,
    pub rrn: Option<Rrn>,
    pub contacts: Vec<Contact>,
    pub consents: Vec<String>,
}

/// The form as typed; contacts come as parallel lists (one entry per row of the form).
#[derive(Clone, Debug, Default, Deserialize)]
pub struct ChildForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub birth_date: String,
    #[serde(default)]
    pub sex: String,
    #[serde(default)]
    pub school: String,
    #[serde(default)]
    pub special_needs: String,
    #[serde(default)]
    pub allergies: String,
    #[serde(default)]
    pub rrn: String,
    #[serde(default)]
    pub contact_name: Vec<String>,
    #[serde(default)]
    pub contact_relation: Vec<String>,
    #[serde(default)]
    pub contact_phone: Vec<String>,
    #[serde(default)]
    pub consent: Vec<String>,
}

/// Korean phone numbers as people write them: 02-123-4567, 010-1234-5678, 0311234567.
fn is_phone(text: &str) -> bool {
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    text.chars().all(|c| c.is_ascii_digit() || c == '-' || c == ' ')
        && digits.starts_with('0')
        && (9..=11).contains(&digits.len())
}

fn short_text(errors: &mut FieldErrors, field: &'static str, text: &str, max: usize) -> String {
    let t = text.trim();
    if t.chars().count() > max || t.chars().any(char::is_control) {
        errors.add(field, "field-text-too-long");
    }
    t.to_string()
}

impl ChildForm {
    pub fn contact_rows(&self) -> Vec<(String, String, String)> {
        (0..MAX_CONTACTS)
            .map(|i| {
                let at = |v: &Vec<String>| v.get(i).cloned().unwrap_or_default();
                (at(&self.contact_name), at(&self.contact_relation), at(&self.contact_phone))
            })
            .collect()
    }

    pub fn consents_to(&self, kind: &str) -> bool {
        self.consent.iter().any(|c| c == kind)
    }

    /// The child, or every field that is wrong. `today` is Seoul's date.
    pub fn check(&self, today: NaiveDate) -> Result<NewChild, FieldErrors> {
        let mut errors = FieldErrors::default();
        let name = short_text(&mut errors, "name", &self.name, 40);
        if name.is_empty() {
            errors.add("name", "field-required");
        }
        let birth_date = match NaiveDate::parse_from_str(self.birth_date.trim(), "%Y-%m-%d") {
            Ok(d) if d > today => {
                errors.add("birth_date", "field-birth-date-future");
                None
            }
            Ok(d) if age_on(d, today) > MAX_AGE => {
                errors.add("birth_date", "child-error-too-old");
                None
            }
            Ok(d) => Some(d),
            Err(_) => {
                errors.add(
                    "birth_date",
                    if self.birth_date.trim().is_empty() { "field-required" } else { "field-date-invalid" },
                );
                None
            }
        };
        let sex = match self.sex.trim() {
            "F" => Some('F'),
            "M" => Some('M'),
            _ => {
                errors.add("sex", "field-choice-invalid");
                None
            }
        };
        let rrn = match self.rrn.trim() {
            "" => None,
            text => match Rrn::parse_checked(text) {
                Ok(rrn)
                    if birth_date.is_some_and(|d| rrn.birth_date() != Some(d))
                        || sex.is_some_and(|s| rrn.sex() != s) =>
                {
                    errors.add("rrn", "child-error-rrn-mismatch");
                    None
                }
                Ok(rrn) => Some(rrn),
                Err(RrnError::CheckDigit) => {
                    errors.add("rrn", "rrn-error-check-digit");
                    None
                }
                Err(RrnError::Shape) => {
                    errors.add("rrn", "child-error-rrn-invalid");
                    None
                }
            },
        };
        let mut contacts = Vec::new();
        for (name, relation, phone) in self.contact_rows() {
            let (name, relation, phone) =
                (name.trim().to_string(), relation.trim().to_string(), phone.trim().to_string());
            if name.is_empty() && relation.is_empty() && phone.is_empty() {
                continue;
            }
            if name.is_empty() || relation.is_empty() || !is_phone(&phone) || name.chars().count() > 40 {
                errors.add("contact", "child-error-contact");
                continue;
            }
            contacts.push(Contact { name, relation, phone });
        }
        if contacts.is_empty() {
            errors.add("contact", "child-error-contact-required");
        }
        let consents: Vec<String> = CONSENTS.iter().filter(|c| self.consents_to(c)).map(|c| c.to_string()).collect();
        if !consents.iter().any(|c| c == "data") {
            errors.add("consent", "child-error-consent-data");
        }
        let school = short_text(&mut errors, "school", &self.school, 60);
        let special_needs = short_text(&mut errors, "special_needs", &self.special_needs, 500);
        let allergies = short_text(&mut errors, "allergies", &self.allergies, 500);
        match (birth_date, sex) {
            (Some(birth_date), Some(sex)) if errors.is_empty() => Ok(NewChild {
                name,
                birth_date,
                sex,
                school: Some(school).filter(|s| !s.is_empty()),
                special_needs,
                allergies,
                rrn,
                contacts,
                consents,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> ChildForm {
        ChildForm {
            name: "김하늘".into(),
            birth_date: "2018-05-04".into(),
            sex: "F".into(),
            rrn: "180504-4123452".into(),
            contact_name: vec!["김엄마".into()],
            contact_relation: vec!["어머니".into()],
            contact_phone: vec!["010-1234-5678".into()],
            consent: vec!["data".into(), "emergency_care".into()],
            ..ChildForm::default()
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
    }

    #[test]
    fn a_complete_form_gives_a_child() {
        let child = form().check(today()).unwrap();
        assert_eq!((child.sex, child.contacts.len(), child.consents.len()), ('F', 1, 2));
        assert_eq!(child.rrn.map(|r| r.masked()), Some("180504-4******".to_string()));
    }

    #[test]
    fn impossible_answers_are_named_field_by_field() {
        let mut bad = form();
        bad.birth_date = "2030-01-01".into();
        bad.sex = "X".into();
        bad.rrn = "123".into();
        bad.contact_phone = vec!["전화 없음".into()];
        bad.consent.clear();
        let errors = bad.check(today()).unwrap_err();
        assert_eq!(errors.code("birth_date"), Some("field-birth-date-future"));
        assert_eq!(errors.code("sex"), Some("field-choice-invalid"));
        assert_eq!(errors.code("rrn"), Some("child-error-rrn-invalid"));
        assert_eq!(errors.code("contact"), Some("child-error-contact"));
        assert_eq!(errors.code("consent"), Some("child-error-consent-data"));

        let mut mismatch = form();
        mismatch.rrn = "180504-3123450".into(); // a boy's number for a girl
        assert_eq!(mismatch.check(today()).unwrap_err().code("rrn"), Some("child-error-rrn-mismatch"));
        let mut typo = form();
        typo.rrn = "180504-4123457".into(); // one digit off: the check digit no longer follows
        assert_eq!(typo.check(today()).unwrap_err().code("rrn"), Some("rrn-error-check-digit"));
        let mut old = form();
        old.birth_date = "2000-01-01".into();
        old.rrn = String::new();
        assert_eq!(old.check(today()).unwrap_err().code("birth_date"), Some("child-error-too-old"));
    }
}
