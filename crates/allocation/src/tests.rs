use proptest::prelude::*;

use super::*;

pub(crate) fn centre(id: &str, capacity: i64) -> Center {
    Center { id: id.into(), capacity, ..Center::default() }
}

pub(crate) fn child(id: &str, choices: &[&str], class: u32, points: i64) -> Child {
    Child {
        id: id.into(),
        choices: choices.iter().map(|c| c.to_string()).collect(),
        priority_class: class,
        points,
        ..Child::default()
    }
}

#[test]
fn the_readme_example_uses_the_centres_ranking_as_is() {
    let input: Input = serde_json::from_str(
        r#"{"centers":[{"id":"c1","capacity":1,"ranking":["k3","k1"]},{"id":"c2","capacity":1}],
            "children":[{"id":"k1","choices":["c1","c2"],"priority_class":1,"points":12,"siblings":[]},
                        {"id":"k3","choices":["c1"],"priority_class":3,"points":0}],
            "lottery_seed":42}"#,
    )
    .unwrap();
    let out = allocate(&input).unwrap();
    assert_eq!(out.assignments["k3"].as_deref(), Some("c1"), "c1 ranks k3 first despite k1's class");
    assert_eq!(out.assignments["k1"].as_deref(), Some("c2"));
    assert!(out.unassigned.is_empty());
    let why = &out.explanations["k1"].choices;
    assert_eq!(
        why[0],
        ChoiceOutcome::Full {
            center: "c1".into(),
            position: 2,
            applicants: 2,
            capacity: 1,
            last_placed: Some(1),
            sibling_priority: false
        }
    );
    assert!(matches!(&why[1], ChoiceOutcome::Placed { center, position: 1, .. } if center == "c2"));
}

#[test]
fn class_then_points_then_lottery() {
    let input = Input {
        centers: vec![centre("c", 2)],
        children: vec![
            child("a", &["c"], 2, 50),
            child("b", &["c"], 1, 0),
            child("x", &["c"], 2, 50),
            child("d", &["c"], 2, 10),
        ],
        lottery_seed: 7,
    };
    let out = allocate(&input).unwrap();
    assert_eq!(out.assignments["b"].as_deref(), Some("c"), "class 1 first");
    let (a, x) = (lottery_number(7, "a"), lottery_number(7, "x"));
    let tie_winner = if a < x { "a" } else { "x" };
    assert_eq!(out.assignments[tie_winner].as_deref(), Some("c"), "equal class and points: the lower lottery number");
    assert_eq!(out.unassigned.len(), 2);
    assert!(out.unassigned.contains(&"d".to_string()), "fewer points");
}

#[test]
fn bad_input_is_named_and_nothing_is_allocated() {
    let input = Input {
        centers: vec![
            centre("c1", -1),
            centre("c1", 2),
            Center { id: "c2".into(), capacity: 1, ranking: Some(vec!["k1".into()]), ..Center::default() },
        ],
        children: vec![
            child("k1", &["c1", "c1", "nowhere"], 1, 0),
            child("k1", &["c2"], 1, 0),
            child("k2", &["c2", "c1", "c1", "c1", "c1", "c1"], 1, 0),
        ],
        lottery_seed: 1,
    };
    let errors = allocate(&input).unwrap_err();
    for expected in [
        InputError::NegativeCapacity { center: "c1".into(), capacity: -1 },
        InputError::DuplicateCenter { center: "c1".into() },
        InputError::DuplicateChoice { child: "k1".into(), center: "c1".into() },
        InputError::UnknownCenter { child: "k1".into(), center: "nowhere".into() },
        InputError::DuplicateChild { child: "k1".into() },
        InputError::TooManyChoices { child: "k2".into(), count: 6, max: MAX_CHOICES },
        InputError::Unranked { center: "c2".into(), child: "k2".into() },
    ] {
        assert!(errors.contains(&expected), "{expected:?} in {errors:?}");
    }
}

#[test]
fn a_sibling_placed_at_a_centre_lifts_the_other_there() {
    let mut older = child("older", &["c"], 1, 0);
    older.siblings = vec!["younger".into()];
    let mut younger = child("younger", &["c"], 2, 0);
    younger.siblings = vec!["older".into()];
    let rival = child("rival", &["c"], 2, 100);
    let input = Input { centers: vec![centre("c", 2)], children: vec![older, younger, rival], lottery_seed: 3 };
    let out = allocate(&input).unwrap();
    assert_eq!(out.assignments["younger"].as_deref(), Some("c"), "ahead of the rival's points in class 2");
    assert_eq!(out.assignments["rival"], None);
    assert!(matches!(&out.explanations["younger"].choices[0], ChoiceOutcome::Placed { sibling_priority: true, .. }));
}

/// Simultaneous-proposals deferred acceptance, written the textbook way: the reference the fast one must equal.
fn textbook(input: &Input) -> std::collections::BTreeMap<String, Option<String>> {
    let key = |c: &Center, k: &Child| {
        let rank = c.ranking.as_ref().and_then(|r| r.iter().position(|x| *x == k.id)).map(|p| p as i128);
        (rank, k.priority_class, -(k.points as i128), lottery_number(input.lottery_seed, &k.id))
    };
    let mut next = vec![0usize; input.children.len()];
    let mut held: Vec<Vec<usize>> = vec![Vec::new(); input.centers.len()];
    loop {
        let placed: Vec<bool> = (0..input.children.len()).map(|k| held.iter().any(|h| h.contains(&k))).collect();
        let proposers: Vec<usize> =
            (0..input.children.len()).filter(|&k| !placed[k] && next[k] < input.children[k].choices.len()).collect();
        if proposers.is_empty() {
            break;
        }
        for k in proposers {
            let c = input.centers.iter().position(|c| c.id == input.children[k].choices[next[k]]).unwrap();
            next[k] += 1;
            held[c].push(k);
        }
        for (c, h) in held.iter_mut().enumerate() {
            h.sort_by_key(|&k| key(&input.centers[c], &input.children[k]));
            h.truncate(input.centers[c].capacity as usize);
        }
    }
    input
        .children
        .iter()
        .enumerate()
        .map(|(k, child)| {
            (child.id.clone(), held.iter().position(|h| h.contains(&k)).map(|c| input.centers[c].id.clone()))
        })
        .collect()
}

fn instance() -> impl Strategy<Value = Input> {
    (1usize..6, 1usize..25, any::<u64>()).prop_flat_map(|(centres, children, seed)| {
        let caps = proptest::collection::vec(0i64..4, centres);
        let kids = proptest::collection::vec(
            (proptest::sample::subsequence((0..centres).collect::<Vec<_>>(), 0..=centres.min(5)), 1u32..4, 0i64..3),
            children,
        );
        (caps, kids, Just(seed), any::<bool>()).prop_map(|(caps, kids, seed, ranked)| {
            let children: Vec<Child> = kids
                .into_iter()
                .enumerate()
                .map(|(i, (mut choices, class, points))| {
                    choices.reverse();
                    let names: Vec<String> = choices.iter().map(|c| format!("c{c}")).collect();
                    Child { id: format!("k{i}"), choices: names, priority_class: class, points, ..Child::default() }
                })
                .collect();
            let centers = caps
                .iter()
                .enumerate()
                .map(|(i, cap)| {
                    let ranking = (ranked && i == 0).then(|| children.iter().rev().map(|k| k.id.clone()).collect());
                    Center { id: format!("c{i}"), capacity: *cap, ranking, ..Center::default() }
                })
                .collect();
            Input { centers, children, lottery_seed: seed }
        })
    })
}

proptest! {
    #[test]
    fn equals_the_textbook_algorithm_and_is_stable(input in instance()) {
        let out = allocate(&input).unwrap();
        prop_assert_eq!(&out.assignments, &textbook(&input));
        // Stable: no child prefers a centre that has room or holds a child it ranks lower.
        for child in &input.children {
            let got = out.assignments[&child.id].as_deref();
            for wanted in child.choices.iter().take_while(|c| Some(c.as_str()) != got) {
                let c = input.centers.iter().find(|c| c.id == *wanted).unwrap();
                let holders: Vec<&Child> =
                    input.children.iter().filter(|o| out.assignments[&o.id].as_deref() == Some(wanted.as_str())).collect();
                prop_assert!(holders.len() as i64 >= c.capacity, "{} has room for {}", wanted, child.id);
            }
        }
        // Input order does not matter (the lottery is per id).
        let mut reversed = input.clone();
        reversed.children.reverse();
        prop_assert_eq!(allocate(&reversed).unwrap().assignments, out.assignments);
    }
}
