//! Fellegi–Sunter: for each field level, how often it occurs among pairs that are the same person (m) and among
//! pairs that are not (u). u comes from random pairs (almost all of them two people), m and the share of matches
//! by expectation–maximisation over the candidate pairs' pattern counts with u held, which keeps EM from taking
//! a crowd of namesakes for the matches; a pair's match probability follows from its pattern. A field missing on
//! one side says nothing either way.

use crate::compare::{FIELDS, PATTERNS, is_missing, levels};

#[derive(Clone, Debug, PartialEq)]
pub struct Model {
    /// Share of all pairs of records that are the same person.
    pub prior: f64,
    /// Per field, per level: P(level | same person).
    pub m: [Vec<f64>; 4],
    /// Per field, per level: P(level | different people).
    pub u: [Vec<f64>; 4],
}

const ITERATIONS: usize = 40;
const FLOOR: f64 = 1e-6;
const NAME: usize = 0;
const DATE: usize = 1;
/// The levels "same Hangul name" and "same birth date".
const SAME_NAME: usize = 5;
const SAME_DATE: usize = 3;

/// Level shares per field from pattern counts; a missing level is 1 (it says nothing).
fn shares(counts: &[f64], field: usize) -> Vec<f64> {
    let present: f64 = (0..FIELDS[field]).filter(|l| !is_missing(field, *l)).map(|l| counts[l].max(FLOOR)).sum();
    (0..FIELDS[field]).map(|l| if is_missing(field, l) { 1.0 } else { counts[l].max(FLOOR) / present }).collect()
}

fn level_shares(counts: &[u64; PATTERNS]) -> [Vec<f64>; 4] {
    let mut by_level: [Vec<f64>; 4] = FIELDS.map(|n| vec![0.0; n]);
    for (pattern, &count) in counts.iter().enumerate().filter(|(_, c)| **c > 0) {
        for (field, level) in levels(pattern as u16).into_iter().enumerate() {
            by_level[field][level] += count as f64;
        }
    }
    let mut out: [Vec<f64>; 4] = FIELDS.map(|_| Vec::new());
    for (field, counts) in by_level.iter().enumerate() {
        out[field] = shares(counts, field);
    }
    out
}

/// EM over pattern counts with u held, on the fields in `active` (the others are what the pairs were chosen by):
/// the share of matches among these pairs and m per active field.
fn em(counts: &[(u16, f64)], u: &[Vec<f64>; 4], active: [bool; 4]) -> (f64, [Vec<f64>; 4]) {
    let rising = |n: usize| -> Vec<f64> { (0..n).map(|l| (l + 1) as f64).collect() };
    let mut m: [Vec<f64>; 4] = FIELDS.map(rising);
    for (field, table) in m.iter_mut().enumerate() {
        *table = shares(table, field);
    }
    let mut share = 0.5;
    for _ in 0..ITERATIONS {
        let mut next: [Vec<f64>; 4] = FIELDS.map(|n| vec![0.0; n]);
        let (mut matched, mut total) = (0.0, 0.0);
        for &(pattern, n) in counts {
            let levels = levels(pattern);
            let (mut pm, mut pu) = (share, 1.0 - share);
            for field in (0..4).filter(|f| active[*f]) {
                pm *= m[field][levels[field]];
                pu *= u[field][levels[field]];
            }
            let p = pm / (pm + pu);
            matched += p * n;
            total += n;
            for (field, level) in levels.into_iter().enumerate() {
                next[field][level] += p * n;
            }
        }
        if total == 0.0 {
            break;
        }
        share = (matched / total).clamp(FLOOR, 1.0 - FLOOR);
        for (field, counts) in next.iter().enumerate() {
            m[field] = shares(counts, field);
        }
    }
    (share, m)
}

impl Model {
    /// Fits the model the way careful linkers do: u from random pairs; m by EM on pairs that share a birth date
    /// (for name, phone, address) and on pairs that share a Hangul name (for the date), each leaving out the field
    /// its pairs were chosen by; the prior from how many matches share a birth date, over `all_pairs`.
    pub fn fit(
        same_date: &[u64; PATTERNS],
        same_name: &[u64; PATTERNS],
        random: &[u64; PATTERNS],
        all_pairs: f64,
    ) -> Model {
        let u = level_shares(random);
        let listed = |counts: &[u64; PATTERNS], field: usize, level: usize| -> Vec<(u16, f64)> {
            (0..PATTERNS as u16)
                .filter(|p| counts[*p as usize] > 0 && levels(*p)[field] == level)
                .map(|p| (p, counts[p as usize] as f64))
                .collect()
        };
        let same_date = listed(same_date, DATE, SAME_DATE);
        let (share, by_date) = em(&same_date, &u, [true, false, true, true]);
        let (_, by_name) = em(&listed(same_name, NAME, SAME_NAME), &u, [false, true, true, true]);
        let mut m = by_date;
        m[DATE] = by_name[DATE].clone();
        let same_date_pairs: f64 = same_date.iter().map(|(_, n)| n).sum();
        let matches = share * same_date_pairs / m[DATE][SAME_DATE].max(FLOOR);
        Model { prior: (matches / all_pairs.max(1.0)).clamp(FLOOR * FLOOR, 0.5), m, u }
    }

    /// The share of each field's levels among pairs known to be one person, measured by `examples/measure_m` on
    /// lists made by `examples/generate` (60,000 people, seed 7): for a register too clean to learn m from (it
    /// holds each person once, so EM has no matches to find).
    pub const MEASURED_M: [&'static [f64]; 4] = [
        &[0.0028, 0.0038, 0.0107, 0.0583, 0.0609, 0.8635],
        &[0.0024, 0.0002, 0.0545, 0.9429, 1.0],
        &[0.2923, 0.0, 0.7077, 1.0],
        &[0.1574, 0.0324, 0.8103, 1.0],
    ];

    /// The model of a register that holds each person once, for one new record at a time: u from the register's
    /// random pairs, m as measured ([`Model::MEASURED_M`]), and the prior of one pair: `known` (how likely the
    /// newcomer is someone registered) spread over the `records` registered.
    pub fn register(random: &[u64; PATTERNS], records: f64, known: f64) -> Model {
        let m = Model::MEASURED_M.map(|levels| levels.iter().map(|p| p.max(FLOOR)).collect());
        Model { prior: (known / records.max(1.0)).clamp(FLOOR * FLOOR, 0.5), m, u: level_shares(random) }
    }

    /// The match weight of a pattern in bits (log₂ of the likelihood ratio, prior included).
    pub fn weight(&self, pattern: u16) -> f64 {
        let mut w = (self.prior / (1.0 - self.prior)).log2();
        for (field, level) in levels(pattern).into_iter().enumerate() {
            w += (self.m[field][level] / self.u[field][level]).log2();
        }
        w
    }

    pub fn probability(&self, pattern: u16) -> f64 {
        1.0 / (1.0 + (-self.weight(pattern)).exp2())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::{ADDRESS_LEVELS, DATE_LEVELS, PHONE_LEVELS};

    fn pattern(levels: [usize; 4]) -> u16 {
        (((levels[0] * DATE_LEVELS + levels[1]) * PHONE_LEVELS + levels[2]) * ADDRESS_LEVELS + levels[3]) as u16
    }

    const M: [&[f64]; 4] =
        [&[0.01, 0.02, 0.07, 0.1, 0.1, 0.7], &[0.01, 0.02, 0.07, 0.9], &[0.1, 0.05, 0.85], &[0.1, 0.2, 0.7]];
    const U: [&[f64]; 4] = [
        &[0.7, 0.25, 0.03, 0.015, 0.00001, 0.00499],
        &[0.97, 0.0287, 0.001, 0.0003],
        &[0.9999, 0.00005, 0.00005],
        &[0.8, 0.19, 0.01],
    ];

    /// A pattern drawn level by level from the given shares.
    fn draw(shares: &[&[f64]; 4], next: &mut impl FnMut() -> f64) -> u16 {
        let mut levels = [0; 4];
        for (field, table) in shares.iter().enumerate() {
            let (mut x, mut level) = (next(), 0);
            while level + 1 < table.len() && x >= table[level] {
                x -= table[level];
                level += 1;
            }
            levels[field] = level;
        }
        pattern(levels)
    }

    #[test]
    fn em_on_blocked_pairs_recovers_the_model_that_made_them() {
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        let (matches, others) = (5_000u64, 2_000_000u64);
        let mut candidates = [0u64; PATTERNS];
        let blocked = |p: u16| levels(p)[DATE] == SAME_DATE || levels(p)[NAME] == SAME_NAME;
        for _ in 0..matches {
            let p = draw(&M, &mut next);
            candidates[p as usize] += u64::from(blocked(p));
        }
        for _ in 0..others {
            let p = draw(&U, &mut next);
            candidates[p as usize] += u64::from(blocked(p));
        }
        let mut random = [0u64; PATTERNS];
        for _ in 0..200_000 {
            random[draw(&U, &mut next) as usize] += 1;
        }
        let model = Model::fit(&candidates, &candidates, &random, (matches + others) as f64);
        let truth = matches as f64 / (matches + others) as f64;
        assert!((model.prior / truth - 1.0).abs() < 0.3, "prior {} vs {truth}: {model:?}", model.prior);
        assert!((model.m[DATE][SAME_DATE] - 0.9).abs() < 0.05, "{:?}", model.m[DATE]);
        assert!((model.m[NAME][SAME_NAME] - 0.7).abs() < 0.05, "{:?}", model.m[NAME]);
        assert!(model.probability(pattern([5, 3, 2, 2])) > 0.99);
        assert!(model.probability(pattern([5, 1, 0, 1])) < 0.5, "a namesake born another day is not a match");
        assert!(model.probability(pattern([0, 3, 0, 0])) < 0.01, "nor a stranger born the same day");
        let address_says = model.weight(pattern([5, 3, 2, 2])) - model.weight(pattern([5, 3, 2, 3]));
        assert!((address_says - (model.m[3][2] / model.u[3][2]).log2()).abs() < 1e-9, "a missing field adds nothing");
    }
}
