//! The records already known, indexed by their blocks, so that one new record (a person at intake) is checked
//! against all of them at once: the records it may be, likeliest first.

use std::collections::HashMap;

use rayon::prelude::*;

use crate::blocks::{self, SCORED};
use crate::compare::{Prepared, Record, pattern};
use crate::link::REVIEW;
use crate::score::Scorer;

pub struct Index {
    ids: Vec<String>,
    prepared: Vec<Prepared>,
    blocks: HashMap<u64, Vec<u32>>,
    scorer: Scorer,
}

/// A known record a new one may be.
#[derive(Clone, Debug, PartialEq)]
pub struct Candidate {
    pub record_id: String,
    pub probability: f64,
}

impl Index {
    /// Indexes the records and fits the model to them (a list that may hold a person more than once).
    pub fn build(records: &[Record]) -> Index {
        let prepared: Vec<Prepared> = records.par_iter().map(Prepared::of).collect();
        let scorer = Scorer::fit(&prepared);
        Index::of(records, prepared, scorer)
    }

    /// Indexes a register that holds each person once (the residents): m as measured, u from the register, and
    /// even odds that a newcomer is someone registered ([`crate::Model::register`]).
    pub fn register(records: &[Record]) -> Index {
        let prepared: Vec<Prepared> = records.par_iter().map(Prepared::of).collect();
        let scorer = Scorer::register(&prepared, 0.5);
        Index::of(records, prepared, scorer)
    }

    fn of(records: &[Record], prepared: Vec<Prepared>, scorer: Scorer) -> Index {
        let mut index = Index { ids: Vec::new(), prepared: Vec::new(), blocks: HashMap::new(), scorer };
        for (r, p) in records.iter().zip(prepared) {
            index.add(r.record_id.clone(), p);
        }
        index
    }

    fn add(&mut self, id: String, p: Prepared) {
        let at = self.ids.len() as u32;
        for key in blocks::keys(&p, &SCORED) {
            self.blocks.entry(key).or_default().push(at);
        }
        self.ids.push(id);
        self.prepared.push(p);
    }

    /// A record joins the known ones (the model stays as fitted; name counts follow).
    pub fn insert(&mut self, record: &Record) {
        let p = Prepared::of(record);
        self.scorer.count(&p);
        self.add(record.record_id.clone(), p);
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The known records the new one may be, at least as likely as the review threshold, likeliest first.
    pub fn matches(&self, record: &Record) -> Vec<Candidate> {
        let p = Prepared::of(record);
        let mut seen: Vec<u32> =
            blocks::keys(&p, &SCORED).filter_map(|k| self.blocks.get(&k)).flatten().copied().collect();
        seen.sort_unstable();
        seen.dedup();
        let mut out: Vec<Candidate> = seen
            .into_iter()
            .map(|i| (i, self.scorer.probability(pattern(&p, &self.prepared[i as usize]), &p)))
            .filter(|(_, prob)| *prob >= REVIEW.0)
            .map(|(i, probability)| Candidate { record_id: self.ids[i as usize].clone(), probability })
            .collect();
        out.sort_by(|a, b| b.probability.total_cmp(&a.probability).then_with(|| a.record_id.cmp(&b.record_id)));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::link::tests::{crowd, rec};

    #[test]
    fn a_new_record_finds_the_person_it_is_and_not_a_namesake() {
        let mut records = vec![
            rec("a1", "김민수", "1985-03-07", "010-1234-5678", "서울특별시 노원구 동일로 1414"),
            rec("a2", "김 민수", "850307", "+82 10 1234 5678", "서울 노원구 동일로 1414"),
            rec("h1", "김민수", "1985-11-20", "010-9999-0000", "서울특별시 노원구 상계로 70"),
        ];
        records.extend(crowd(400));
        let mut index = Index::build(&records);
        let intake = rec("new", "Kim Min-su", "1985년 3월 7일", "010.1234.5678", "");
        let found = index.matches(&intake);
        let ids: Vec<&str> = found.iter().map(|c| c.record_id.as_str()).collect();
        assert_eq!(&ids[..2], ["a1", "a2"], "{found:?}");
        assert!(found[0].probability > 0.9 && !ids.contains(&"h1"), "{found:?}");
        assert!(index.matches(&rec("x", "박하늘", "2001-01-01", "010-0000-1111", "부산")).is_empty());
        index.insert(&intake);
        assert_eq!(index.len(), 404);
    }

    #[test]
    fn a_register_without_duplicates_still_finds_a_returning_person() {
        // A register holds each person once: nothing to learn m from, the measured m stands in.
        let mut records = vec![
            rec("a1", "이순자", "1948-05-02", "010-2426-5481", "서울특별시 노원구 광운로 499"),
            rec("h1", "이순자", "1948-09-30", "010-7777-1212", "서울특별시 노원구 상계로 70"),
        ];
        records.extend(crowd(300));
        let index = Index::register(&records);
        let back = rec("new", "이 순자", "480502", "01024265481", "서울 노원구 광운로 499");
        let found = index.matches(&back);
        assert_eq!(found.first().map(|c| c.record_id.as_str()), Some("a1"), "{found:?}");
        assert!(found[0].probability > 0.9, "{found:?}");
        assert!(!found.iter().any(|c| c.record_id == "h1"), "a namesake born another day is not her: {found:?}");
        let stranger = rec("x", "박하늘", "2001-01-01", "010-0000-1111", "부산광역시 해운대구 1");
        assert!(index.matches(&stranger).is_empty());
    }
}
