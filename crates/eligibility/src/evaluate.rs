//! The verdict: per criterion met / not met / missing, and overall eligible / unknown / not eligible.

use rayon::prelude::*;
use serde::Serialize;

use crate::benefit::BenefitSet;
use crate::median::MedianIncome;
use crate::profile::{Fact, Needed, Profile};
use crate::rules::{Criterion, Rules};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Met,
    NotMet,
    /// The profile lacks a fact the criterion needs.
    Missing,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Eligible,
    /// Nothing rules the household out, but some facts are missing.
    Unknown,
    NotEligible,
}

/// What would change a criterion's answer: the condition to meet, or the facts to tell.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum WhatIf {
    AgeBetween {
        min: Option<u32>,
        max: Option<u32>,
    },
    LiveIn {
        prefixes: Vec<String>,
    },
    HouseholdSizeBetween {
        min: Option<u32>,
        max: Option<u32>,
    },
    /// "월 소득이 2,392,013원 이하이면 대상입니다"
    IncomeAtMost {
        limit_krw: i64,
        household_size: u32,
        percent: u32,
    },
    IncomeAtMostKrw {
        limit_krw: i64,
    },
    AssetsAtMost {
        limit_krw: i64,
    },
    Fact {
        fact: Fact,
        required: bool,
    },
    ChildrenAtLeast {
        min: u32,
    },
    YoungestChildAgeAtMost {
        max: u32,
    },
    Receive {
        benefits: BenefitSet,
    },
    NotReceive {
        benefits: BenefitSet,
    },
    /// Any one of these would do.
    AnyOf {
        options: Vec<WhatIf>,
    },
    /// All of these together.
    AllOf {
        conditions: Vec<WhatIf>,
    },
    /// Tell these facts to get an answer.
    Tell {
        needed: Vec<Needed>,
    },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Reason {
    pub criterion: Criterion,
    pub status: Status,
    /// `None` when the criterion is met.
    pub what_if: Option<WhatIf>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Verdict {
    pub outcome: Outcome,
    pub reasons: Vec<Reason>,
}

fn range(value: Option<u32>, min: Option<u32>, max: Option<u32>) -> Status {
    match value {
        None => Status::Missing,
        Some(v) if min.is_none_or(|lo| v >= lo) && max.is_none_or(|hi| v <= hi) => Status::Met,
        Some(_) => Status::NotMet,
    }
}

fn yes(condition: bool) -> Status {
    if condition { Status::Met } else { Status::NotMet }
}

fn residence(lives: Option<&str>, prefixes: &[String]) -> Status {
    let Some(lives) = lives else { return Status::Missing };
    if prefixes.iter().any(|p| lives.starts_with(p.as_str())) {
        Status::Met
    } else if prefixes.iter().any(|p| p.starts_with(lives)) {
        // Told only the 구 where the rule names a 동 inside it.
        Status::Missing
    } else {
        Status::NotMet
    }
}

fn status(criterion: &Criterion, p: &Profile, median: &MedianIncome, year: i32) -> Status {
    match criterion {
        Criterion::Age { min, max } => range(p.age, *min, *max),
        Criterion::Residence { prefixes } => residence(p.residence.as_deref(), prefixes),
        Criterion::HouseholdSize { min, max } => range(p.household_size, *min, *max),
        Criterion::IncomeAtMostPercentOfMedian { max_percent } => match (p.household_size, p.monthly_income) {
            (Some(size), Some(income)) => match median.limit(year, size, *max_percent) {
                Some(limit) => yes(income <= limit),
                None => Status::Missing,
            },
            _ => Status::Missing,
        },
        Criterion::IncomeAtMostKrw { max_krw } => p.monthly_income.map_or(Status::Missing, |i| yes(i <= *max_krw)),
        Criterion::AssetsAtMost { max_krw } => p.assets.map_or(Status::Missing, |a| yes(a <= *max_krw)),
        Criterion::Fact { fact, required } => p.facts.get(*fact).map_or(Status::Missing, |v| yes(v == *required)),
        Criterion::ChildrenAtLeast { min } => p.children.map_or(Status::Missing, |n| yes(n >= *min)),
        Criterion::YoungestChildAgeAtMost { max } => match (p.children, p.youngest_child_age) {
            (Some(0), _) => Status::NotMet,
            (_, Some(age)) => yes(age <= *max),
            (_, None) => Status::Missing,
        },
        Criterion::ReceivesAnyOf { benefits } => p.benefits.map_or(Status::Missing, |b| yes(b.intersects(*benefits))),
        Criterion::ReceivesNoneOf { benefits } => p.benefits.map_or(Status::Missing, |b| yes(!b.intersects(*benefits))),
        Criterion::AnyOf { criteria } => {
            let mut missing = false;
            for c in criteria {
                match status(c, p, median, year) {
                    Status::Met => return Status::Met,
                    Status::Missing => missing = true,
                    Status::NotMet => {}
                }
            }
            if missing { Status::Missing } else { Status::NotMet }
        }
        Criterion::AllOf { criteria } => {
            let mut missing = false;
            for c in criteria {
                match status(c, p, median, year) {
                    Status::NotMet => return Status::NotMet,
                    Status::Missing => missing = true,
                    Status::Met => {}
                }
            }
            if missing { Status::Missing } else { Status::Met }
        }
    }
}

fn needed(criterion: &Criterion, p: &Profile, out: &mut Vec<Needed>) {
    let mut need = |missing: bool, what: Needed| {
        if missing && !out.contains(&what) {
            out.push(what);
        }
    };
    match criterion {
        Criterion::Age { .. } => need(p.age.is_none(), Needed::Age),
        Criterion::Residence { .. } => need(true, Needed::Residence),
        Criterion::HouseholdSize { .. } => need(p.household_size.is_none(), Needed::HouseholdSize),
        Criterion::IncomeAtMostPercentOfMedian { .. } => {
            need(p.household_size.is_none(), Needed::HouseholdSize);
            need(p.monthly_income.is_none(), Needed::MonthlyIncome);
        }
        Criterion::IncomeAtMostKrw { .. } => need(p.monthly_income.is_none(), Needed::MonthlyIncome),
        Criterion::AssetsAtMost { .. } => need(p.assets.is_none(), Needed::Assets),
        Criterion::Fact { fact, .. } => need(p.facts.get(*fact).is_none(), Needed::Fact(*fact)),
        Criterion::ChildrenAtLeast { .. } => need(p.children.is_none(), Needed::Children),
        Criterion::YoungestChildAgeAtMost { .. } => {
            need(p.children.is_none(), Needed::Children);
            need(p.youngest_child_age.is_none(), Needed::YoungestChildAge);
        }
        Criterion::ReceivesAnyOf { .. } | Criterion::ReceivesNoneOf { .. } => {
            need(p.benefits.is_none(), Needed::Benefits)
        }
        Criterion::AnyOf { criteria } | Criterion::AllOf { criteria } => {
            criteria.iter().for_each(|c| needed(c, p, out))
        }
    }
}

/// The condition that would meet a criterion the profile does not meet.
fn condition(criterion: &Criterion, p: &Profile, median: &MedianIncome, year: i32) -> WhatIf {
    match criterion {
        Criterion::Age { min, max } => WhatIf::AgeBetween { min: *min, max: *max },
        Criterion::Residence { prefixes } => WhatIf::LiveIn { prefixes: prefixes.clone() },
        Criterion::HouseholdSize { min, max } => WhatIf::HouseholdSizeBetween { min: *min, max: *max },
        Criterion::IncomeAtMostPercentOfMedian { max_percent } => {
            let size = p.household_size.unwrap_or(1);
            let limit_krw = median.limit(year, size, *max_percent).unwrap_or(0);
            WhatIf::IncomeAtMost { limit_krw, household_size: size, percent: *max_percent }
        }
        Criterion::IncomeAtMostKrw { max_krw } => WhatIf::IncomeAtMostKrw { limit_krw: *max_krw },
        Criterion::AssetsAtMost { max_krw } => WhatIf::AssetsAtMost { limit_krw: *max_krw },
        Criterion::Fact { fact, required } => WhatIf::Fact { fact: *fact, required: *required },
        Criterion::ChildrenAtLeast { min } => WhatIf::ChildrenAtLeast { min: *min },
        Criterion::YoungestChildAgeAtMost { max } => WhatIf::YoungestChildAgeAtMost { max: *max },
        Criterion::ReceivesAnyOf { benefits } => WhatIf::Receive { benefits: *benefits },
        Criterion::ReceivesNoneOf { benefits } => WhatIf::NotReceive { benefits: *benefits },
        Criterion::AnyOf { criteria } => {
            WhatIf::AnyOf { options: criteria.iter().map(|c| condition(c, p, median, year)).collect() }
        }
        Criterion::AllOf { criteria } => WhatIf::AllOf {
            conditions: criteria
                .iter()
                .filter(|c| status(c, p, median, year) != Status::Met)
                .map(|c| condition(c, p, median, year))
                .collect(),
        },
    }
}

fn reason(criterion: &Criterion, p: &Profile, median: &MedianIncome, year: i32) -> Reason {
    let status = status(criterion, p, median, year);
    let what_if = match status {
        Status::Met => None,
        Status::NotMet => Some(condition(criterion, p, median, year)),
        Status::Missing => {
            let mut needed_facts = Vec::new();
            needed(criterion, p, &mut needed_facts);
            Some(WhatIf::Tell { needed: needed_facts })
        }
    };
    Reason { criterion: criterion.clone(), status, what_if }
}

fn outcome_of(statuses: impl Iterator<Item = Status>) -> Outcome {
    let mut outcome = Outcome::Eligible;
    for s in statuses {
        match s {
            Status::NotMet => return Outcome::NotEligible,
            Status::Missing => outcome = Outcome::Unknown,
            Status::Met => {}
        }
    }
    outcome
}

/// The verdict with a reason per criterion, in the rules' order.
pub fn evaluate(profile: &Profile, rules: &Rules, median: &MedianIncome) -> Verdict {
    let reasons: Vec<Reason> = rules.criteria.iter().map(|c| reason(c, profile, median, rules.median_year)).collect();
    Verdict { outcome: outcome_of(reasons.iter().map(|r| r.status)), reasons }
}

/// The outcome alone, stopping at the first criterion not met: for screening many services.
pub fn screen(profile: &Profile, rules: &Rules, median: &MedianIncome) -> Outcome {
    outcome_of(rules.criteria.iter().map(|c| status(c, profile, median, rules.median_year)))
}

/// Which services a profile is eligible for, and which need more facts, by index into the services.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Screened {
    pub eligible: Vec<u32>,
    pub unknown: Vec<u32>,
}

/// Screens every profile against every service, on all cores.
pub fn screen_many(profiles: &[Profile], services: &[Rules], median: &MedianIncome) -> Vec<Screened> {
    profiles
        .par_iter()
        .map(|profile| {
            let mut screened = Screened::default();
            for (index, rules) in services.iter().enumerate() {
                match screen(profile, rules, median) {
                    Outcome::Eligible => screened.eligible.push(index as u32),
                    Outcome::Unknown => screened.unknown.push(index as u32),
                    Outcome::NotEligible => {}
                }
            }
            screened
        })
        .collect()
}

#[cfg(test)]
#[path = "evaluate_tests.rs"]
mod tests;
