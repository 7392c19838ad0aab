//! "나에게 맞는 복지 찾기": a short form turned into an eligibility profile, checked against every service with
//! rules. Nothing is stored unless a signed-in resident saves the result (`mine::checks`).

use chrono::NaiveDate;
use eligibility::{Benefit, BenefitSet, Fact, MedianIncome, Outcome, Profile, Rules, Verdict, evaluate};
use serde::{Deserialize, Serialize};

use super::store::RuledService;
use crate::db::Db;
use crate::db::time::age_on;
use crate::error::FieldErrors;

/// The form as typed: every field optional, so what a resident leaves out is "unknown", never "no".
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct CheckForm {
    #[serde(default)]
    pub birth_date: String,
    #[serde(default)]
    pub area: String,
    #[serde(default)]
    pub household_size: String,
    #[serde(default)]
    pub monthly_income: String,
    #[serde(default)]
    pub assets: String,
    #[serde(default)]
    pub children: String,
    #[serde(default)]
    pub youngest_child_age: String,
    /// `yes` / `no` / empty per fact, named by `eligibility::Fact` (`disability`, `single_parent`, …).
    #[serde(default)]
    pub disability: String,
    #[serde(default)]
    pub single_parent: String,
    #[serde(default)]
    pub grandparent_family: String,
    #[serde(default)]
    pub multicultural: String,
    #[serde(default)]
    pub defector: String,
    #[serde(default)]
    pub veteran: String,
    #[serde(default)]
    pub pregnant: String,
    #[serde(default)]
    pub employed: String,
    /// Benefits received (`near_poor`, `basic_pension`, …); `none` means "none of them".
    #[serde(default)]
    pub benefits: Vec<String>,
    /// Set by the "save this result" button (residents): keep the result on 내 돌봄.
    #[serde(default, skip_serializing)]
    pub save: String,
}

pub const FACT_FIELDS: [(&str, Fact); 8] = [
    ("disability", Fact::Disability),
    ("single_parent", Fact::SingleParent),
    ("grandparent_family", Fact::GrandparentFamily),
    ("multicultural", Fact::Multicultural),
    ("defector", Fact::Defector),
    ("veteran", Fact::Veteran),
    ("pregnant", Fact::Pregnant),
    ("employed", Fact::Employed),
];

pub const BENEFIT_CODES: [(&str, Benefit); 12] = [
    ("livelihood_aid", Benefit::LivelihoodAid),
    ("medical_aid", Benefit::MedicalAid),
    ("housing_aid", Benefit::HousingAid),
    ("education_aid", Benefit::EducationAid),
    ("near_poor", Benefit::NearPoor),
    ("basic_pension", Benefit::BasicPension),
    ("disability_pension", Benefit::DisabilityPension),
    ("single_parent_support", Benefit::SingleParentSupport),
    ("child_allowance", Benefit::ChildAllowance),
    ("parent_benefit", Benefit::ParentBenefit),
    ("emergency_aid", Benefit::EmergencyAid),
    ("elderly_care", Benefit::ElderlyCare),
];

impl CheckForm {
    pub fn fact(&self, name: &str) -> &str {
        match name {
            "disability" => &self.disability,
            "single_parent" => &self.single_parent,
            "grandparent_family" => &self.grandparent_family,
            "multicultural" => &self.multicultural,
            "defector" => &self.defector,
            "veteran" => &self.veteran,
            "pregnant" => &self.pregnant,
            "employed" => &self.employed,
            _ => "",
        }
    }

    pub fn has_benefit(&self, code: &str) -> bool {
        self.benefits.iter().any(|b| b == code)
    }

    /// Every answer given, as the form's (name, value) pairs: to ask the same again, or to list what was said.
    pub fn answered(&self) -> Vec<(&'static str, String)> {
        let text = [
            ("birth_date", &self.birth_date),
            ("area", &self.area),
            ("household_size", &self.household_size),
            ("monthly_income", &self.monthly_income),
            ("assets", &self.assets),
            ("children", &self.children),
            ("youngest_child_age", &self.youngest_child_age),
        ];
        let facts = FACT_FIELDS.iter().map(|(name, _)| (*name, self.fact(name)));
        let benefits = self.benefits.iter().map(|b| ("benefits", b.as_str()));
        text.into_iter()
            .map(|(name, value)| (name, value.as_str()))
            .chain(facts)
            .chain(benefits)
            .filter(|(_, value)| !value.trim().is_empty())
            .map(|(name, value)| (name, value.trim().to_string()))
            .collect()
    }
}

/// The catalog key of a fact's name (`single_parent` → `fact-single-parent`).
pub fn fact_key(name: &str) -> String {
    format!("fact-{}", name.replace('_', "-"))
}

/// The catalog key of a benefit's name (`near_poor` → `benefit-near-poor`).
pub fn benefit_key(code: &str) -> String {
    format!("benefit-{}", code.replace('_', "-"))
}

/// Whole won: digits with optional commas and a trailing 원.
fn won(errors: &mut FieldErrors, field: &'static str, text: &str) -> Option<i64> {
    let cleaned: String =
        text.trim().trim_end_matches('원').chars().filter(|c| *c != ',' && !c.is_whitespace()).collect();
    if cleaned.is_empty() {
        return None;
    }
    match cleaned.parse::<i64>() {
        Ok(n) if n >= 0 => Some(n),
        Ok(_) => {
            errors.add(field, "field-amount-negative");
            None
        }
        Err(_) => {
            errors.add(field, "field-amount-invalid");
            None
        }
    }
}

fn count(errors: &mut FieldErrors, field: &'static str, text: &str, max: u32) -> Option<u32> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    match t.parse::<u32>() {
        Ok(n) if n <= max => Some(n),
        _ => {
            errors.add(field, "field-number-invalid");
            None
        }
    }
}

impl CheckForm {
    /// The profile the form describes on `today` (Asia/Seoul), or a message per impossible field.
    pub fn profile(&self, today: NaiveDate, known_area: impl Fn(&str) -> bool) -> Result<Profile, FieldErrors> {
        let mut errors = FieldErrors::default();
        let age = match self.birth_date.trim() {
            "" => None,
            text => match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
                Ok(birth) if birth > today => {
                    errors.add("birth_date", "field-birth-date-future");
                    None
                }
                Ok(birth) if age_on(birth, today) > 130 => {
                    errors.add("birth_date", "field-birth-date-invalid");
                    None
                }
                Ok(birth) => Some(age_on(birth, today) as u32),
                Err(_) => {
                    errors.add("birth_date", "field-date-invalid");
                    None
                }
            },
        };
        let residence = match self.area.trim() {
            "" => None,
            code if known_area(code) => Some(code.to_string()),
            _ => {
                errors.add("area", "field-choice-invalid");
                None
            }
        };
        let mut profile = Profile {
            age,
            residence,
            household_size: count(&mut errors, "household_size", &self.household_size, 30),
            monthly_income: won(&mut errors, "monthly_income", &self.monthly_income),
            assets: won(&mut errors, "assets", &self.assets),
            children: count(&mut errors, "children", &self.children, 20),
            youngest_child_age: count(&mut errors, "youngest_child_age", &self.youngest_child_age, 30),
            ..Profile::default()
        };
        for (name, fact) in FACT_FIELDS {
            let value = match self.fact(name) {
                "yes" => Some(true),
                "no" => Some(false),
                _ => None,
            };
            profile.facts.set(fact, value);
        }
        if !self.benefits.is_empty() {
            let chosen: Vec<Benefit> =
                BENEFIT_CODES.iter().filter(|(code, _)| self.has_benefit(code)).map(|(_, b)| *b).collect();
            profile.benefits = Some(BenefitSet::of(&chosen));
        }
        if let Err(problems) = profile.validate() {
            for problem in problems {
                errors.add(problem.field(), "field-profile-impossible");
            }
        }
        errors.into_result(profile)
    }
}

/// One service's verdict for the results page.
pub struct Checked {
    pub service: RuledService,
    pub verdict: Verdict,
}

/// Every service with rules, evaluated: (eligible, needs checking, number ruled out).
pub fn check_all(profile: &Profile, services: Vec<RuledService>, median: &MedianIncome) -> Found {
    let mut eligible = Vec::new();
    let mut unknown = Vec::new();
    let mut ruled_out = 0;
    for service in services {
        let Ok(rules) = serde_json::from_str::<Rules>(&service.rules) else { continue };
        let verdict = evaluate(profile, &rules, median);
        match verdict.outcome {
            Outcome::Eligible => eligible.push(Checked { service, verdict }),
            Outcome::Unknown => unknown.push(Checked { service, verdict }),
            Outcome::NotEligible => ruled_out += 1,
        }
    }
    (eligible, unknown, ruled_out)
}

/// [`check_all`] over the municipality's services with rules, against this year's official median income.
pub async fn check_services(db: &Db, municipality: &str, profile: &Profile) -> Result<Found, sqlx::Error> {
    let services = super::store::services_with_rules(db, municipality).await?;
    Ok(check_all(profile, services, &MedianIncome::official()))
}

/// What a check found: (eligible, needs checking, number ruled out).
pub type Found = (Vec<Checked>, Vec<Checked>, usize);

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
    }

    #[test]
    fn a_filled_form_becomes_a_profile() {
        let form = CheckForm {
            birth_date: "1956-03-01".into(),
            area: "1135063000".into(),
            household_size: "1".into(),
            monthly_income: "1,200,000원".into(),
            disability: "no".into(),
            benefits: vec!["none".into()],
            ..CheckForm::default()
        };
        let profile = form.profile(today(), |a| a.starts_with("1135")).unwrap();
        assert_eq!(profile.age, Some(70));
        assert_eq!(profile.monthly_income, Some(1_200_000));
        assert_eq!(profile.facts.disability, Some(false));
        assert_eq!(profile.facts.single_parent, None, "left blank is unknown, not no");
        assert_eq!(profile.benefits, Some(BenefitSet::default()));
    }

    #[test]
    fn impossible_answers_are_named() {
        let form = CheckForm {
            birth_date: "2030-01-01".into(),
            monthly_income: "-5".into(),
            household_size: "2".into(),
            children: "5".into(),
            area: "9999".into(),
            assets: "많음".into(),
            ..CheckForm::default()
        };
        let errors = form.profile(today(), |_| false).unwrap_err();
        assert_eq!(errors.code("birth_date"), Some("field-birth-date-future"));
        assert_eq!(errors.code("monthly_income"), Some("field-amount-negative"));
        assert_eq!(errors.code("area"), Some("field-choice-invalid"));
        assert_eq!(errors.code("assets"), Some("field-amount-invalid"));
        assert_eq!(errors.code("children"), Some("field-profile-impossible"));
    }
}
