//! Blocks: records that share a key are compared. Scoring compares the pairs of every kind of block but the name
//! alone (a common name is shared by thousands); the model is trained on pairs that share only a birth date, or
//! only a Hangul name, so that each training set says nothing about the field it was chosen by.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use rayon::prelude::*;

use crate::compare::Prepared;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    BirthDate,
    NameAndYear,
    NameAndBirthday,
    Phone,
    NameAndAddress,
    Name,
}

/// The blocks candidate pairs come from.
pub const SCORED: [Kind; 5] =
    [Kind::BirthDate, Kind::NameAndYear, Kind::NameAndBirthday, Kind::Phone, Kind::NameAndAddress];

fn key(parts: impl Hash) -> u64 {
    let mut h = DefaultHasher::new();
    parts.hash(&mut h);
    h.finish()
}

/// The record's key in a kind of block, if it has the fields for it.
fn key_of(p: &Prepared, kind: Kind) -> Option<u64> {
    let name = || p.name.block_key();
    match kind {
        Kind::BirthDate => p.birth.map(|b| key((1u8, b))),
        Kind::NameAndYear => p.birth.map(|b| key((2u8, name(), &b[..4]))),
        Kind::NameAndBirthday => p.birth.map(|b| key((3u8, name(), &b[4..]))),
        Kind::Phone => p.phone.as_ref().map(|phone| key((4u8, phone))),
        Kind::NameAndAddress => (!p.address.is_empty()).then(|| key((6u8, name(), &p.address))),
        Kind::Name => p.name.hangul.as_ref().map(|h| key((5u8, h))),
    }
}

/// The record's keys in blocks of these kinds.
pub fn keys<'a>(p: &'a Prepared, kinds: &'a [Kind]) -> impl Iterator<Item = u64> + 'a {
    kinds.iter().filter_map(move |k| key_of(p, *k))
}

/// The pairs `(i, j)`, `i < j`, of records sharing a block of these kinds, each once. A block larger than
/// `skip_over` is left out; one larger than `take` gives the pairs of its first `take` records only.
pub fn pairs(prepared: &[Prepared], kinds: &[Kind], take: usize, skip_over: usize) -> Vec<(u32, u32)> {
    let mut entries: Vec<(u64, u32)> =
        prepared.par_iter().enumerate().flat_map_iter(|(i, p)| keys(p, kinds).map(move |k| (k, i as u32))).collect();
    entries.par_sort_unstable();
    let mut pairs: Vec<u64> = Vec::new();
    for block in entries.chunk_by(|a, b| a.0 == b.0) {
        if block.len() < 2 || block.len() > skip_over {
            continue;
        }
        let block = &block[..block.len().min(take)];
        for (x, &(_, i)) in block.iter().enumerate() {
            for &(_, j) in &block[x + 1..] {
                pairs.push(u64::from(i) << 32 | u64::from(j));
            }
        }
    }
    pairs.par_sort_unstable();
    pairs.dedup();
    pairs.into_iter().map(|p| ((p >> 32) as u32, p as u32)).collect()
}
