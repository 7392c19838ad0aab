//! Where to open the next centre: candidate sites (the 행정동s' inner points, or sites an official enters) ranked by
//! how many waiting children a new centre of a given capacity would serve within a travel-distance limit. Sites are
//! taken greedily: each next site counts only the children the sites above it left unserved, so the top three are a
//! plan for three centres, not three neighbours counting the same children. Ties go to the site with more children
//! aged 0–12 within reach (the demand the waitlist does not show yet).

use geo::{Distance, Haversine, Point};

/// Travel distance over straight-line distance in a city's street grid: a limit of 1 km of travel is about 770 m as
/// the crow flies.
pub const DETOUR: f64 = 1.3;

/// Where children live: a 행정동's inner point, its waiting children and its children aged 0–12.
#[derive(Clone, Debug)]
pub struct Demand {
    pub lat: f64,
    pub lon: f64,
    pub waiting: u32,
    pub children: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Site {
    pub name: String,
    pub lat: f64,
    pub lon: f64,
    /// Entered by an official, not a 행정동's point.
    pub entered: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Ranked {
    pub site: Site,
    /// Waiting children it would place, after the sites ranked above it (at most the capacity).
    pub serves: u32,
    /// Waiting children within reach, counting alone.
    pub waiting_within: u32,
    pub children_within: u32,
}

fn travel_m(site: &Site, d: &Demand) -> f64 {
    Haversine.distance(Point::new(site.lon, site.lat), Point::new(d.lon, d.lat)) * DETOUR
}

/// Ranks every site; `limit_m` is the travel distance a family would go.
pub fn rank(sites: &[Site], demand: &[Demand], capacity: u32, limit_m: f64) -> Vec<Ranked> {
    let reach: Vec<Vec<usize>> = sites
        .iter()
        .map(|s| {
            let mut near: Vec<usize> = (0..demand.len()).filter(|&i| travel_m(s, &demand[i]) <= limit_m).collect();
            near.sort_by(|&a, &b| travel_m(s, &demand[a]).total_cmp(&travel_m(s, &demand[b])));
            near
        })
        .collect();
    let within = |i: usize, f: fn(&Demand) -> u32| reach[i].iter().map(|&d| f(&demand[d])).sum::<u32>();
    let mut left: Vec<u32> = demand.iter().map(|d| d.waiting).collect();
    let mut open: Vec<usize> = (0..sites.len()).collect();
    let mut out = Vec::with_capacity(sites.len());
    while !open.is_empty() {
        let serves = |i: usize, left: &[u32]| reach[i].iter().map(|&d| left[d]).sum::<u32>().min(capacity);
        let best = (0..open.len())
            .max_by_key(|&k| (serves(open[k], &left), within(open[k], |d| d.children), std::cmp::Reverse(open[k])))
            .unwrap_or(0);
        let site = open.remove(best);
        let mut room = serves(site, &left);
        let placed = room;
        for &d in &reach[site] {
            let take = left[d].min(room);
            left[d] -= take;
            room -= take;
        }
        out.push(Ranked {
            site: sites[site].clone(),
            serves: placed,
            waiting_within: within(site, |d| d.waiting),
            children_within: within(site, |d| d.children),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(name: &str, lat: f64, lon: f64) -> Site {
        Site { name: name.into(), lat, lon, entered: false }
    }

    fn demand(lat: f64, lon: f64, waiting: u32, children: u32) -> Demand {
        Demand { lat, lon, waiting, children }
    }

    #[test]
    fn sites_are_taken_greedily_so_the_second_counts_only_children_left() {
        // Two clusters 5 km apart: 30 waiting in the north, 12 in the south; a centre of 20 places, 1 km of travel.
        let north = (37.66, 127.06);
        let south = (37.615, 127.06);
        let demand = vec![demand(north.0, north.1, 30, 900), demand(south.0, south.1, 12, 400)];
        let sites = vec![
            site("north-a", north.0, north.1),
            site("north-b", north.0 + 0.001, north.1),
            site("south", south.0, south.1),
            site("nowhere", 37.70, 127.20),
        ];
        let ranked = rank(&sites, &demand, 20, 1_000.0);
        let order: Vec<(&str, u32)> = ranked.iter().map(|r| (r.site.name.as_str(), r.serves)).collect();
        assert_eq!(order, vec![("north-a", 20), ("south", 12), ("north-b", 10), ("nowhere", 0)]);
        assert_eq!((ranked[2].waiting_within, ranked[2].children_within), (30, 900), "alone, it reaches all 30");
    }

    #[test]
    fn the_limit_is_travel_not_straight_line_and_ties_go_to_more_children() {
        // 900 m apart as the crow flies is about 1,170 m of travel: out of a 1 km limit.
        let d = vec![demand(37.650, 127.06, 5, 100), demand(37.6581, 127.06, 0, 800)];
        let ranked = rank(&[site("a", 37.650, 127.06), site("b", 37.6581, 127.06)], &d, 10, 1_000.0);
        assert_eq!((ranked[0].site.name.as_str(), ranked[0].serves), ("a", 5));
        assert_eq!(ranked[1].waiting_within, 0, "the 5 waiting are beyond b's reach");
        let tie = rank(&[site("a", 37.650, 127.06), site("b", 37.6581, 127.06)], &d, 10, 50_000.0);
        assert_eq!(tie[0].serves, 5);
        assert_eq!(tie[0].children_within, 900, "both reach everyone: the tie goes to the first of equals");
        assert!(rank(&[], &d, 10, 1_000.0).is_empty());
    }
}
