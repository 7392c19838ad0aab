//! One allocation round: child-proposing deferred acceptance over the centres' orders, repeated while sibling
//! priority changes someone's order (a child whose brother or sister is placed at a centre comes first in their
//! class there).

use std::collections::{BTreeMap, BinaryHeap, HashMap};

use serde::{Deserialize, Serialize};

use super::explain::{self, Explanation};
use super::input::{Center, Input, InputError};
use super::lottery::lottery_number;
use super::places::{NO_BAND, Places};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Output {
    /// Every child: the centre it is placed at, or `null`.
    pub assignments: BTreeMap<String, Option<String>>,
    pub unassigned: Vec<String>,
    pub lottery_seed: u64,
    pub explanations: BTreeMap<String, Explanation>,
}

/// How a centre orders a child: lower comes first.
pub(crate) type Key = (u64, u64, u64, u64);

/// The input with ids turned into indices.
pub(crate) struct Prepared<'a> {
    pub input: &'a Input,
    pub places: Vec<Places>,
    /// Each child's choices as centre indices.
    pub choices: Vec<Vec<u32>>,
    pub lottery: Vec<u64>,
    /// For centres with their own ranking: child index → position.
    rank: Vec<Option<HashMap<u32, u64>>>,
    /// Each child's siblings as child indices.
    siblings: Vec<Vec<u32>>,
    /// Each child's band, interned; [`NO_BAND`] when it has none.
    band: Vec<u32>,
}

impl<'a> Prepared<'a> {
    pub(crate) fn new(input: &'a Input) -> Prepared<'a> {
        let centre_of: HashMap<&str, u32> =
            input.centers.iter().enumerate().map(|(i, c)| (c.id.as_str(), i as u32)).collect();
        let child_of: HashMap<&str, u32> =
            input.children.iter().enumerate().map(|(i, k)| (k.id.as_str(), i as u32)).collect();
        let rank = input
            .centers
            .iter()
            .map(|c| {
                c.ranking.as_ref().map(|r| {
                    r.iter().enumerate().filter_map(|(pos, k)| Some((*child_of.get(k.as_str())?, pos as u64))).collect()
                })
            })
            .collect();
        let mut bands: HashMap<&str, u32> = HashMap::new();
        let mut intern = |b: &'a str| {
            let next = bands.len() as u32;
            *bands.entry(b).or_insert(next)
        };
        let band = input.children.iter().map(|k| k.band.as_deref().map_or(NO_BAND, &mut intern)).collect();
        let places = input.centers.iter().map(|c| places_of(c, &mut intern)).collect();
        Prepared {
            band,
            places,
            input,
            choices: input
                .children
                .iter()
                .map(|k| k.choices.iter().filter_map(|c| centre_of.get(c.as_str()).copied()).collect())
                .collect(),
            lottery: input.children.iter().map(|k| lottery_number(input.lottery_seed, &k.id)).collect(),
            rank,
            siblings: input
                .children
                .iter()
                .map(|k| k.siblings.iter().filter_map(|s| child_of.get(s.as_str()).copied()).collect())
                .collect(),
        }
    }

    /// Where centre `c` puts child `k`; `sibling_here` when a brother or sister is placed at `c`.
    pub fn key(&self, c: u32, k: u32, sibling_here: bool) -> Key {
        if let Some(rank) = &self.rank[c as usize] {
            return (0, rank.get(&k).copied().unwrap_or(u64::MAX), 0, 0);
        }
        let child = &self.input.children[k as usize];
        let fewer_points = (i128::from(i64::MAX) - i128::from(child.points)) as u64;
        (u64::from(child.priority_class), u64::from(!sibling_here), fewer_points, self.lottery[k as usize])
    }

    /// The slot of centre `c`'s places child `k` takes: the centre's one slot when it has no bands, `None` when
    /// it has no class for the child's age.
    pub fn slot_at(&self, c: u32, k: u32) -> Option<usize> {
        self.places[c as usize].slot(self.band[k as usize])
    }

    /// Centres where a sibling of each child is placed.
    fn sibling_centres(&self, placed: &[Option<u32>]) -> Vec<Vec<u32>> {
        self.siblings.iter().map(|sibs| sibs.iter().filter_map(|s| placed[*s as usize]).collect()).collect()
    }
}

/// A centre's places with the bands interned.
fn places_of<'a>(c: &'a Center, intern: &mut impl FnMut(&'a str) -> u32) -> Places {
    let total = c.capacity.max(0) as usize;
    if c.bands.is_none() && c.mixed.is_none() {
        return Places::any_child(total);
    }
    let own: Vec<(u32, usize)> = c.bands.iter().flatten().map(|(b, n)| (intern(b), (*n).max(0) as usize)).collect();
    let mixed: Vec<(Vec<u32>, usize)> = c
        .mixed
        .iter()
        .flatten()
        .map(|m| (m.bands.iter().map(|b| intern(b)).collect(), m.places.max(0) as usize))
        .collect();
    Places::banded(total, &own, &mixed)
}

/// Deferred acceptance with children proposing: each child's centre index, or `None`.
fn deferred_acceptance(p: &Prepared, sibling_at: &[Vec<u32>]) -> Vec<Option<u32>> {
    let n = p.choices.len();
    let mut next = vec![0usize; n];
    let mut held: Vec<Held> = p.places.iter().map(Held::new).collect();
    let mut free: Vec<u32> = (0..n as u32).rev().collect();
    while let Some(k) = free.pop() {
        let ku = k as usize;
        let Some(&c) = p.choices[ku].get(next[ku]) else { continue };
        next[ku] += 1;
        let Some(slot) = p.slot_at(c, k) else {
            free.push(k);
            continue;
        };
        let key = p.key(c, k, sibling_at[ku].contains(&c));
        if let Some(out) = held[c as usize].propose(key, k, slot, &p.places[c as usize]) {
            free.push(out);
        }
    }
    let mut placed = vec![None; n];
    for (c, h) in held.iter().enumerate() {
        for heap in &h.heaps {
            for (_, k) in heap {
                placed[*k as usize] = Some(c as u32);
            }
        }
    }
    placed
}

/// What a centre holds during deferred acceptance: per slot of its places, the children held, worst on top.
struct Held {
    heaps: Vec<BinaryHeap<(Key, u32)>>,
    counts: Vec<usize>,
}

impl Held {
    fn new(places: &Places) -> Held {
        Held { heaps: vec![BinaryHeap::new(); places.slots()], counts: vec![0; places.slots()] }
    }

    /// Child `k` asks for a place in `slot`; returns the child turned away (`k` itself, or one it displaced).
    /// This is the greedy choice over the held children and `k`: the held set fits, so the one turned away is
    /// the worst of `k` and those whose leaving would make room for `k` (the matroid's circuit).
    fn propose(&mut self, key: Key, k: u32, slot: usize, places: &Places) -> Option<u32> {
        self.counts[slot] += 1;
        if places.fits(&self.counts) {
            self.heaps[slot].push((key, k));
            return None;
        }
        let mut rival: Option<(Key, usize)> = None;
        for other in 0..self.heaps.len() {
            let Some(&(worst, _)) = self.heaps[other].peek() else { continue };
            self.counts[other] -= 1;
            if places.fits(&self.counts) && rival.is_none_or(|(r, _)| worst > r) {
                rival = Some((worst, other));
            }
            self.counts[other] += 1;
        }
        match rival {
            Some((worst, other)) if key < worst => {
                self.counts[other] -= 1;
                self.heaps[slot].push((key, k));
                self.heaps[other].pop().map(|(_, out)| out)
            }
            _ => {
                self.counts[slot] -= 1;
                Some(k)
            }
        }
    }
}

/// Runs the round; a bad input gives every problem and allocates nothing.
pub fn allocate(input: &Input) -> Result<Output, Vec<InputError>> {
    let errors = input.check();
    if !errors.is_empty() {
        return Err(errors);
    }
    let p = Prepared::new(input);
    let mut sibling_at = vec![Vec::new(); input.children.len()];
    let mut placed = deferred_acceptance(&p, &sibling_at);
    // Sibling priority depends on where siblings land; settle it (a handful of passes at most in practice).
    for _ in 0..input.children.len().min(16) {
        let now = p.sibling_centres(&placed);
        if now == sibling_at {
            break;
        }
        sibling_at = now;
        placed = deferred_acceptance(&p, &sibling_at);
    }
    let explanations = explain::all(&p, &placed, &sibling_at);
    let name = |c: Option<u32>| c.map(|c| input.centers[c as usize].id.clone());
    Ok(Output {
        assignments: input.children.iter().zip(&placed).map(|(k, c)| (k.id.clone(), name(*c))).collect(),
        unassigned: input
            .children
            .iter()
            .zip(&placed)
            .filter(|(_, c)| c.is_none())
            .map(|(k, _)| k.id.clone())
            .collect(),
        lottery_seed: input.lottery_seed,
        explanations,
    })
}
