//! The rules of one service: every criterion must hold. Stored as JSON beside the service.

use serde::{Deserialize, Serialize};

use crate::benefit::BenefitSet;
use crate::median::MedianIncome;
use crate::profile::Fact;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Criterion {
    /// 만 나이 between `min` and `max`, both inclusive.
    Age {
        min: Option<u32>,
        max: Option<u32>,
    },
    /// Lives where the residence code starts with one of these (시도 2 digits, 시군구 5, 행정동 10).
    Residence {
        prefixes: Vec<String>,
    },
    HouseholdSize {
        min: Option<u32>,
        max: Option<u32>,
    },
    /// Monthly household income at most `max_percent` % of the rules' year's 기준 중위소득 for its size.
    IncomeAtMostPercentOfMedian {
        max_percent: u32,
    },
    /// Monthly household income at most a fixed amount (e.g. 기초연금's 선정기준액).
    IncomeAtMostKrw {
        max_krw: i64,
    },
    AssetsAtMost {
        max_krw: i64,
    },
    /// The household fact is `required` (true: must be so; false: must not be so).
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
    /// Receives at least one of these benefits.
    ReceivesAnyOf {
        benefits: BenefitSet,
    },
    /// Receives none of these benefits (to avoid paying the same support twice).
    ReceivesNoneOf {
        benefits: BenefitSet,
    },
    /// At least one of these holds (e.g. 한부모 or 조손).
    AnyOf {
        criteria: Vec<Criterion>,
    },
    /// All of these hold (inside an `AnyOf`: "a single person under X, or a couple under Y").
    AllOf {
        criteria: Vec<Criterion>,
    },
}

/// All the criteria of one service, with the 기준 중위소득 year its income limits refer to.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rules {
    pub median_year: i32,
    pub criteria: Vec<Criterion>,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RuleError {
    #[error("criterion {index}: minimum above maximum")]
    EmptyRange { index: usize },
    #[error("criterion {index}: a percentage of the median must be between 1 and 1000")]
    Percent { index: usize },
    #[error("criterion {index}: residence prefixes must be 2, 5, 8 or 10 digits")]
    Residence { index: usize },
    #[error("criterion {index}: a limit cannot be negative")]
    Negative { index: usize },
    #[error("criterion {index}: an empty list can never hold")]
    Empty { index: usize },
    #[error("기준 중위소득 of {year} is not known")]
    UnknownYear { year: i32 },
}

fn ordered(min: Option<u32>, max: Option<u32>) -> bool {
    match (min, max) {
        (Some(lo), Some(hi)) => lo <= hi,
        _ => true,
    }
}

impl Criterion {
    fn check(&self, index: usize, errors: &mut Vec<RuleError>) {
        match self {
            Criterion::Age { min, max } | Criterion::HouseholdSize { min, max } if !ordered(*min, *max) => {
                errors.push(RuleError::EmptyRange { index })
            }
            Criterion::IncomeAtMostPercentOfMedian { max_percent } if !(1..=1000).contains(max_percent) => {
                errors.push(RuleError::Percent { index })
            }
            Criterion::AssetsAtMost { max_krw } | Criterion::IncomeAtMostKrw { max_krw } if *max_krw < 0 => {
                errors.push(RuleError::Negative { index })
            }
            Criterion::Residence { prefixes } if prefixes.is_empty() => errors.push(RuleError::Empty { index }),
            Criterion::Residence { prefixes }
                if prefixes
                    .iter()
                    .any(|p| ![2, 5, 8, 10].contains(&p.len()) || !p.bytes().all(|b| b.is_ascii_digit())) =>
            {
                errors.push(RuleError::Residence { index })
            }
            Criterion::ReceivesAnyOf { benefits } if benefits.is_empty() => errors.push(RuleError::Empty { index }),
            Criterion::AnyOf { criteria } | Criterion::AllOf { criteria } if criteria.is_empty() => {
                errors.push(RuleError::Empty { index })
            }
            Criterion::AnyOf { criteria } | Criterion::AllOf { criteria } => {
                criteria.iter().for_each(|c| c.check(index, errors))
            }
            _ => {}
        }
    }

    fn uses_income(&self) -> bool {
        match self {
            Criterion::IncomeAtMostPercentOfMedian { .. } => true,
            Criterion::AnyOf { criteria } | Criterion::AllOf { criteria } => {
                criteria.iter().any(Criterion::uses_income)
            }
            _ => false,
        }
    }
}

impl Rules {
    /// Everything wrong with these rules; `median` must know the year when an income criterion needs it.
    pub fn validate(&self, median: &MedianIncome) -> Result<(), Vec<RuleError>> {
        let mut errors = Vec::new();
        for (index, criterion) in self.criteria.iter().enumerate() {
            criterion.check(index, &mut errors);
        }
        if self.criteria.iter().any(Criterion::uses_income) && !median.has_year(self.median_year) {
            errors.push(RuleError::UnknownYear { year: self.median_year });
        }
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_round_trip_as_json() {
        let rules = Rules {
            median_year: 2026,
            criteria: vec![
                Criterion::Age { min: None, max: Some(17) },
                Criterion::IncomeAtMostPercentOfMedian { max_percent: 63 },
                Criterion::AnyOf {
                    criteria: vec![
                        Criterion::Fact { fact: Fact::SingleParent, required: true },
                        Criterion::Fact { fact: Fact::GrandparentFamily, required: true },
                    ],
                },
            ],
        };
        let json = serde_json::to_string(&rules).unwrap();
        assert!(json.contains(r#""kind":"income_at_most_percent_of_median""#));
        assert_eq!(serde_json::from_str::<Rules>(&json).unwrap(), rules);
    }

    #[test]
    fn broken_rules_are_explained() {
        let rules = Rules {
            median_year: 2019,
            criteria: vec![
                Criterion::Age { min: Some(65), max: Some(6) },
                Criterion::IncomeAtMostPercentOfMedian { max_percent: 0 },
                Criterion::Residence { prefixes: vec!["노원".into()] },
                Criterion::AnyOf { criteria: vec![] },
            ],
        };
        let errors = rules.validate(&MedianIncome::official()).unwrap_err();
        assert_eq!(
            errors,
            vec![
                RuleError::EmptyRange { index: 0 },
                RuleError::Percent { index: 1 },
                RuleError::Residence { index: 2 },
                RuleError::Empty { index: 3 },
                RuleError::UnknownYear { year: 2019 },
            ]
        );
    }
}
