//! One allocation round: child-proposing deferred acceptance over the centres' orders, repeated while sibling
//! priority changes someone's order (a child whose brother or sister is placed at a centre comes first in their
//! class there).

use std::collections::{BTreeMap, BinaryHeap, HashMap};

use serde::{Deserialize, Serialize};

use super::explain::{self, Explanation};
use super::input::{Input, InputError};
use super::lottery::lottery_number;

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
    pub capacity: Vec<usize>,
    /// Each child's choices as centre indices.
    pub choices: Vec<Vec<u32>>,
    pub lottery: Vec<u64>,
    /// For centres with their own ranking: child index → position.
    rank: Vec<Option<HashMap<u32, u64>>>,
    /// Each child's siblings as child indices.
    siblings: Vec<Vec<u32>>,
    /// Each child's band, interned; [`NO_BAND`] when it has none.
    band: Vec<u32>,
    /// Per centre with bands: band → places.
    band_capacity: Vec<Option<HashMap<u32, usize>>>,
}

/// The band of a child without one, and the one band of a centre without bands.
pub(crate) const NO_BAND: u32 = u32::MAX;

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
        let band_capacity = input
            .centers
            .iter()
            .map(|c| c.bands.as_ref().map(|b| b.iter().map(|(name, n)| (intern(name), (*n).max(0) as usize)).collect()))
            .collect();
        Prepared {
            band,
            band_capacity,
            input,
            capacity: input.centers.iter().map(|c| c.capacity.max(0) as usize).collect(),
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

    /// The band child `k` takes at centre `c` and its places there: the centre's one band when it has none
    /// (bounded by the centre's capacity only), nothing when the centre has no class for the child's age.
    pub fn band_at(&self, c: u32, k: u32) -> (u32, usize) {
        match &self.band_capacity[c as usize] {
            None => (NO_BAND, usize::MAX),
            Some(caps) => {
                let band = self.band[k as usize];
                (band, caps.get(&band).copied().unwrap_or(0))
            }
        }
    }

    /// Centres where a sibling of each child is placed.
    fn sibling_centres(&self, placed: &[Option<u32>]) -> Vec<Vec<u32>> {
        self.siblings.iter().map(|sibs| sibs.iter().filter_map(|s| placed[*s as usize]).collect()).collect()
    }
}

/// Deferred acceptance with children proposing: each child's centre index, or `None`.
fn deferred_acceptance(p: &Prepared, sibling_at: &[Vec<u32>]) -> Vec<Option<u32>> {
    let n = p.choices.len();
    let mut next = vec![0usize; n];
    let mut held: Vec<Held> = (0..p.capacity.len()).map(|_| Held::default()).collect();
    let mut free: Vec<u32> = (0..n as u32).rev().collect();
    while let Some(k) = free.pop() {
        let ku = k as usize;
        let Some(&c) = p.choices[ku].get(next[ku]) else { continue };
        next[ku] += 1;
        let key = p.key(c, k, sibling_at[ku].contains(&c));
        let (band, band_places) = p.band_at(c, k);
        if let Some(out) = held[c as usize].propose(key, k, band, band_places, p.capacity[c as usize]) {
            free.push(out);
        }
    }
    let mut placed = vec![None; n];
    for (c, h) in held.iter().enumerate() {
        for (_, heap) in &h.bands {
            for (_, k) in heap {
                placed[*k as usize] = Some(c as u32);
            }
        }
    }
    placed
}

/// What a centre holds during deferred acceptance: per band, the children held, worst on top. (A centre has one
/// band or a handful: a list beats a map here.)
#[derive(Default)]
struct Held {
    bands: Vec<(u32, BinaryHeap<(Key, u32)>)>,
    total: usize,
}

impl Held {
    /// Child `k` asks for a place in `band`; returns the child turned away (`k` itself, or one it displaced). This
    /// is the greedy choice over the held children and `k` (best first, while its band and the centre have room),
    /// which keeps deferred acceptance stable and strategy-proof under band capacities nested in the total.
    fn propose(&mut self, key: Key, k: u32, band: u32, band_places: usize, places: usize) -> Option<u32> {
        if band_places == 0 || places == 0 {
            return Some(k);
        }
        let in_band = self.bands.iter().find(|(b, _)| *b == band).map_or(0, |(_, h)| h.len());
        // Full band: the new child can only replace the worst of its own band.
        // Full centre (band with room): it can only replace the worst held in any band.
        let rival_band = if in_band >= band_places {
            Some(band)
        } else if self.total >= places {
            self.bands.iter().filter_map(|(b, h)| h.peek().map(|w| (w.0, *b))).max().map(|(_, b)| b)
        } else {
            None
        };
        let out = match rival_band {
            None => {
                self.total += 1;
                None
            }
            Some(b) => {
                let Some((_, heap)) = self.bands.iter_mut().find(|(x, _)| *x == b) else { return Some(k) };
                if heap.peek().is_some_and(|worst| key < worst.0) {
                    heap.pop().map(|(_, out)| out)
                } else {
                    return Some(k);
                }
            }
        };
        match self.bands.iter_mut().find(|(b, _)| *b == band) {
            Some((_, heap)) => heap.push((key, k)),
            None => self.bands.push((band, BinaryHeap::from(vec![(key, k)]))),
        }
        out
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
