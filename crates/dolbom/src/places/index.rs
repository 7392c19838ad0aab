//! The in-memory geo index of facilities and groups, over points projected to metres around the district, so
//! nearest means nearest on the ground. Facilities live in [`super::slots::FacilitySet`]: per type an R-tree (rstar)
//! and compact columns of the facts the filters test, walked outwards or scanned, whichever is cheaper.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use chrono::NaiveDateTime;
use rstar::RTree;
use rstar::primitives::GeomWithData;
use serde::Serialize;

use super::filter::Filter;
use super::model::{Facility, Group};
use super::slots::FacilitySet;

/// Metres per degree around the origin on the WGS84 ellipsoid (equirectangular; over one 시·군·구 the error stays
/// well below a metre per kilometre).
#[derive(Clone, Copy, Debug)]
pub struct Projection {
    lat0: f64,
    lon0: f64,
    x_per_degree: f64,
    y_per_degree: f64,
}

impl Projection {
    pub fn around(lat0: f64, lon0: f64) -> Projection {
        let phi = lat0.to_radians();
        let y_per_degree = 111_132.954 - 559.822 * (2.0 * phi).cos() + 1.175 * (4.0 * phi).cos();
        let x_per_degree = 111_412.84 * phi.cos() - 93.5 * (3.0 * phi).cos() + 0.118 * (5.0 * phi).cos();
        Projection { lat0, lon0, x_per_degree, y_per_degree }
    }

    pub fn point(&self, lat: f64, lon: f64) -> [f64; 2] {
        [(lon - self.lon0) * self.x_per_degree, (lat - self.lat0) * self.y_per_degree]
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

#[derive(Clone, Debug, Serialize)]
pub struct Hit<T> {
    #[serde(flatten)]
    pub place: Arc<T>,
    /// Metres from the asked point, when one was given.
    pub distance_m: Option<f64>,
}

type GroupEntry = GeomWithData<[f64; 2], Arc<str>>;

#[derive(Default)]
struct Snapshot {
    facilities: FacilitySet,
    groups: HashMap<Arc<str>, Arc<Group>>,
    group_tree: RTree<GroupEntry>,
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

    /// Metres on the municipality's plane, as the index measures distances.
    pub fn projection(&self) -> Projection {
        self.projection
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Snapshot> {
        self.inner.write().unwrap_or_else(|e| e.into_inner())
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Snapshot> {
        self.inner.read().unwrap_or_else(|e| e.into_inner())
    }

    fn changed(&self) {
        self.version.send_modify(|v| *v += 1);
    }

    /// Loads everything at once (bulk-loaded trees are better balanced than ones grown point by point).
    pub fn load(&self, facilities: Vec<Facility>, groups: Vec<Group>) {
        let mut s = Snapshot { facilities: FacilitySet::build(facilities, &self.projection), ..Snapshot::default() };
        let group_entries = groups
            .into_iter()
            .map(|g| {
                let id: Arc<str> = g.id.as_str().into();
                let entry = GroupEntry::new(self.projection.point(g.latitude, g.longitude), id.clone());
                s.groups.insert(id, Arc::new(g));
                entry
            })
            .collect();
        s.group_tree = RTree::bulk_load(group_entries);
        *self.write() = s;
        self.changed();
    }

    pub fn upsert_facility(&self, f: Facility) {
        self.write().facilities.insert(f, &self.projection);
        self.changed();
    }

    pub fn remove_group(&self, id: &str) {
        {
            let mut s = self.write();
            if let Some(old) = s.groups.remove(id) {
                let entry = GroupEntry::new(self.projection.point(old.latitude, old.longitude), old.id.as_str().into());
                s.group_tree.remove(&entry);
            }
        }
        self.changed();
    }

    pub fn remove_facility(&self, id: &str) {
        self.write().facilities.remove(id, &self.projection);
        self.changed();
    }

    pub fn upsert_group(&self, g: Group) {
        {
            let mut s = self.write();
            if let Some(old) = s.groups.remove(g.id.as_str()) {
                let entry = GroupEntry::new(self.projection.point(old.latitude, old.longitude), old.id.as_str().into());
                s.group_tree.remove(&entry);
            }
            let id: Arc<str> = g.id.as_str().into();
            s.group_tree.insert(GroupEntry::new(self.projection.point(g.latitude, g.longitude), id.clone()));
            s.groups.insert(id, Arc::new(g));
        }
        self.changed();
    }

    pub fn facility(&self, id: &str) -> Option<Arc<Facility>> {
        self.read().facilities.by_id(id).cloned()
    }

    pub fn group(&self, id: &str) -> Option<Arc<Group>> {
        self.read().groups.get(id).cloned()
    }

    pub fn len(&self) -> usize {
        self.read().facilities.len()
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
        let s = self.read();
        let set = &s.facilities;
        let filter = Filter::compile(q, |d| set.dong_id(d));
        let limit = q.limit.max(1);
        let hit = |(d2, i): (f64, u32), distance: bool| {
            set.get(i).map(|f| Hit { place: f.clone(), distance_m: distance.then(|| d2.sqrt()) })
        };
        match q.near {
            Some((lat, lon)) => {
                let at = self.projection.point(lat, lon);
                let mut found = set.nearest(&filter, at, limit);
                found.sort_by(|a, b| a.0.total_cmp(&b.0));
                found.truncate(limit);
                found.into_iter().filter_map(|f| hit(f, true)).collect()
            }
            None => {
                let mut all: Vec<Hit<Facility>> =
                    set.matching(&filter).into_iter().filter_map(|i| hit((0.0, i), false)).collect();
                all.sort_by(|a, b| (&a.place.adm_cd2, &a.place.name).cmp(&(&b.place.adm_cd2, &b.place.name)));
                all.truncate(limit);
                all
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
        let s = self.read();
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
        let s = self.read();
        let mut out: HashMap<String, (usize, i64)> = HashMap::new();
        for f in s.facilities.all() {
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
        assert!((first - 110.99).abs() < 0.1, "0.001° north at 37.65° is 110.99 m: {first}");

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
