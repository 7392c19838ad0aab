//! Scoring a pair: the model fitted to the list (u on random pairs, m by EM on the pairs sharing only a birth date
//! or only a name), the weight of each pattern, and a common name weighed down by how many records carry it.

use std::collections::HashMap;

use rayon::prelude::*;

use crate::blocks::{self, Kind};
use crate::compare::{PATTERNS, Prepared, levels, pattern};
use crate::model::Model;

/// The name level "the same Hangul name".
const SAME_NAME: usize = 5;
/// The records of a block the model is trained on.
const TRAINING_BLOCK: usize = 40;

#[derive(Clone, Debug)]
pub struct Scorer {
    pub model: Model,
    weight: Vec<f64>,
    /// How many records carry each Hangul name, and how many records there are.
    names: HashMap<String, u32>,
    records: f64,
}

impl Scorer {
    /// Fits the model to the list.
    pub fn fit(prepared: &[Prepared]) -> Scorer {
        let n = prepared.len() as f64;
        let model = Model::fit(
            &training_counts(prepared, Kind::BirthDate),
            &training_counts(prepared, Kind::Name),
            &random_pattern_counts(prepared),
            n * (n - 1.0) / 2.0,
        );
        Scorer::with(model, prepared)
    }

    /// The scorer of a register holding each person once (see [`Model::register`]).
    pub fn register(prepared: &[Prepared], known: f64) -> Scorer {
        let n = prepared.len() as f64;
        Scorer::with(Model::register(&random_pattern_counts(prepared), n, known), prepared)
    }

    fn with(model: Model, prepared: &[Prepared]) -> Scorer {
        let mut names: HashMap<String, u32> = HashMap::new();
        for p in prepared {
            if let Some(h) = &p.name.hangul {
                *names.entry(h.clone()).or_default() += 1;
            }
        }
        let records = prepared.len() as f64;
        Scorer { weight: (0..PATTERNS as u16).map(|p| model.weight(p)).collect(), model, names, records }
    }

    /// A record joins the list the counts are taken over.
    pub fn count(&mut self, p: &Prepared) {
        if let Some(h) = &p.name.hangul {
            *self.names.entry(h.clone()).or_default() += 1;
        }
        self.records += 1.0;
    }

    /// The match probability of a pair with this pattern, `a` being one of them.
    pub fn probability(&self, pattern: u16, a: &Prepared) -> f64 {
        let mut w = self.weight[pattern as usize];
        // Term frequency: the same common name says less than an average one. A rare name is not trusted more:
        // namesakes are not rarer for it (a family names a child after a relative, a list copies a neighbour).
        if levels(pattern)[0] == SAME_NAME
            && let Some(count) = a.name.hangul.as_ref().and_then(|h| self.names.get(h))
        {
            let share = f64::from(*count) / self.records.max(1.0);
            w += (self.model.u[0][SAME_NAME] / share).log2().min(0.0);
        }
        1.0 / (1.0 + (-w).exp2())
    }
}

/// Pattern counts of the pairs in blocks of one kind, the first records of each block (a training sample).
fn training_counts(prepared: &[Prepared], kind: Kind) -> [u64; PATTERNS] {
    let pairs = blocks::pairs(prepared, &[kind], TRAINING_BLOCK, usize::MAX);
    count_patterns(&patterns(prepared, &pairs))
}

pub(crate) fn patterns(prepared: &[Prepared], pairs: &[(u32, u32)]) -> Vec<u16> {
    pairs.par_iter().map(|&(i, j)| pattern(&prepared[i as usize], &prepared[j as usize])).collect()
}

fn count_patterns(patterns: &[u16]) -> [u64; PATTERNS] {
    let mut counts = [0u64; PATTERNS];
    for &p in patterns {
        counts[p as usize] += 1;
    }
    counts
}

/// How many random pairs u is measured on.
const RANDOM_PAIRS: u64 = 2_000_000;

/// Pattern counts of random pairs (all pairs of a short list), drawn by a fixed xorshift so a run repeats.
fn random_pattern_counts(prepared: &[Prepared]) -> [u64; PATTERNS] {
    let n = prepared.len() as u64;
    let mut counts = [0u64; PATTERNS];
    if n < 2 {
        return counts;
    }
    if n * (n - 1) / 2 <= RANDOM_PAIRS {
        for i in 0..prepared.len() {
            for j in i + 1..prepared.len() {
                counts[pattern(&prepared[i], &prepared[j]) as usize] += 1;
            }
        }
        return counts;
    }
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for _ in 0..RANDOM_PAIRS {
        let (i, j) = (next() % n, next() % n);
        if i != j {
            counts[pattern(&prepared[i as usize], &prepared[j as usize]) as usize] += 1;
        }
    }
    counts
}
