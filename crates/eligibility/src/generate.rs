//! Deterministic synthetic profiles and rule sets for benchmarks and property tests.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::benefit::{Benefit, BenefitSet};
use crate::profile::{Fact, Facts, Profile};
use crate::rules::{Criterion, Rules};

/// The generator: ChaCha8 from a seed, so every run and platform makes the same data.
pub type Gen = ChaCha8Rng;

pub fn seeded(seed: u64) -> Gen {
    ChaCha8Rng::seed_from_u64(seed)
}

fn below(rng: &mut Gen, n: u64) -> u64 {
    rng.gen_range(0..n.max(1))
}

fn chance(rng: &mut Gen, percent: u64) -> bool {
    below(rng, 100) < percent
}

const DONGS: [&str; 4] = ["1135063000", "1135064000", "1135056000", "1141055500"];

/// A household with most facts told, as a resident filling the form would.
pub fn profile(rng: &mut Gen) -> Profile {
    let size = 1 + below(rng, 6) as u32;
    let children = if size > 1 { below(rng, u64::from(size)) as u32 } else { 0 };
    let mut facts = Facts::default();
    for fact in Fact::ALL {
        if chance(rng, 90) {
            facts.set(fact, Some(chance(rng, 15)));
        }
    }
    let benefits: Vec<Benefit> = Benefit::ALL.into_iter().filter(|_| chance(rng, 8)).collect();
    Profile {
        age: Some(below(rng, 95) as u32),
        residence: Some(DONGS[below(rng, DONGS.len() as u64) as usize].to_string()),
        household_size: Some(size),
        monthly_income: Some(below(rng, 9_000_000) as i64),
        assets: chance(rng, 80).then(|| below(rng, 400_000_000) as i64),
        children: Some(children),
        youngest_child_age: (children > 0).then(|| below(rng, 18) as u32),
        facts,
        benefits: Some(BenefitSet::of(&benefits)),
    }
}

fn criterion(rng: &mut Gen) -> Criterion {
    match below(rng, 9) {
        0 => {
            let min = below(rng, 70) as u32;
            Criterion::Age { min: Some(min), max: Some(min + 5 + below(rng, 40) as u32) }
        }
        1 => {
            Criterion::Residence { prefixes: vec![if chance(rng, 70) { "11350".into() } else { "1135063000".into() }] }
        }
        2 => Criterion::HouseholdSize { min: Some(1 + below(rng, 3) as u32), max: None },
        3 | 4 => Criterion::IncomeAtMostPercentOfMedian {
            max_percent: [30, 40, 50, 60, 75, 100, 120, 150][below(rng, 8) as usize],
        },
        5 => Criterion::AssetsAtMost { max_krw: 50_000_000 + below(rng, 300_000_000) as i64 },
        6 => Criterion::Fact { fact: Fact::ALL[below(rng, 8) as usize], required: chance(rng, 80) },
        7 => Criterion::YoungestChildAgeAtMost { max: below(rng, 18) as u32 },
        _ => Criterion::AnyOf {
            criteria: vec![
                Criterion::Fact { fact: Fact::SingleParent, required: true },
                Criterion::ReceivesAnyOf { benefits: BenefitSet::of(&[Benefit::NearPoor, Benefit::LivelihoodAid]) },
            ],
        },
    }
}

/// Rules of a service: one to four criteria, income-tested more often than not.
pub fn rules(rng: &mut Gen) -> Rules {
    let count = 1 + below(rng, 4) as usize;
    Rules { median_year: 2026, criteria: (0..count).map(|_| criterion(rng)).collect() }
}
