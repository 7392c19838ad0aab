//! Matching care applications to facilities and caregivers: pure code, no I/O, and every choice explained.
//!
//! A provider can take an application when it gives that service, serves the child's age, is open (or available)
//! for all the hours asked, has a free place in each of those hours (a caregiver: no other care then and a week's
//! workload under the limit), has the qualifications the child needs and keeps the guardian's preferences, and has
//! not already declined it. Among those, applications asking for the same hours are placed together so that the
//! total distance is least (a min-cost flow, `super::assignment`), not first come first served: a family 300 m from one
//! centre is not sent 4 km away because a family with another centre next door applied a minute earlier.

use std::collections::HashMap;

use chrono::NaiveDate;
use rstar::RTree;
use rstar::primitives::GeomWithData;
use serde::Serialize;

use super::assignment;
use super::ledger::Ledger;
use super::rules::Service;
use crate::places::hours::WeeklyHours;

/// An application as the matcher sees it; points are in metres on the municipality's projection.
#[derive(Clone, Debug)]
pub struct Need {
    pub service: Service,
    pub point: [f64; 2],
    pub age_months: i32,
    pub first_day: NaiveDate,
    pub days: u32,
    /// Minutes after midnight, `end` up to 1440.
    pub start: u16,
    pub end: u16,
    /// Qualifications the caregiver must hold (see [`requirements`]).
    pub requires: Vec<&'static str>,
    /// Guardian's preferences: a caregiver of this sex (`F`/`M`), speaking this language, this provider first.
    pub caregiver_sex: Option<String>,
    pub language: Option<String>,
    pub preferred: Option<String>,
    /// Providers that declined this application or let its deadline pass.
    pub refused_by: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct Provider {
    pub id: String,
    pub point: [f64; 2],
    /// Opening hours of a facility; the hours a caregiver is available.
    pub hours: WeeklyHours,
    pub kind: ProviderKind,
}

#[derive(Clone, Debug)]
pub enum ProviderKind {
    Facility {
        /// Places registry type code (`community_care` …).
        kind: String,
        min_age_months: i32,
        max_age_months: i32,
        /// Places kept for emergency care in any hour.
        places: u32,
    },
    Caregiver {
        sex: String,
        languages: Vec<String>,
        qualifications: Vec<String>,
        weekly_limit_minutes: u32,
    },
}

/// Care already booked: a facility's places or a caregiver's time, on one day.
#[derive(Clone, Copy, Debug)]
pub struct Booking {
    pub provider: usize,
    pub day: NaiveDate,
    pub start: u16,
    pub end: u16,
}

/// Why a provider nearer than the one chosen was passed over (catalog keys `care-why-*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    OtherService,
    Age,
    Closed,
    Full,
    Busy,
    Workload,
    Qualification,
    Preference,
    Declined,
    /// It had room, but placing another application there left less distance in total.
    Taken,
}

impl Reason {
    pub fn key(self) -> &'static str {
        match self {
            Reason::OtherService => "care-why-other-service",
            Reason::Age => "care-why-age",
            Reason::Closed => "care-why-closed",
            Reason::Full => "care-why-full",
            Reason::Busy => "care-why-busy",
            Reason::Workload => "care-why-workload",
            Reason::Qualification => "care-why-qualification",
            Reason::Preference => "care-why-preference",
            Reason::Declined => "care-why-declined",
            Reason::Taken => "care-why-taken",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Passed {
    pub provider: usize,
    pub distance_m: f64,
    pub reason: Reason,
}

/// The matcher's answer for one application: the provider (index into the providers given) and why.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Match {
    pub provider: Option<usize>,
    pub distance_m: f64,
    /// The providers nearer than the one chosen (all within reach when none was), nearest first, at most
    /// [`Settings::explained`].
    pub passed_over: Vec<Passed>,
}

#[derive(Clone, Copy, Debug)]
pub struct Settings {
    /// Farther than this is not offered (metres).
    pub max_distance_m: f64,
    /// Providers with room first considered per application in the joint placement (more where it matters).
    pub candidates: usize,
    pub explained: usize,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings { max_distance_m: 10_000.0, candidates: 24, explained: 5 }
    }
}

/// Qualifications a child's care needs: infant care under 만 3, special-needs training when the guardian wrote any.
pub fn requirements(age_months: i32, special_needs: bool) -> Vec<&'static str> {
    let mut out = Vec::new();
    if age_months < 36 {
        out.push("infant");
    }
    if special_needs {
        out.push("special_needs");
    }
    out
}

/// Places every application it can, least total distance first among applications for the same hours, earlier
/// hours first; `booked` is the care already promised.
pub fn match_all(providers: &[Provider], booked: &[Booking], needs: &[Need], settings: &Settings) -> Vec<Match> {
    let trees = Trees::new(providers);
    let mut ledger = Ledger::new(providers, booked);
    let mut out = vec![Match::default(); needs.len()];
    for group in same_hours(needs) {
        let (walks, placed) = place_group(&trees, providers, &ledger, &group, needs, settings);
        for (&i, chosen) in group.iter().zip(&placed) {
            if let Some((p, _)) = chosen {
                ledger.book(providers, *p, &needs[i]);
            }
        }
        for ((&i, walk), chosen) in group.iter().zip(&walks).zip(placed) {
            out[i] = explain(walk, chosen, settings);
        }
    }
    out
}

/// Places one group of applications asking for the same hours. Each starts with its nearest
/// `settings.candidates` providers with room. The potentials of the placement bound what a provider beyond an
/// application's candidates could save (see [`assignment::Assignment`]); while that bound says one might, the
/// application's candidates are doubled and the group placed again. The answer is then the least total distance
/// over all providers within reach, not only the candidates.
fn place_group(
    trees: &Trees,
    providers: &[Provider],
    ledger: &Ledger,
    group: &[usize],
    needs: &[Need],
    settings: &Settings,
) -> (Vec<Walk>, Vec<Option<(usize, f64)>>) {
    let first = settings.candidates.max(1);
    let mut limits = vec![first; group.len()];
    let mut walks: Vec<Walk> =
        group.iter().map(|&i| walk(trees, providers, ledger, &needs[i], settings, first)).collect();
    loop {
        let solved = place_jointly(&walks, settings);
        let mut widened = false;
        for (j, walk) in walks.iter_mut().enumerate() {
            let could_save = walk.complete_to.is_some_and(|d| d + solved.potential[j] < -1e-6);
            if could_save {
                limits[j] *= 2;
                *walk = self::walk(trees, providers, ledger, &needs[group[j]], settings, limits[j]);
                widened = true;
            }
        }
        if !widened {
            return (walks, solved.placed);
        }
    }
}

/// A provider with room for an application.
#[derive(Clone, Copy, Debug)]
struct Open {
    provider: usize,
    distance: f64,
    /// Distance, or zero for the guardian's preferred provider.
    cost: f64,
    room: u32,
}

impl Open {
    fn new(provider: &Provider, p: usize, need: &Need, distance: f64, room: u32) -> Open {
        let preferred = need.preferred.as_deref() == Some(provider.id.as_str());
        Open { provider: p, distance, cost: if preferred { 0.0 } else { distance }, room }
    }
}

/// What walking outwards from an application found: providers with room (nearest first) and those passed over
/// on the way.
struct Walk {
    open: Vec<Open>,
    passed: Vec<Passed>,
    /// Every provider with room nearer than this is in `open`; `None` when all within reach are.
    complete_to: Option<f64>,
}

fn walk(
    trees: &Trees,
    providers: &[Provider],
    ledger: &Ledger,
    need: &Need,
    settings: &Settings,
    limit: usize,
) -> Walk {
    let mut found = Walk { open: Vec::new(), passed: Vec::new(), complete_to: None };
    for (p, distance) in trees.nearest(need, settings.max_distance_m) {
        match ledger.room(&providers[p], p, need) {
            Err(reason) => found.passed.push(Passed { provider: p, distance_m: distance, reason }),
            Ok(room) => {
                found.open.push(Open::new(&providers[p], p, need, distance, room));
                if found.open.len() >= limit {
                    found.complete_to = Some(distance);
                    break;
                }
            }
        }
    }
    if let Some(preferred) = need.preferred.as_deref() {
        add_preferred(&mut found, providers, ledger, need, settings, preferred);
    }
    found
}

/// The guardian's preferred provider is a candidate wherever it is within reach, not only among the nearest.
fn add_preferred(walk: &mut Walk, providers: &[Provider], ledger: &Ledger, need: &Need, settings: &Settings, id: &str) {
    let Some(p) = providers.iter().position(|p| p.id == id) else { return };
    let distance = distance(need.point, providers[p].point);
    if walk.open.iter().any(|o| o.provider == p) || distance > settings.max_distance_m {
        return;
    }
    if let Ok(room) = ledger.room(&providers[p], p, need) {
        walk.open.push(Open::new(&providers[p], p, need, distance, room));
    }
}

fn distance(a: [f64; 2], b: [f64; 2]) -> f64 {
    ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)).sqrt()
}

/// The joint placement of applications asking for the same hours, with the potentials that prove it least
/// (see [`assignment::Assignment`]).
struct Solved {
    /// `(provider, distance)` per application.
    placed: Vec<Option<(usize, f64)>>,
    potential: Vec<f64>,
}

fn place_jointly(walks: &[Walk], settings: &Settings) -> Solved {
    let mut local: HashMap<usize, u32> = HashMap::new();
    let mut capacities: Vec<u32> = Vec::new();
    let mut global: Vec<usize> = Vec::new();
    let arcs: Vec<assignment::Arcs> = walks
        .iter()
        .map(|w| {
            w.open
                .iter()
                .map(|o| {
                    let id = *local.entry(o.provider).or_insert_with(|| {
                        global.push(o.provider);
                        capacities.push(o.room);
                        global.len() as u32 - 1
                    });
                    (id, o.cost)
                })
                .collect()
        })
        .collect();
    let unplaced = 2.0 * settings.max_distance_m + 1.0;
    let result = assignment::assign(&capacities, &arcs, unplaced);
    let placed = result
        .places
        .into_iter()
        .zip(walks)
        .map(|(place, w)| {
            let p = global[place? as usize];
            w.open.iter().find(|o| o.provider == p).map(|o| (p, o.distance))
        })
        .collect();
    Solved { placed, potential: result.application_potential }
}

fn explain(walk: &Walk, chosen: Option<(usize, f64)>, settings: &Settings) -> Match {
    let limit = chosen.map_or(f64::INFINITY, |(_, d)| d);
    let taken = walk.open.iter().filter(|o| Some(o.provider) != chosen.map(|c| c.0)).map(|o| Passed {
        provider: o.provider,
        distance_m: o.distance,
        reason: Reason::Taken,
    });
    let mut passed: Vec<Passed> = walk.passed.iter().cloned().chain(taken).filter(|p| p.distance_m < limit).collect();
    passed.sort_by(|a, b| a.distance_m.total_cmp(&b.distance_m));
    passed.truncate(settings.explained);
    Match { provider: chosen.map(|c| c.0), distance_m: chosen.map_or(0.0, |c| c.1), passed_over: passed }
}

/// Applications grouped by the hours they ask for, groups in the order of those hours.
fn same_hours(needs: &[Need]) -> Vec<Vec<usize>> {
    let mut groups: HashMap<(bool, NaiveDate, u32, u16, u16), Vec<usize>> = HashMap::new();
    for (i, n) in needs.iter().enumerate() {
        let at_home = n.service == Service::HomeVisit;
        groups.entry((at_home, n.first_day, n.days, n.start, n.end)).or_default().push(i);
    }
    let mut keys: Vec<_> = groups.keys().copied().collect();
    keys.sort_by_key(|k| (k.1, k.3, k.4, k.2, k.0));
    keys.into_iter().filter_map(|k| groups.remove(&k)).collect()
}

/// Providers by where they are, one tree for facilities and one for caregivers.
struct Trees {
    facilities: RTree<GeomWithData<[f64; 2], usize>>,
    caregivers: RTree<GeomWithData<[f64; 2], usize>>,
}

impl Trees {
    fn new(providers: &[Provider]) -> Trees {
        let (mut facilities, mut caregivers) = (Vec::new(), Vec::new());
        for (i, p) in providers.iter().enumerate() {
            let entry = GeomWithData::new(p.point, i);
            match p.kind {
                ProviderKind::Facility { .. } => facilities.push(entry),
                ProviderKind::Caregiver { .. } => caregivers.push(entry),
            }
        }
        Trees { facilities: RTree::bulk_load(facilities), caregivers: RTree::bulk_load(caregivers) }
    }

    /// Providers of the application's kind within reach, nearest first, with their distance in metres.
    fn nearest(&self, need: &Need, max_distance_m: f64) -> impl Iterator<Item = (usize, f64)> + '_ {
        let tree = if need.service == Service::HomeVisit { &self.caregivers } else { &self.facilities };
        let at = need.point;
        tree.nearest_neighbor_iter_with_distance_2(&at)
            .map(|(e, d2)| (e.data, d2.sqrt()))
            .take_while(move |(_, d)| *d <= max_distance_m)
    }
}

#[cfg(test)]
#[path = "matcher_tests.rs"]
mod tests;
