//! Least-cost placement of applications with capacities: a min-cost flow solved by successive shortest paths
//! (the Hungarian method's row-by-row augmentation on a sparse graph). Each application may also stay unplaced
//! at a fixed cost, so a path always exists; placing an application may move earlier ones to their next choice
//! when that lowers the total.
//!
//! Dijkstra runs on reduced costs (node potentials keep them non-negative) and stops at the first path found;
//! only the nodes it settled get new potentials, which keeps each step local to where places are contested.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// An application's options: `(place, cost)`, cost at least zero.
pub type Arcs = Vec<(u32, f64)>;

/// The result: each application's place (`None`: unplaced), and the potentials (dual values).
pub struct Assignment {
    pub places: Vec<Option<u32>>,
    /// Potentials of the applications, never positive (places' potentials are never positive either, and zero
    /// for a place outside the graph). An arc left out, of cost `c` from application `a`, could not lower the
    /// total when `c + application_potential[a] >= 0`: this is how a caller who gave each application only its
    /// nearest places proves that the answer is the least over all of them.
    pub application_potential: Vec<f64>,
}

/// The place each application gets, for places with `capacities[place]` room, so that the sum of costs
/// (`unplaced_cost` for each unplaced) is least.
pub fn assign(capacities: &[u32], applications: &[Arcs], unplaced_cost: f64) -> Assignment {
    let mut flow = Flow::new(capacities, applications, unplaced_cost);
    for a in 0..applications.len() {
        flow.augment_from(a);
    }
    Assignment {
        places: flow.placed.iter().map(|p| p.map(|(place, _)| place)).collect(),
        application_potential: flow.potential[..applications.len()].to_vec(),
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Node {
    Application(u32),
    Place(u32),
    Unplaced,
}

struct Flow<'a> {
    arcs: &'a [Arcs],
    capacities: &'a [u32],
    unplaced_cost: f64,
    /// Each application's place and its cost there.
    placed: Vec<Option<(u32, f64)>>,
    holders: Vec<Vec<u32>>,
    /// Potentials: applications, then places, then the sink.
    potential: Vec<f64>,
    distance: Vec<f64>,
    previous: Vec<Option<Node>>,
    touched: Vec<usize>,
}

/// A total order on non-negative distances for the heap.
#[derive(Clone, Copy, PartialEq)]
struct Key(f64);
impl Eq for Key {}
impl PartialOrd for Key {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Key {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0)
    }
}

impl<'a> Flow<'a> {
    fn new(capacities: &'a [u32], arcs: &'a [Arcs], unplaced_cost: f64) -> Flow<'a> {
        let nodes = arcs.len() + capacities.len() + 1;
        Flow {
            arcs,
            capacities,
            unplaced_cost,
            placed: vec![None; arcs.len()],
            holders: vec![Vec::new(); capacities.len()],
            potential: vec![0.0; nodes],
            distance: vec![f64::INFINITY; nodes],
            previous: vec![None; nodes],
            touched: Vec::new(),
        }
    }

    fn index(&self, node: Node) -> usize {
        match node {
            Node::Application(a) => a as usize,
            Node::Place(p) => self.arcs.len() + p as usize,
            Node::Unplaced => self.arcs.len() + self.capacities.len(),
        }
    }

    fn node_at(&self, i: usize) -> Node {
        let applications = self.arcs.len();
        match i.checked_sub(applications) {
            None => Node::Application(i as u32),
            Some(p) if p < self.capacities.len() => Node::Place(p as u32),
            Some(_) => Node::Unplaced,
        }
    }

    /// Residual arcs out of a node with their costs.
    fn out(&self, node: Node, mut visit: impl FnMut(Node, f64)) {
        match node {
            Node::Application(a) => {
                let here = self.placed[a as usize].map(|(p, _)| p);
                for &(p, cost) in &self.arcs[a as usize] {
                    if Some(p) != here && (p as usize) < self.capacities.len() {
                        visit(Node::Place(p), cost);
                    }
                }
                visit(Node::Unplaced, self.unplaced_cost);
            }
            Node::Place(p) => {
                let holders = &self.holders[p as usize];
                if (holders.len() as u32) < self.capacities[p as usize] {
                    visit(Node::Unplaced, 0.0);
                }
                for &a in holders {
                    let cost = self.placed[a as usize].map_or(0.0, |(_, c)| c);
                    visit(Node::Application(a), -cost);
                }
            }
            Node::Unplaced => {}
        }
    }

    /// Places application `a`, moving others along the cheapest path, and updates the potentials.
    fn augment_from(&mut self, a: usize) {
        let source = Node::Application(a as u32);
        let mut heap = BinaryHeap::new();
        let mut settled: Vec<(Node, f64)> = Vec::new();
        self.set(source, 0.0, None);
        heap.push((Reverse(Key(0.0)), self.index(source)));
        let end = loop {
            let Some((Reverse(Key(d)), i)) = heap.pop() else { break None };
            if d > self.distance[i] {
                continue;
            }
            let node = self.node_at(i);
            settled.push((node, d));
            if node == Node::Unplaced {
                break Some(d);
            }
            let mut relax = Vec::new();
            self.out(node, |next, cost| {
                let reduced = cost + self.potential[i] - self.potential[self.index(next)];
                relax.push((next, d + reduced.max(0.0)));
            });
            for (next, nd) in relax {
                let j = self.index(next);
                if nd < self.distance[j] {
                    self.set(next, nd, Some(node));
                    heap.push((Reverse(Key(nd)), j));
                }
            }
        };
        let end = end.unwrap_or(0.0);
        for (node, d) in settled {
            let i = self.index(node);
            self.potential[i] += d - end;
        }
        self.reroute(source);
        for i in self.touched.drain(..) {
            self.distance[i] = f64::INFINITY;
            self.previous[i] = None;
        }
    }

    fn set(&mut self, node: Node, distance: f64, previous: Option<Node>) {
        let i = self.index(node);
        if self.distance[i].is_infinite() {
            self.touched.push(i);
        }
        self.distance[i] = distance;
        self.previous[i] = previous;
    }

    /// Moves every application on the path found to the next node on it.
    fn reroute(&mut self, source: Node) {
        let mut path = vec![Node::Unplaced];
        while let Some(prev) = self.previous[self.index(*path.last().unwrap_or(&source))] {
            path.push(prev);
        }
        path.reverse();
        for pair in path.windows(2) {
            let (Node::Application(a), next) = (pair[0], pair[1]) else { continue };
            if let Some((old, _)) = self.placed[a as usize].take() {
                self.holders[old as usize].retain(|h| *h != a);
            }
            if let Node::Place(p) = next {
                let cost = self.arcs[a as usize].iter().find(|(q, _)| *q == p).map_or(0.0, |(_, c)| *c);
                self.placed[a as usize] = Some((p, cost));
                self.holders[p as usize].push(a);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn total(result: &[Option<u32>], applications: &[Arcs], unplaced: f64) -> f64 {
        result
            .iter()
            .zip(applications)
            .map(|(r, arcs)| match r {
                Some(p) => arcs.iter().find(|(q, _)| q == p).map(|(_, c)| *c).unwrap_or(f64::NAN),
                None => unplaced,
            })
            .sum()
    }

    #[test]
    fn the_nearest_place_goes_to_whom_it_saves_most() {
        // Both want place 0; application 1 has a near alternative, application 0 does not: 0 gets place 0.
        let applications = vec![vec![(0, 100.0), (1, 5_000.0)], vec![(0, 90.0), (1, 200.0)]];
        assert_eq!(assign(&[1, 1], &applications, 20_000.0).places, [Some(0), Some(1)]);
    }

    #[test]
    fn places_are_never_given_twice_and_the_rest_stay_unplaced() {
        let applications: Vec<Arcs> = (0..5).map(|i| vec![(0, 10.0 * f64::from(i)), (1, 50.0)]).collect();
        let result = assign(&[2, 1], &applications, 1_000.0).places;
        assert_eq!(result.iter().filter(|r| **r == Some(0)).count(), 2);
        assert_eq!(result.iter().filter(|r| **r == Some(1)).count(), 1);
        assert_eq!(result.iter().filter(|r| r.is_none()).count(), 2);
        assert!((total(&result, &applications, 1_000.0) - (0.0 + 10.0 + 50.0 + 2_000.0)).abs() < 1e-9);
    }

    #[test]
    fn matches_brute_force_on_small_instances() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        for _ in 0..500 {
            let places = rng.gen_range(1..4);
            let capacities: Vec<u32> = (0..places).map(|_| rng.gen_range(0..3)).collect();
            let applications: Vec<Arcs> = (0..rng.gen_range(1..7))
                .map(|_| {
                    let mut arcs = Vec::new();
                    for p in 0..places as u32 {
                        if rng.gen_bool(0.8) {
                            arcs.push((p, rng.gen_range(0.0..1_500.0)));
                        }
                    }
                    arcs
                })
                .collect();
            let result = assign(&capacities, &applications, 1_000.0).places;
            for (p, capacity) in capacities.iter().enumerate() {
                assert!(result.iter().filter(|r| **r == Some(p as u32)).count() <= *capacity as usize);
            }
            let best = brute_force(&capacities, &applications, 1_000.0, 0);
            let got = total(&result, &applications, 1_000.0);
            assert!((got - best).abs() < 1e-6, "{got} vs {best} for {capacities:?} {applications:?}");
        }
    }

    fn brute_force(capacities: &[u32], applications: &[Arcs], unplaced: f64, i: usize) -> f64 {
        if i == applications.len() {
            return 0.0;
        }
        let mut best = unplaced + brute_force(capacities, applications, unplaced, i + 1);
        for &(p, cost) in &applications[i] {
            if capacities[p as usize] > 0 {
                let mut left = capacities.to_vec();
                left[p as usize] -= 1;
                best = best.min(cost + brute_force(&left, applications, unplaced, i + 1));
            }
        }
        best
    }
}
