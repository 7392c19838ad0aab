//! The facilities of the geo index: each in a slot (stable number), with per facility type an R-tree of points
//! and a dense array of compact keys, so a query either walks outwards through a tree or, when its filters are
//! narrow, scans one type's keys in cache order — both bounded in time.

use std::collections::{BinaryHeap, HashMap};
use std::sync::Arc;

use rstar::RTree;
use rstar::primitives::GeomWithData;

use super::filter::{Filter, Hours, Key, Keys, hours_of};
use super::index::Projection;
use super::model::{FACILITY_KINDS, Facility};

type Entry = GeomWithData<[f64; 2], u32>;

/// How many nearest candidates of one type a query looks at before it concludes its filters are too narrow for
/// walking outwards to pay, and scans that type's compact keys instead.
const WALK_BUDGET: usize = 4_096;
/// How many keys of a type are looked at to judge how selective a query is.
const SAMPLE: usize = 128;
/// Measured on 100,000 facilities (bench/places.sh): one visit of the nearest-neighbour walk costs about as much
/// as testing forty keys in the columnar scan, so a walk pays while it is expected to visit fewer than a fortieth
/// of a type's facilities (tried 8, 20 and 40: p99 0.87, 0.64 and 0.52 ms for queries over every type).
const KEYS_PER_VISIT: usize = 40;

/// One facility type: its tree and, side by side, its keys, points (metres, f32: sub-millimetre over a district),
/// hours and slots.
#[derive(Default)]
struct Kind {
    tree: RTree<Entry>,
    keys: Keys,
    points: Vec<[f32; 2]>,
    hours: Vec<Hours>,
    slots: Vec<u32>,
}

#[derive(Default)]
pub struct FacilitySet {
    facilities: Vec<Option<Arc<Facility>>>,
    /// Where each occupied slot sits: (type, position in that type's arrays).
    place: Vec<(u8, u32)>,
    vacant: Vec<u32>,
    by_id: HashMap<String, u32>,
    kinds: Vec<Kind>,
    /// 행정동 codes as small numbers, for the compact keys.
    dongs: HashMap<String, u16>,
}

impl FacilitySet {
    /// Bulk-loads the trees (better balanced than grown point by point).
    pub fn build(facilities: Vec<Facility>, projection: &Projection) -> FacilitySet {
        let mut set = FacilitySet::default();
        set.kinds.resize_with(FACILITY_KINDS.len(), Kind::default);
        let mut entries: Vec<Vec<Entry>> = vec![Vec::new(); FACILITY_KINDS.len()];
        for f in facilities {
            let (i, kind, point) = set.place_new(f, projection);
            entries[kind].push(Entry::new(point, i));
        }
        for (kind, entries) in set.kinds.iter_mut().zip(entries) {
            kind.tree = RTree::bulk_load(entries);
        }
        set
    }

    pub fn dong_id(&self, code: &str) -> Option<u16> {
        self.dongs.get(code).copied()
    }

    /// Puts a facility in a slot and its type's arrays (not its tree); returns (slot, type, point).
    fn place_new(&mut self, f: Facility, projection: &Projection) -> (u32, usize, [f64; 2]) {
        let next = self.dongs.len().min(u16::MAX as usize - 1) as u16;
        let dong = *self.dongs.entry(f.adm_cd2.clone()).or_insert(next);
        let (key, point, hours) = (Key::of(&f, dong), projection.point(f.latitude, f.longitude), hours_of(&f));
        let i = self.vacant.pop().unwrap_or(self.facilities.len() as u32);
        if i as usize == self.facilities.len() {
            self.facilities.push(None);
            self.place.push((0, 0));
        }
        self.by_id.insert(f.id.clone(), i);
        self.facilities[i as usize] = Some(Arc::new(f));
        let kind = &mut self.kinds[key.kind as usize];
        self.place[i as usize] = (key.kind, kind.keys.len() as u32);
        kind.keys.push(&key);
        kind.points.push([point[0] as f32, point[1] as f32]);
        kind.hours.push(hours);
        kind.slots.push(i);
        (i, key.kind as usize, point)
    }

    pub fn insert(&mut self, f: Facility, projection: &Projection) {
        if self.kinds.is_empty() {
            self.kinds.resize_with(FACILITY_KINDS.len(), Kind::default);
        }
        self.remove(&f.id, projection);
        let (i, kind, point) = self.place_new(f, projection);
        self.kinds[kind].tree.insert(Entry::new(point, i));
    }

    pub fn remove(&mut self, id: &str, projection: &Projection) {
        let Some(i) = self.by_id.remove(id) else { return };
        let Some(f) = self.facilities[i as usize].take() else { return };
        let (k, pos) = self.place[i as usize];
        let kind = &mut self.kinds[k as usize];
        kind.tree.remove(&Entry::new(projection.point(f.latitude, f.longitude), i));
        kind.keys.swap_remove(pos as usize);
        kind.points.swap_remove(pos as usize);
        kind.hours.swap_remove(pos as usize);
        kind.slots.swap_remove(pos as usize);
        if let Some(moved) = kind.slots.get(pos as usize) {
            self.place[*moved as usize] = (k, pos);
        }
        self.vacant.push(i);
    }

    pub fn get(&self, i: u32) -> Option<&Arc<Facility>> {
        self.facilities.get(i as usize).and_then(Option::as_ref)
    }

    pub fn by_id(&self, id: &str) -> Option<&Arc<Facility>> {
        self.by_id.get(id).and_then(|i| self.get(*i))
    }

    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }

    pub fn all(&self) -> impl Iterator<Item = &Arc<Facility>> {
        self.facilities.iter().flatten()
    }

    fn admits(&self, filter: &Filter, i: u32) -> bool {
        let (k, pos) = self.place[i as usize];
        let kind = &self.kinds[k as usize];
        filter.admits_at(&kind.keys, pos as usize) && filter.admits_hours(&kind.hours[pos as usize])
    }

    /// The `limit` nearest admitted facilities of one type, as (squared distance from `at`, slot). Keeps the best
    /// so far in a bounded heap, and reads a facility's hours only when it would enter it.
    fn scan_kind(&self, kind: &Kind, filter: &Filter, at: [f64; 2], limit: usize) -> Vec<(f64, u32)> {
        let (x, y) = (at[0] as f32, at[1] as f32);
        // Squared distances are never negative, so their bit patterns order as the numbers do.
        let mut best: BinaryHeap<(u32, u32)> = BinaryHeap::with_capacity(limit + 1);
        for start in (0..kind.keys.len()).step_by(64) {
            let mut mask = filter.admitted_block(&kind.keys, start);
            while mask != 0 {
                let j = start + mask.trailing_zeros() as usize;
                mask &= mask - 1;
                let [px, py] = kind.points[j];
                let d2 = ((px - x).powi(2) + (py - y).powi(2)).to_bits();
                if best.len() == limit && best.peek().is_some_and(|(worst, _)| d2 >= *worst) {
                    continue;
                }
                if filter.admits_hours(&kind.hours[j]) {
                    best.push((d2, kind.slots[j]));
                    if best.len() > limit {
                        best.pop();
                    }
                }
            }
        }
        best.into_iter().map(|(d2, slot)| (f64::from(f32::from_bits(d2)), slot)).collect()
    }

    /// Walks outwards through one type's tree; `None` when the budget ran out before `limit` were found.
    fn walk_kind(&self, kind: &Kind, filter: &Filter, at: [f64; 2], limit: usize) -> Option<Vec<(f64, u32)>> {
        let mut hits = Vec::new();
        for (visited, (entry, d2)) in kind.tree.nearest_neighbor_iter_with_distance_2(&at).enumerate() {
            if visited == WALK_BUDGET {
                return None;
            }
            if self.admits(filter, entry.data) {
                hits.push((d2, entry.data));
                if hits.len() == limit {
                    break;
                }
            }
        }
        Some(hits)
    }

    fn wanted<'a>(&'a self, filter: &'a Filter) -> impl Iterator<Item = &'a Kind> + 'a {
        self.kinds.iter().enumerate().filter(|(k, _)| filter.wants_kind(*k)).map(|(_, kind)| kind)
    }

    /// How many candidates a walk would visit to find `limit`, judged from the share of a sample of the type's
    /// keys, taken at a stride across the arrays (import order clusters by neighbourhood), that the filters admit.
    fn expected_walk(kind: &Kind, filter: &Filter, limit: usize) -> usize {
        let stride = (kind.keys.len() / SAMPLE).max(1);
        let picks: Vec<usize> = (0..kind.keys.len()).step_by(stride).take(SAMPLE).collect();
        let sample = picks.len();
        let admitted = picks
            .into_iter()
            .filter(|j| filter.admits_at(&kind.keys, *j) && filter.admits_hours(&kind.hours[*j]))
            .count();
        (limit * sample).checked_div(admitted).unwrap_or(usize::MAX)
    }

    /// The `limit` nearest admitted facilities of each wanted type: walking outwards when the filters admit
    /// enough for that to find them quickly, else scanning the type's compact keys (a few microseconds per
    /// thousand), which also takes over from a walk that ran out of budget.
    pub fn nearest(&self, filter: &Filter, at: [f64; 2], limit: usize) -> Vec<(f64, u32)> {
        self.wanted(filter)
            .flat_map(|kind| {
                let worth_walking = (kind.keys.len() / KEYS_PER_VISIT).max(64);
                let walked = (Self::expected_walk(kind, filter, limit) <= worth_walking)
                    .then(|| self.walk_kind(kind, filter, at, limit))
                    .flatten();
                walked.unwrap_or_else(|| self.scan_kind(kind, filter, at, limit))
            })
            .collect()
    }

    /// Every admitted facility (listing without a point).
    pub fn matching(&self, filter: &Filter) -> Vec<u32> {
        let mut out = Vec::new();
        for kind in self.wanted(filter) {
            for start in (0..kind.keys.len()).step_by(64) {
                let mut mask = filter.admitted_block(&kind.keys, start);
                while mask != 0 {
                    let j = start + mask.trailing_zeros() as usize;
                    mask &= mask - 1;
                    if filter.admits_hours(&kind.hours[j]) {
                        out.push(kind.slots[j]);
                    }
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::places::index::PlaceQuery;
    use rand::{Rng, SeedableRng};

    fn facility(i: usize, rng: &mut rand_chacha::ChaCha8Rng) -> Facility {
        let capacity = rng.gen_range(5..30);
        Facility {
            id: format!("f{i}"),
            kind: FACILITY_KINDS[rng.gen_range(0..3)].into(),
            latitude: 37.6 + rng.gen_range(0.0..0.1),
            longitude: 127.0 + rng.gen_range(0.0..0.1),
            adm_cd2: format!("dong{}", rng.gen_range(0..4)),
            max_age_months: 100,
            capacity: Some(capacity),
            enrolled: Some(rng.gen_range(capacity - 3..=capacity)),
            ..Facility::default()
        }
    }

    #[test]
    fn walking_and_scanning_agree_with_brute_force_after_updates_and_removals() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
        let projection = Projection::around(37.65, 127.05);
        let mut live: HashMap<String, Facility> = HashMap::new();
        let start: Vec<Facility> = (0..300).map(|i| facility(i, &mut rng)).collect();
        for f in &start {
            live.insert(f.id.clone(), f.clone());
        }
        let mut set = FacilitySet::build(start, &projection);
        for step in 0..200 {
            let id = format!("f{}", rng.gen_range(0..320));
            if step % 3 == 0 {
                set.remove(&id, &projection);
                live.remove(&id);
            } else {
                let mut f = facility(0, &mut rng);
                f.id = id.clone();
                set.insert(f.clone(), &projection);
                live.insert(id, f);
            }
        }
        assert_eq!(set.len(), live.len());
        for kinds in [vec![], vec!["daycare".to_string()]] {
            let q = PlaceQuery { kinds, vacancy: true, dong: Some("dong1".into()), ..PlaceQuery::default() };
            let filter = Filter::compile(&q, |d| set.dong_id(d));
            let at = projection.point(37.65, 127.05);
            let mut expected: Vec<(f64, String)> = live
                .values()
                .filter(|f| q.kinds.is_empty() || q.kinds.contains(&f.kind))
                .filter(|f| f.vacancies().is_some_and(|v| v > 0) && f.adm_cd2 == "dong1")
                .map(|f| {
                    let p = projection.point(f.latitude, f.longitude);
                    ((p[0] - at[0]).powi(2) + (p[1] - at[1]).powi(2), f.id.clone())
                })
                .collect();
            expected.sort_by(|a, b| a.0.total_cmp(&b.0));
            expected.truncate(5);
            let ids = |mut hits: Vec<(f64, u32)>| {
                hits.sort_by(|a, b| a.0.total_cmp(&b.0));
                hits.truncate(5);
                hits.into_iter().map(|(_, i)| set.get(i).map(|f| f.id.clone()).unwrap_or_default()).collect::<Vec<_>>()
            };
            let want: Vec<String> = expected.into_iter().map(|(_, id)| id).collect();
            let (walked, scanned): (Vec<_>, Vec<_>) = set
                .wanted(&filter)
                .map(|kind| {
                    (set.walk_kind(kind, &filter, at, 5).expect("within budget"), set.scan_kind(kind, &filter, at, 5))
                })
                .unzip();
            assert_eq!(ids(walked.concat()), want);
            assert_eq!(ids(scanned.concat()), want);
            assert_eq!(ids(set.nearest(&filter, at, 5)), want);
        }
    }
}
