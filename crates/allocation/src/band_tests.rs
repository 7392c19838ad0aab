//! Age bands and mixed classes: every cap holds, and the result is stable, checked against seats matched one by
//! one (not the crate's own counting).

use std::collections::BTreeMap;

use proptest::prelude::*;

use super::tests::{centre, child};
use super::*;

fn banded(id: &str, capacity: i64, bands: &[(&str, i64)]) -> Center {
    let bands = bands.iter().map(|(b, n)| (b.to_string(), *n)).collect();
    Center { id: id.into(), capacity, bands: Some(bands), ..Center::default() }
}

fn mixed(bands: &[&str], places: i64) -> Mixed {
    Mixed { bands: bands.iter().map(|b| b.to_string()).collect(), places }
}

fn aged(id: &str, choices: &[&str], class: u32, band: &str) -> Child {
    Child { band: Some(band.into()), ..child(id, choices, class, 0) }
}

fn placed_at<'a>(out: &'a Output, centre: &str) -> Vec<&'a str> {
    out.assignments.iter().filter(|(_, c)| c.as_deref() == Some(centre)).map(|(k, _)| k.as_str()).collect()
}

#[test]
fn age_bands_cap_their_children_within_the_centres_capacity() {
    // Three places: at most one in the 0세반 and two in the 1세반; class 1 babies first.
    let input = Input {
        centers: vec![banded("c", 3, &[("0", 1), ("1", 2)]), centre("elsewhere", 5)],
        children: vec![
            aged("baby1", &["c", "elsewhere"], 1, "0"),
            aged("baby2", &["c", "elsewhere"], 1, "0"),
            aged("tod1", &["c"], 3, "1"),
            aged("tod2", &["c"], 3, "1"),
            aged("tod3", &["c"], 2, "1"),
            aged("six", &["c", "elsewhere"], 1, "5"),
        ],
        lottery_seed: 1,
    };
    let out = allocate(&input).unwrap();
    let at_c = placed_at(&out, "c");
    assert_eq!(at_c.len(), 3);
    assert_eq!(at_c.iter().filter(|k| k.starts_with("baby")).count(), 1, "one 0세 place, despite class 1");
    assert!(at_c.contains(&"tod3"), "class 2 before class 3 in the 1세반");
    assert_eq!(out.assignments["six"].as_deref(), Some("elsewhere"), "c has no class for a 5-year-old");
    assert_eq!(out.explanations["six"].choices[0], ChoiceOutcome::NoClass { center: "c".into() });
    let baby_out = if at_c.contains(&"baby1") { "baby2" } else { "baby1" };
    assert!(
        matches!(
            &out.explanations[baby_out].choices[0],
            ChoiceOutcome::Full { capacity: 1, applicants: 2, position: 2, .. }
        ),
        "positions are counted within the band"
    );
    let negative = Input { centers: vec![banded("c", 3, &[("0", -1)])], ..Input::default() };
    assert_eq!(
        negative.check(),
        vec![InputError::NegativeBandCapacity { center: "c".into(), band: "0".into(), capacity: -1 }]
    );
}

#[test]
fn a_mixed_class_takes_the_best_children_its_bands_own_classes_cannot() {
    // 0세반 with 1 place, 1세반 with 1, and a 영아혼합반 (0–2) with 1: three places for four babies of class 1–4.
    let mut c = banded("c", 3, &[("0", 1), ("1", 1)]);
    c.mixed = Some(vec![mixed(&["0", "1", "2"], 1)]);
    let input = Input {
        centers: vec![c],
        children: vec![
            aged("zero_a", &["c"], 1, "0"),
            aged("zero_b", &["c"], 3, "0"),
            aged("one", &["c"], 4, "1"),
            aged("two", &["c"], 2, "2"),
        ],
        lottery_seed: 7,
    };
    let out = allocate(&input).unwrap();
    let mut at_c = placed_at(&out, "c");
    at_c.sort_unstable();
    assert_eq!(at_c, ["one", "two", "zero_a"], "the mixed place goes to the 2-year-old of class 2, not class 3");
    assert!(matches!(&out.explanations["two"].choices[0], ChoiceOutcome::Placed { capacity: 1, .. }));
    assert!(matches!(&out.explanations["zero_b"].choices[0], ChoiceOutcome::Full { capacity: 2, .. }));
    let mut twice = banded("c", 3, &[]);
    twice.mixed = Some(vec![mixed(&["0", "1"], -1), mixed(&["1", "2"], 1)]);
    assert_eq!(
        Input { centers: vec![twice], ..Input::default() }.check(),
        vec![
            InputError::NegativeMixedPlaces { center: "c".into(), bands: vec!["0".into(), "1".into()], places: -1 },
            InputError::BandInTwoMixed { center: "c".into(), band: "1".into() },
        ]
    );
}

/// Whether children of these bands fit the centre: each matched to a seat of its own band's classes or of a
/// mixed class with its band, by augmenting paths (Kuhn), within the capacity.
fn fits(c: &Center, bands: &[&str]) -> bool {
    if bands.len() as i64 > c.capacity {
        return false;
    }
    if c.bands.is_none() && c.mixed.is_none() {
        return true;
    }
    let mut seats: Vec<Vec<&str>> = Vec::new();
    for (band, n) in c.bands.iter().flatten() {
        seats.extend((0..*n).map(|_| vec![band.as_str()]));
    }
    for m in c.mixed.iter().flatten() {
        seats.extend((0..m.places).map(|_| m.bands.iter().map(String::as_str).collect()));
    }
    let mut seat_of: Vec<Option<usize>> = vec![None; seats.len()];
    fn augment(
        k: usize,
        bands: &[&str],
        seats: &[Vec<&str>],
        seat_of: &mut [Option<usize>],
        seen: &mut [bool],
    ) -> bool {
        for s in 0..seats.len() {
            if seen[s] || !seats[s].contains(&bands[k]) {
                continue;
            }
            seen[s] = true;
            if seat_of[s].is_none_or(|other| augment(other, bands, seats, seat_of, seen)) {
                seat_of[s] = Some(k);
                return true;
            }
        }
        false
    }
    (0..bands.len()).all(|k| augment(k, bands, &seats, &mut seat_of, &mut vec![false; seats.len()]))
}

fn banded_instance() -> impl Strategy<Value = Input> {
    (1usize..5, 1usize..30, any::<u64>()).prop_flat_map(|(centres, children, seed)| {
        let shape = (0i64..6, proptest::option::of((0i64..3, 0i64..3, proptest::option::of(0i64..3))));
        let caps = proptest::collection::vec(shape, centres);
        let kids = proptest::collection::vec(
            (proptest::sample::subsequence((0..centres).collect::<Vec<_>>(), 0..=centres.min(5)), 1u32..4, 0u8..4),
            children,
        );
        (caps, kids, Just(seed)).prop_map(|(caps, kids, seed)| {
            let children = kids
                .into_iter()
                .enumerate()
                .map(|(i, (choices, class, band))| {
                    let names: Vec<String> = choices.iter().rev().map(|c| format!("c{c}")).collect();
                    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
                    aged(&format!("k{i}"), &refs, class, &band.to_string())
                })
                .collect();
            let centers = caps
                .iter()
                .enumerate()
                .map(|(i, (cap, bands))| match bands {
                    // Band "3" is never offered; band "2" only in a mixed class with "0" and "1".
                    Some((b0, b1, pool)) => Center {
                        mixed: pool.map(|n| vec![mixed(&["0", "1", "2"], n)]),
                        ..banded(&format!("c{i}"), *cap, &[("0", *b0), ("1", *b1)])
                    },
                    None => centre(&format!("c{i}"), *cap),
                })
                .collect();
            Input { centers, children, lottery_seed: seed }
        })
    })
}

proptest! {
    #[test]
    fn with_age_bands_every_cap_holds_and_no_child_and_centre_would_rather_have_each_other(input in banded_instance()) {
        let out = allocate(&input).unwrap();
        let p = rounds::Prepared::new(&input);
        let band: BTreeMap<&str, &str> =
            input.children.iter().map(|k| (k.id.as_str(), k.band.as_deref().unwrap_or(""))).collect();
        for c in &input.centers {
            let holders: Vec<&str> = placed_at(&out, &c.id).iter().map(|k| band[k]).collect();
            prop_assert!(fits(c, &holders), "{} holds more than its places", c.id);
        }
        // Stable: a centre a child wanted more takes its best children greedily from its holders and the child
        // (a matroid: greedy is its choice), and the child is not among them.
        for child in &input.children {
            let got = out.assignments[&child.id].as_deref();
            for wanted in child.choices.iter().take_while(|c| Some(c.as_str()) != got) {
                let ci = input.centers.iter().position(|c| c.id == *wanted).unwrap();
                let c = &input.centers[ci];
                let key = |id: &str| p.key(ci as u32, input.children.iter().position(|k| k.id == id).unwrap() as u32, false);
                let mut candidates = placed_at(&out, &c.id);
                candidates.push(&child.id);
                candidates.sort_by_key(|id| key(id));
                let mut chosen: Vec<&str> = Vec::new();
                for id in candidates {
                    chosen.push(band[id]);
                    if !fits(c, &chosen) {
                        chosen.pop();
                    } else if id == child.id {
                        prop_assert!(false, "{} and {} would rather have each other", child.id, wanted);
                    }
                }
            }
        }
    }
}
