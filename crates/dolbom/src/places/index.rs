//! The in-memory geo index of facilities and groups: one R-tree (rstar) per facility type, so a type filter costs
//! nothing, over points projected to metres around the district, so nearest means nearest on the ground. Every
//! other filter is checked on the facility itself while walking outwards from the point.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use chrono::NaiveDateTime;
use rstar::RTree;
use rstar::primitives::GeomWithData;
use serde::Serialize;

use super::model::{FACILITY_KINDS, Facility, Group};

type Entry = GeomWithData<[f64; 2], Arc<str>>;

/// Metres per degree around `origin` (equirectangular; the error over one 시·군·구 is far below a metre per km).
#[derive(Clone, Copy, Debug)]
pub struct Projection {
    lat0: f64,
    lon0: f64,
    x_per_degree: f64,
}

impl Projection {
    pub fn around(lat0: f64, lon0: f64) -> Projection {
        Projection { lat0, lon0, x_per_degree: 111_320.0 * lat0.to_radians().cos() }
    }

    pub fn point(&self, lat: f64, lon: f64) -> [f64; 2] {
        [(lon - self.lon0) * self.x_per_degree, (lat - self.lat0) * 110_574.0]
    }
}

/// What a resident asks for. Empty `kinds` means every facility type.
#[derive(Clone, Debug, Default)]
pub struct PlaceQuery {
    pub near: Option<(f64, f64)>,
    pub dong: Option<String>,
    pub kinds: Vec<String>,
    pub age_months: Option<i32>,
    pub vacancy: bool,
    /// Local time (Asia/Seoul) the place must be open at.
    pub open_at: Option<NaiveDateTime>,
    pub language: Option<String>,
    pub limit: usize,
}

impl PlaceQuery {
    fn admits(&self, f: &Facility) -> bool {
        self.dong.as_ref().is_none_or(|d| *d == f.adm_cd2)
            && self.age_months.is_none_or(|m| f.serves_age(m))
            && (!self.vacancy || f.vacancies().is_some_and(|v| v > 0))
            && self.open_at.is_none_or(|at| f.hours.open_at(at))
            && self.language.as_ref().is_none_or(|l| f.languages.contains(l))
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Hit<T> {
    #[serde(flatten)]
    pub place: Arc<T>,
    /// Metres from the asked point, when one was given.
    pub distance_m: Option<f64>,
}

#[derive(Default)]
struct Snapshot {
    facilities: HashMap<Arc<str>, Arc<Facility>>,
    trees: HashMap<String, RTree<Entry>>,
    groups: HashMap<Arc<str>, Arc<Group>>,
    group_tree: RTree<Entry>,
}

pub struct PlaceIndex {
    projection: Projection,
    inner: RwLock<Snapshot>,
    /// Bumped on every change, so the map's live stream knows when to tell browsers.
    version: tokio::sync::watch::Sender<u64>,
}

impl PlaceIndex {
    pub fn new(projection: Projection) -> PlaceIndex {
        PlaceIndex { projection, inner: RwLock::default(), version: tokio::sync::watch::Sender::new(0) }
    }

    /// Loads everything at once (bulk-loaded trees are better balanced than ones grown point by point).
    pub fn load(&self, facilities: Vec<Facility>, groups: Vec<Group>) {
        let mut by_kind: HashMap<String, Vec<Entry>> = HashMap::new();
        let mut snapshot = Snapshot::default();
        for f in facilities {
            let id: Arc<str> = f.id.as_str().into();
            by_kind
                .entry(f.kind.clone())
                .or_default()
                .push(Entry::new(self.projection.point(f.latitude, f.longitude), id.clone()));
            snapshot.facilities.insert(id, Arc::new(f));
        }
        snapshot.trees = by_kind.into_iter().map(|(k, entries)| (k, RTree::bulk_load(entries))).collect();
        let group_entries = groups
            .into_iter()
            .map(|g| {
                let id: Arc<str> = g.id.as_str().into();
                let entry = Entry::new(self.projection.point(g.latitude, g.longitude), id.clone());
                snapshot.groups.insert(id, Arc::new(g));
                entry
            })
            .collect();
        snapshot.group_tree = RTree::bulk_load(group_entries);
        *self.inner.write().unwrap_or_else(|e| e.into_inner()) = snapshot;
        self.version.send_modify(|v| *v += 1);
    }

    pub fn upsert_facility(&self, f: Facility) {
        let mut s = self.inner.write().unwrap_or_else(|e| e.into_inner());
        self.remove_facility_locked(&mut s, &f.id);
        let id: Arc<str> = f.id.as_str().into();
        let entry = Entry::new(self.projection.point(f.latitude, f.longitude), id.clone());
        s.trees.entry(f.kind.clone()).or_default().insert(entry);
        s.facilities.insert(id, Arc::new(f));
        drop(s);
        self.version.send_modify(|v| *v += 1);
    }

    pub fn remove_facility(&self, id: &str) {
        let mut s = self.inner.write().unwrap_or_else(|e| e.into_inner());
        self.remove_facility_locked(&mut s, id);
        drop(s);
        self.version.send_modify(|v| *v += 1);
    }

    fn remove_facility_locked(&self, s: &mut Snapshot, id: &str) {
        if let Some(old) = s.facilities.remove(id) {
            let entry = Entry::new(self.projection.point(old.latitude, old.longitude), id.into());
            if let Some(tree) = s.trees.get_mut(&old.kind) {
                tree.remove(&entry);
            }
        }
    }

    pub fn upsert_group(&self, g: Group) {
        let mut s = self.inner.write().unwrap_or_else(|e| e.into_inner());
        if let Some(old) = s.groups.remove(g.id.as_str()) {
            let entry = Entry::new(self.projection.point(old.latitude, old.longitude), old.id.as_str().into());
            s.group_tree.remove(&entry);
        }
        let id: Arc<str> = g.id.as_str().into();
        s.group_tree.insert(Entry::new(self.projection.point(g.latitude, g.longitude), id.clone()));
        s.groups.insert(id, Arc::new(g));
        drop(s);
        self.version.send_modify(|v| *v += 1);
    }

    pub fn facility(&self, id: &str) -> Option<Arc<Facility>> {
        self.inner.read().unwrap_or_else(|e| e.into_inner()).facilities.get(id).cloned()
    }

    pub fn group(&self, id: &str) -> Option<Arc<Group>> {
        self.inner.read().unwrap_or_else(|e| e.into_inner()).groups.get(id).cloned()
    }

    pub fn len(&self) -> usize {
        self.inner.read().unwrap_or_else(|e| e.into_inner()).facilities.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// A receiver that sees a new value after every change.
    pub fn changes(&self) -> tokio::sync::watch::Receiver<u64> {
        self.version.subscribe()
    }

    /// Facilities matching every filter: nearest first from `near`, else by 행정동 and name; at most `limit`.
    pub fn facilities(&self, q: &PlaceQuery) -> Vec<Hit<Facility>> {
        let s = self.inner.read().unwrap_or_else(|e| e.into_inner());
        let kinds: Vec<&str> =
            if q.kinds.is_empty() { FACILITY_KINDS.to_vec() } else { q.kinds.iter().map(String::as_str).collect() };
        let trees = kinds.iter().filter_map(|k| s.trees.get(*k));
        let limit = q.limit.max(1);
        match q.near {
            Some((lat, lon)) => {
                let at = self.projection.point(lat, lon);
                let mut hits: Vec<Hit<Facility>> = Vec::new();
                for tree in trees {
                    let nearest = tree
                        .nearest_neighbor_iter_with_distance_2(&at)
                        .filter_map(|(e, d2)| s.facilities.get(&e.data).map(|f| (f, d2)))
                        .filter(|(f, _)| q.admits(f))
                        .take(limit)
                        .map(|(f, d2)| Hit { place: f.clone(), distance_m: Some(d2.sqrt()) });
                    hits.extend(nearest);
                }
                hits.sort_by(|a, b| a.distance_m.partial_cmp(&b.distance_m).unwrap_or(std::cmp::Ordering::Equal));
                hits.truncate(limit);
                hits
            }
            None => {
                let mut hits: Vec<Hit<Facility>> = trees
                    .flat_map(|t| t.iter())
                    .filter_map(|e| s.facilities.get(&e.data))
                    .filter(|f| q.admits(f))
                    .map(|f| Hit { place: f.clone(), distance_m: None })
                    .collect();
                hits.sort_by(|a, b| (&a.place.adm_cd2, &a.place.name).cmp(&(&b.place.adm_cd2, &b.place.name)));
                hits.truncate(limit);
                hits
            }
        }
    }

    /// Groups in a 행정동 and of the given kinds (all when empty), nearest first from `near`, else by name.
    pub fn groups(
        &self,
        near: Option<(f64, f64)>,
        dong: Option<&str>,
        kinds: &[String],
        limit: usize,
    ) -> Vec<Hit<Group>> {
        let s = self.inner.read().unwrap_or_else(|e| e.into_inner());
        let admits = |g: &Group| dong.is_none_or(|d| d == g.adm_cd2) && (kinds.is_empty() || kinds.contains(&g.kind));
        let mut hits: Vec<Hit<Group>> = match near {
            Some((lat, lon)) => s
                .group_tree
                .nearest_neighbor_iter_with_distance_2(&self.projection.point(lat, lon))
                .filter_map(|(e, d2)| s.groups.get(&e.data).map(|g| (g, d2)))
                .filter(|(g, _)| admits(g))
                .take(limit)
                .map(|(g, d2)| Hit { place: g.clone(), distance_m: Some(d2.sqrt()) })
                .collect(),
            None => {
                s.groups.values().filter(|g| admits(g)).map(|g| Hit { place: g.clone(), distance_m: None }).collect()
            }
        };
        if near.is_none() {
            hits.sort_by(|a, b| a.place.name.cmp(&b.place.name));
            hits.truncate(limit);
        }
        hits
    }

    /// Per 행정동: (facilities, free places), for the map's layer.
    pub fn per_dong(&self) -> HashMap<String, (usize, i64)> {
        let s = self.inner.read().unwrap_or_else(|e| e.into_inner());
        let mut out: HashMap<String, (usize, i64)> = HashMap::new();
        for f in s.facilities.values() {
            let entry = out.entry(f.adm_cd2.clone()).or_default();
            entry.0 += 1;
            entry.1 += i64::from(f.vacancies().unwrap_or(0));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::places::hours::Span;

    fn facility(id: &str, kind: &str, lat: f64, lon: f64, capacity: i32, enrolled: i32) -> Facility {
        let (capacity, enrolled) = (Some(capacity), Some(enrolled));
        Facility {
            id: id.into(),
            kind: kind.into(),
            name: id.into(),
            latitude: lat,
            longitude: lon,
            adm_cd2: "1135063000".into(),
            min_age_months: 72,
            max_age_months: 155,
            capacity,
            enrolled,
            languages: vec!["ko".into()],
            ..Facility::default()
        }
    }

    #[test]
    fn nearest_first_with_filters_across_kinds() {
        let index = PlaceIndex::new(Projection::around(37.65, 127.06));
        let mut saturday = facility("far-open", "community_care", 37.67, 127.06, 20, 10);
        saturday.hours.0[5] = Some(Span { opens: 540, closes: 1080 });
        index.load(
            vec![
                facility("near-full", "community_care", 37.651, 127.06, 20, 20),
                facility("near-free", "local_children", 37.652, 127.06, 20, 5),
                saturday,
            ],
            Vec::new(),
        );
        let q = PlaceQuery { near: Some((37.65, 127.06)), limit: 10, ..PlaceQuery::default() };
        let ids: Vec<String> = index.facilities(&q).iter().map(|h| h.place.id.clone()).collect();
        assert_eq!(ids, ["near-full", "near-free", "far-open"]);
        let first = index.facilities(&q)[0].distance_m.unwrap();
        assert!((first - 110.6).abs() < 1.0, "about 111 m north: {first}");

        let free = PlaceQuery { vacancy: true, kinds: vec!["community_care".into()], ..q.clone() };
        let saturday_morning = chrono::NaiveDate::from_ymd_opt(2026, 11, 28).unwrap().and_hms_opt(10, 0, 0);
        let open = PlaceQuery { open_at: saturday_morning, ..free.clone() };
        assert_eq!(index.facilities(&open).iter().map(|h| h.place.id.as_str()).collect::<Vec<_>>(), ["far-open"]);
        let toddler = PlaceQuery { age_months: Some(30), ..q.clone() };
        assert!(index.facilities(&toddler).is_empty());

        index.upsert_facility(facility("near-full", "community_care", 37.651, 127.06, 20, 19));
        assert_eq!(index.facilities(&free).len(), 2, "a vacancy appears at once");
        index.remove_facility("far-open");
        assert_eq!(index.facilities(&free).len(), 1);
        assert_eq!(index.per_dong()["1135063000"], (2, 16));
    }
}
