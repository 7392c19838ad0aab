//! Properties of the engine over generated households and rules.

use eligibility::generate::{profile, rules, seeded};
use eligibility::{Criterion, MedianIncome, Outcome, Status, WhatIf, evaluate, screen};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn the_fast_screen_agrees_with_the_full_evaluation(seed in 1u64..u64::MAX) {
        let median = MedianIncome::official();
        let mut rng = seeded(seed);
        let (p, r) = (profile(&mut rng), rules(&mut rng));
        prop_assert_eq!(screen(&p, &r, &median), evaluate(&p, &r, &median).outcome);
    }

    #[test]
    fn the_outcome_follows_from_the_reasons(seed in 1u64..u64::MAX) {
        let median = MedianIncome::official();
        let mut rng = seeded(seed);
        let (p, r) = (profile(&mut rng), rules(&mut rng));
        let verdict = evaluate(&p, &r, &median);
        let any = |s: Status| verdict.reasons.iter().any(|x| x.status == s);
        let expected = if any(Status::NotMet) { Outcome::NotEligible } else if any(Status::Missing) { Outcome::Unknown } else { Outcome::Eligible };
        prop_assert_eq!(verdict.outcome, expected);
        prop_assert!(verdict.reasons.iter().all(|x| (x.status == Status::Met) == x.what_if.is_none()));
    }

    #[test]
    fn meeting_the_income_what_if_meets_the_income_criterion(seed in 1u64..u64::MAX) {
        let median = MedianIncome::official();
        let mut rng = seeded(seed);
        let mut p = profile(&mut rng);
        let percent = [30, 50, 60, 100, 150][(seed % 5) as usize];
        let r = eligibility::Rules { median_year: 2026, criteria: vec![Criterion::IncomeAtMostPercentOfMedian { max_percent: percent }] };
        if let Some(WhatIf::IncomeAtMost { limit_krw, .. }) = evaluate(&p, &r, &median).reasons[0].what_if.clone() {
            p.monthly_income = Some(limit_krw);
            prop_assert_eq!(screen(&p, &r, &median), Outcome::Eligible);
            p.monthly_income = Some(limit_krw + 1);
            prop_assert_eq!(screen(&p, &r, &median), Outcome::NotEligible);
        }
    }

    #[test]
    fn less_income_never_hurts(seed in 1u64..u64::MAX, cut in 0i64..5_000_000) {
        let median = MedianIncome::official();
        let mut rng = seeded(seed);
        let (mut p, r) = (profile(&mut rng), rules(&mut rng));
        let before = screen(&p, &r, &median);
        p.monthly_income = p.monthly_income.map(|i| (i - cut).max(0));
        let after = screen(&p, &r, &median);
        prop_assert!(!(before == Outcome::Eligible && after != Outcome::Eligible), "{:?} -> {:?}", before, after);
    }

    #[test]
    fn telling_more_never_rescues_a_household_that_is_ruled_out(seed in 1u64..u64::MAX) {
        let median = MedianIncome::official();
        let mut rng = seeded(seed);
        let (full, r) = (profile(&mut rng), rules(&mut rng));
        let mut partial = full.clone();
        partial.assets = None;
        partial.facts = Default::default();
        if screen(&partial, &r, &median) == Outcome::NotEligible {
            prop_assert_eq!(screen(&full, &r, &median), Outcome::NotEligible);
        }
    }
}
