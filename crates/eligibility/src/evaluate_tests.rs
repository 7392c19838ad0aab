//! Unit tests of the evaluation (kept apart: the engine file stays readable).
use super::*;
use crate::benefit::Benefit;
use crate::profile::Facts;

fn single_parent_allowance() -> Rules {
    Rules {
        median_year: 2025,
        criteria: vec![
            Criterion::IncomeAtMostPercentOfMedian { max_percent: 63 },
            Criterion::AnyOf {
                criteria: vec![
                    Criterion::Fact { fact: Fact::SingleParent, required: true },
                    Criterion::Fact { fact: Fact::GrandparentFamily, required: true },
                ],
            },
            Criterion::YoungestChildAgeAtMost { max: 17 },
            Criterion::ReceivesNoneOf { benefits: BenefitSet::of(&[Benefit::LivelihoodAid]) },
        ],
    }
}

fn mother_of_one(income: i64) -> Profile {
    Profile {
        household_size: Some(2),
        monthly_income: Some(income),
        children: Some(1),
        youngest_child_age: Some(7),
        facts: Facts { single_parent: Some(true), ..Facts::default() },
        benefits: Some(BenefitSet::default()),
        ..Profile::default()
    }
}

#[test]
fn a_household_that_meets_every_criterion_is_eligible() {
    let verdict = evaluate(&mother_of_one(2_000_000), &single_parent_allowance(), &MedianIncome::official());
    assert_eq!(verdict.outcome, Outcome::Eligible);
    assert!(verdict.reasons.iter().all(|r| r.status == Status::Met && r.what_if.is_none()));
}

#[test]
fn income_over_the_limit_says_what_limit_would_do() {
    let median = MedianIncome::official();
    let verdict = evaluate(&mother_of_one(3_000_000), &single_parent_allowance(), &median);
    assert_eq!(verdict.outcome, Outcome::NotEligible);
    // 63 % of the 2025 two-person median (3,932,658) is 2,477,574.
    assert_eq!(
        verdict.reasons[0].what_if,
        Some(WhatIf::IncomeAtMost { limit_krw: 2_477_574, household_size: 2, percent: 63 })
    );
    assert_eq!(verdict.reasons[1].status, Status::Met);
}

#[test]
fn missing_facts_make_it_unknown_and_say_which() {
    let profile = Profile { household_size: Some(2), ..Profile::default() };
    let verdict = evaluate(&profile, &single_parent_allowance(), &MedianIncome::official());
    assert_eq!(verdict.outcome, Outcome::Unknown);
    assert_eq!(verdict.reasons[0].what_if, Some(WhatIf::Tell { needed: vec![Needed::MonthlyIncome] }));
    assert_eq!(
        verdict.reasons[1].what_if,
        Some(WhatIf::Tell { needed: vec![Needed::Fact(Fact::SingleParent), Needed::Fact(Fact::GrandparentFamily)] })
    );
}

#[test]
fn one_unmet_criterion_outweighs_missing_facts() {
    let profile = Profile { benefits: Some(BenefitSet::of(&[Benefit::LivelihoodAid])), ..Profile::default() };
    assert_eq!(screen(&profile, &single_parent_allowance(), &MedianIncome::official()), Outcome::NotEligible);
}

#[test]
fn residence_at_a_coarser_level_is_unknown_not_wrong() {
    let rules =
        Rules { median_year: 2026, criteria: vec![Criterion::Residence { prefixes: vec!["1135063000".into()] }] };
    let median = MedianIncome::official();
    let in_gu = Profile { residence: Some("11350".into()), ..Profile::default() };
    let elsewhere = Profile { residence: Some("11410".into()), ..Profile::default() };
    let in_dong = Profile { residence: Some("1135063000".into()), ..Profile::default() };
    assert_eq!(screen(&in_gu, &rules, &median), Outcome::Unknown);
    assert_eq!(screen(&elsewhere, &rules, &median), Outcome::NotEligible);
    assert_eq!(screen(&in_dong, &rules, &median), Outcome::Eligible);
}

#[test]
fn a_fixed_limit_per_household_size_is_any_of_all_of() {
    // 기초연금 2025: 65 or older, and a single person up to 2,280,000 won or a couple up to 3,648,000 won a month.
    let single = Criterion::AllOf {
        criteria: vec![
            Criterion::HouseholdSize { min: None, max: Some(1) },
            Criterion::IncomeAtMostKrw { max_krw: 2_280_000 },
        ],
    };
    let couple = Criterion::AllOf {
        criteria: vec![
            Criterion::HouseholdSize { min: Some(2), max: None },
            Criterion::IncomeAtMostKrw { max_krw: 3_648_000 },
        ],
    };
    let basic_pension = Rules {
        median_year: 2025,
        criteria: vec![
            Criterion::Age { min: Some(65), max: None },
            Criterion::AnyOf { criteria: vec![single, couple] },
        ],
    };
    let median = MedianIncome::official();
    let two =
        |income| Profile { age: Some(70), household_size: Some(2), monthly_income: Some(income), ..Profile::default() };
    assert_eq!(screen(&two(3_000_000), &basic_pension, &median), Outcome::Eligible);
    assert_eq!(screen(&two(4_000_000), &basic_pension, &median), Outcome::NotEligible);
    let unknown_income = Profile { age: Some(70), household_size: Some(1), ..Profile::default() };
    assert_eq!(screen(&unknown_income, &basic_pension, &median), Outcome::Unknown);
    let verdict = evaluate(&two(4_000_000), &basic_pension, &median);
    let Some(WhatIf::AnyOf { options }) = &verdict.reasons[1].what_if else { panic!("{verdict:?}") };
    assert_eq!(options[1], WhatIf::AllOf { conditions: vec![WhatIf::IncomeAtMostKrw { limit_krw: 3_648_000 }] });
}

#[test]
fn screening_many_lists_indices() {
    let median = MedianIncome::official();
    let services = vec![
        single_parent_allowance(),
        Rules { median_year: 2026, criteria: vec![Criterion::Age { min: Some(65), max: None }] },
    ];
    let screened = screen_many(&[mother_of_one(2_000_000)], &services, &median);
    assert_eq!(screened, vec![Screened { eligible: vec![0], unknown: vec![1] }]);
}
