//! What a resident tells about their household. Every fact is optional: what is not told makes a criterion
//! "unknown", never "not eligible".

use serde::{Deserialize, Serialize};

use crate::benefit::BenefitSet;

/// Yes/no facts about the household.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fact {
    /// 등록 장애인이 있는 가구
    Disability,
    /// 한부모가족
    SingleParent,
    /// 조손가족
    GrandparentFamily,
    /// 다문화가족 (결혼이민자 포함)
    Multicultural,
    /// 북한이탈주민
    Defector,
    /// 국가보훈대상자
    Veteran,
    /// 임신 중
    Pregnant,
    /// 취업 중
    Employed,
}

impl Fact {
    pub const ALL: [Fact; 8] = [
        Fact::Disability,
        Fact::SingleParent,
        Fact::GrandparentFamily,
        Fact::Multicultural,
        Fact::Defector,
        Fact::Veteran,
        Fact::Pregnant,
        Fact::Employed,
    ];
}

/// The yes/no facts, each known or not.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Facts {
    pub disability: Option<bool>,
    pub single_parent: Option<bool>,
    pub grandparent_family: Option<bool>,
    pub multicultural: Option<bool>,
    pub defector: Option<bool>,
    pub veteran: Option<bool>,
    pub pregnant: Option<bool>,
    pub employed: Option<bool>,
}

impl Facts {
    pub fn get(&self, fact: Fact) -> Option<bool> {
        match fact {
            Fact::Disability => self.disability,
            Fact::SingleParent => self.single_parent,
            Fact::GrandparentFamily => self.grandparent_family,
            Fact::Multicultural => self.multicultural,
            Fact::Defector => self.defector,
            Fact::Veteran => self.veteran,
            Fact::Pregnant => self.pregnant,
            Fact::Employed => self.employed,
        }
    }

    pub fn set(&mut self, fact: Fact, value: Option<bool>) {
        let slot = match fact {
            Fact::Disability => &mut self.disability,
            Fact::SingleParent => &mut self.single_parent,
            Fact::GrandparentFamily => &mut self.grandparent_family,
            Fact::Multicultural => &mut self.multicultural,
            Fact::Defector => &mut self.defector,
            Fact::Veteran => &mut self.veteran,
            Fact::Pregnant => &mut self.pregnant,
            Fact::Employed => &mut self.employed,
        };
        *slot = value;
    }
}

/// A resident's household as far as they told it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Profile {
    /// 만 나이 of the person the service is for, on the day that matters.
    pub age: Option<u32>,
    /// Where they live: a 행정동 code (`adm_cd2`, 10 digits) or a coarser prefix (시군구 5, 시도 2).
    pub residence: Option<String>,
    pub household_size: Option<u32>,
    /// Household monthly income (소득인정액) in whole won.
    pub monthly_income: Option<i64>,
    /// Household assets in whole won.
    pub assets: Option<i64>,
    pub children: Option<u32>,
    /// 만 나이 of the youngest child.
    pub youngest_child_age: Option<u32>,
    pub facts: Facts,
    /// Benefits already received; `None` when not told.
    pub benefits: Option<BenefitSet>,
}

/// A fact the resident has not told that a criterion needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "needed", content = "fact")]
pub enum Needed {
    Age,
    Residence,
    HouseholdSize,
    MonthlyIncome,
    Assets,
    Children,
    YoungestChildAge,
    Fact(Fact),
    Benefits,
}

/// A profile that cannot describe a real household.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(rename_all = "snake_case", tag = "error")]
pub enum ProfileError {
    #[error("age must be between 0 and 130")]
    Age,
    #[error("residence must be 2 to 10 digits")]
    Residence,
    #[error("household size must be between 1 and 30")]
    HouseholdSize,
    #[error("income cannot be negative")]
    NegativeIncome,
    #[error("assets cannot be negative")]
    NegativeAssets,
    #[error("a household cannot have more children than members")]
    TooManyChildren,
    #[error("the youngest child's age needs at least one child")]
    YoungestChildWithoutChildren,
}

impl ProfileError {
    /// The profile field the error is about.
    pub fn field(&self) -> &'static str {
        match self {
            ProfileError::Age => "age",
            ProfileError::Residence => "residence",
            ProfileError::HouseholdSize => "household_size",
            ProfileError::NegativeIncome => "monthly_income",
            ProfileError::NegativeAssets => "assets",
            ProfileError::TooManyChildren => "children",
            ProfileError::YoungestChildWithoutChildren => "youngest_child_age",
        }
    }
}

impl Profile {
    /// Every impossibility at once, so a form can mark each field.
    pub fn validate(&self) -> Result<(), Vec<ProfileError>> {
        let mut errors = Vec::new();
        if self.age.is_some_and(|a| a > 130) {
            errors.push(ProfileError::Age);
        }
        if self
            .residence
            .as_ref()
            .is_some_and(|r| !(2..=10).contains(&r.len()) || !r.bytes().all(|b| b.is_ascii_digit()))
        {
            errors.push(ProfileError::Residence);
        }
        if self.household_size.is_some_and(|n| !(1..=30).contains(&n)) {
            errors.push(ProfileError::HouseholdSize);
        }
        if self.monthly_income.is_some_and(|i| i < 0) {
            errors.push(ProfileError::NegativeIncome);
        }
        if self.assets.is_some_and(|a| a < 0) {
            errors.push(ProfileError::NegativeAssets);
        }
        // Children may be the whole household (소년소녀가정), never more than it.
        if let (Some(children), Some(size)) = (self.children, self.household_size)
            && children > size
        {
            errors.push(ProfileError::TooManyChildren);
        }
        if self.youngest_child_age.is_some() && self.children == Some(0) {
            errors.push(ProfileError::YoungestChildWithoutChildren);
        }
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn impossible_households_are_named_field_by_field() {
        let profile = Profile {
            age: Some(200),
            residence: Some("노원".into()),
            household_size: Some(2),
            monthly_income: Some(-1),
            assets: Some(-5),
            children: Some(3),
            youngest_child_age: None,
            ..Profile::default()
        };
        let errors = profile.validate().unwrap_err();
        let fields: Vec<_> = errors.iter().map(ProfileError::field).collect();
        assert_eq!(fields, ["age", "residence", "monthly_income", "assets", "children"]);
    }

    #[test]
    fn an_empty_profile_is_valid() {
        assert!(Profile::default().validate().is_ok());
        let family = Profile { household_size: Some(3), children: Some(2), ..Profile::default() };
        assert!(family.validate().is_ok());
    }
}
