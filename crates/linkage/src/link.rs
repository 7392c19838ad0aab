//! Linking a list: the model fitted on training pairs, candidate pairs from blocks (see [`blocks`]), each pair's
//! pattern and probability, and clusters of the pairs likely enough to be one person.

use rayon::prelude::*;

use crate::blocks;
use crate::compare::{Prepared, Record};
use crate::model::Model;
use crate::score::{Scorer, patterns};

/// A block larger than this says little (a name shared by thousands): its pairs come from the other blocks.
const BIGGEST_BLOCK: usize = 1_000;
/// Pairs at least this likely are the same person. Above even odds: one link joins two whole clusters, so it
/// must be surer than a coin (0.8 gave the best pairwise F1 on the generated lists at 70k and 1M records).
pub const LINK_AT: f64 = 0.8;
/// Pairs between these are shown to a person to decide.
pub const REVIEW: (f64, f64) = (0.1, 0.9);

/// A record's place in the result.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Linked {
    pub record_id: String,
    pub cluster_id: String,
    /// The match probability of the record's strongest link in its cluster; 0 alone.
    pub score: f64,
}

#[derive(Clone, Debug)]
pub struct Outcome {
    pub linked: Vec<Linked>,
    /// Record indices and the probability of pairs neither clearly one person nor clearly two.
    pub uncertain: Vec<(u32, u32, f64)>,
    /// The pairs joined (at least [`LINK_AT`]): with a person's decisions on the uncertain ones, the clusters can
    /// be drawn again ([`clusters_of`]).
    pub joined: Vec<(u32, u32, f64)>,
    pub model: Model,
    pub candidate_pairs: usize,
}

/// Candidate pairs `(i, j)`, `i < j`, each once.
pub fn candidate_pairs(prepared: &[Prepared]) -> Vec<(u32, u32)> {
    blocks::pairs(prepared, &blocks::SCORED, usize::MAX, BIGGEST_BLOCK)
}

/// Links the records: every record gets a cluster (its own when it matches no one).
pub fn link(records: &[Record]) -> Outcome {
    let prepared: Vec<Prepared> = records.par_iter().map(Prepared::of).collect();
    let scorer = Scorer::fit(&prepared);
    let pairs = candidate_pairs(&prepared);
    let patterns = patterns(&prepared, &pairs);
    let mut clusters = UnionFind::new(records.len());
    let mut best = vec![0.0f64; records.len()];
    let mut uncertain = Vec::new();
    let mut joined = Vec::new();
    for (&(i, j), &p) in pairs.iter().zip(&patterns) {
        let prob = scorer.probability(p, &prepared[i as usize]);
        if prob >= LINK_AT {
            joined.push((i, j, prob));
            clusters.union(i as usize, j as usize);
            best[i as usize] = best[i as usize].max(prob);
            best[j as usize] = best[j as usize].max(prob);
        }
        if (REVIEW.0..REVIEW.1).contains(&prob) {
            uncertain.push((i, j, prob));
        }
    }
    let linked = (0..records.len())
        .map(|i| Linked {
            record_id: records[i].record_id.clone(),
            cluster_id: records[clusters.find(i)].record_id.clone(),
            score: best[i],
        })
        .collect();
    Outcome { linked, uncertain, joined, model: scorer.model, candidate_pairs: pairs.len() }
}

/// The cluster of each record (the id of its first record) when the records are joined by `edges` (indices).
pub fn clusters_of(ids: &[&str], edges: &[(u32, u32)]) -> Vec<String> {
    let mut clusters = UnionFind::new(ids.len());
    for &(i, j) in edges {
        if (i as usize) < ids.len() && (j as usize) < ids.len() {
            clusters.union(i as usize, j as usize);
        }
    }
    (0..ids.len()).map(|i| ids[clusters.find(i)].to_string()).collect()
}

/// Disjoint sets with path halving; the root of a set is its lowest index, so cluster ids do not depend on the
/// order pairs were joined in.
struct UnionFind {
    parent: Vec<usize>,
}

impl UnionFind {
    fn new(n: usize) -> UnionFind {
        UnionFind { parent: (0..n).collect() }
    }

    fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] != x {
            self.parent[x] = self.parent[self.parent[x]];
            x = self.parent[x];
        }
        x
    }

    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        let (low, high) = if ra < rb { (ra, rb) } else { (rb, ra) };
        self.parent[high] = low;
    }
}

/// Pairwise precision, recall and F1 of predicted clusters against the true ones (labels per record).
pub fn pairwise_f1(predicted: &[&str], truth: &[&str]) -> (f64, f64, f64) {
    use std::collections::HashMap;
    fn pairs<K>(sizes: HashMap<K, u64>) -> u64 {
        sizes.values().map(|n| n * (n - 1) / 2).sum()
    }
    let mut by_pred: HashMap<&str, u64> = HashMap::new();
    let mut by_truth: HashMap<&str, u64> = HashMap::new();
    let mut by_both: HashMap<(&str, &str), u64> = HashMap::new();
    for (p, t) in predicted.iter().zip(truth) {
        *by_pred.entry(p).or_default() += 1;
        *by_truth.entry(t).or_default() += 1;
        *by_both.entry((p, t)).or_default() += 1;
    }
    let (found, real, right) = (pairs(by_pred), pairs(by_truth), pairs(by_both));
    let precision = if found == 0 { 1.0 } else { right as f64 / found as f64 };
    let recall = if real == 0 { 1.0 } else { right as f64 / real as f64 };
    let f1 = if precision + recall == 0.0 { 0.0 } else { 2.0 * precision * recall / (precision + recall) };
    (precision, recall, f1)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn rec(id: &str, name: &str, birth: &str, phone: &str, address: &str) -> Record {
        Record {
            record_id: id.into(),
            source: "test".into(),
            name: name.into(),
            birth_date: birth.into(),
            phone: phone.into(),
            address: address.into(),
        }
    }

    #[test]
    fn pairwise_f1_counts_pairs_not_records() {
        let (p, r, f) = pairwise_f1(&["a", "a", "a", "b"], &["x", "x", "y", "y"]);
        assert_eq!((p, r), (1.0 / 3.0, 0.5));
        assert!((f - 0.4).abs() < 1e-9);
        assert_eq!(pairwise_f1(&["a", "b"], &["x", "y"]), (1.0, 1.0, 1.0));
    }

    #[test]
    fn the_same_person_across_agencies_is_one_cluster_and_a_homonym_is_not() {
        let mut records = vec![
            rec("a1", "김민수", "1985-03-07", "010-1234-5678", "서울특별시 노원구 동일로 1414"),
            rec("a2", "김 민수", "850307", "+82 10 1234 5678", "서울 노원구 동일로 1414"),
            rec("a3", "KIM MINSU", "1985.3.7", "", "서울특별시 노원구 동일로 1414"),
            rec("h1", "김민수", "1985-11-20", "010-9999-0000", "서울특별시 노원구 상계로 70"),
        ];
        // A crowd so the model has non-matches to learn from.
        records.extend(crowd(400));
        let out = link(&records);
        let cluster = |id: &str| out.linked.iter().find(|l| l.record_id == id).unwrap().cluster_id.clone();
        assert_eq!(cluster("a2"), cluster("a1"));
        assert_eq!(cluster("a3"), cluster("a1"));
        assert_ne!(cluster("h1"), cluster("a1"), "same name and year, another person");
        assert!(out.linked.iter().filter(|l| l.record_id.starts_with('x')).all(|l| l.cluster_id == l.record_id));
        // The joined pairs draw the same clusters again.
        let ids: Vec<&str> = records.iter().map(|r| r.record_id.as_str()).collect();
        let edges: Vec<(u32, u32)> = out.joined.iter().map(|&(i, j, _)| (i, j)).collect();
        let again = clusters_of(&ids, &edges);
        assert!(out.linked.iter().zip(&again).all(|(l, c)| l.cluster_id == *c));
        assert_eq!(clusters_of(&["p", "q", "r"], &[(2, 1), (9, 0)]), ["p", "q", "q"], "edges out of range ignored");
    }

    /// Strangers with common names, for the model to learn non-matches from.
    pub(crate) fn crowd(n: usize) -> Vec<Record> {
        let (surnames, given) =
            (["이", "박", "최", "정", "강", "김"], ["서연", "지훈", "유진", "하준", "서윤", "민준", "지우"]);
        (0..n)
            .map(|i| {
                let name = format!("{}{}", surnames[i % 6], given[i / 6 % 7]);
                let birth = format!("19{}-{:02}-{:02}", 50 + i % 40, 1 + i % 12, 1 + i % 28);
                let address = format!("서울특별시 노원구 한글비석로 {}", i % 50);
                rec(&format!("x{i}"), &name, &birth, &format!("010-5{i:03}-{i:04}"), &address)
            })
            .collect()
    }
}
