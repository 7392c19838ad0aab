//! Why each child got what it got: for each choice in order, the child's position on that centre's list among
//! everyone who chose it, the places, and where the last place went — or that a better choice came first.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::rounds::{Key, Prepared};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Explanation {
    pub lottery_number: u64,
    pub choices: Vec<ChoiceOutcome>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum ChoiceOutcome {
    /// Placed here: 1-based position on the centre's list, of `applicants`, with `capacity` places.
    Placed { center: String, position: usize, applicants: usize, capacity: usize, sibling_priority: bool },
    /// The places went to children before this one on the list: the last one placed was at `last_placed`.
    Full {
        center: String,
        position: usize,
        applicants: usize,
        capacity: usize,
        last_placed: Option<usize>,
        sibling_priority: bool,
    },
    /// Placed at a choice the child preferred.
    NotNeeded { center: String },
}

pub(crate) fn all(p: &Prepared, placed: &[Option<u32>], sibling_at: &[Vec<u32>]) -> BTreeMap<String, Explanation> {
    // Each centre's list: everyone who chose it, in its order.
    let mut lists: Vec<Vec<(Key, u32)>> = vec![Vec::new(); p.capacity.len()];
    for (k, choices) in p.choices.iter().enumerate() {
        for &c in choices {
            lists[c as usize].push((p.key(c, k as u32, sibling_at[k].contains(&c)), k as u32));
        }
    }
    let mut position: Vec<std::collections::HashMap<u32, usize>> = Vec::with_capacity(lists.len());
    let mut last_placed: Vec<Option<usize>> = Vec::with_capacity(lists.len());
    for (c, list) in lists.iter_mut().enumerate() {
        list.sort_unstable();
        let at: std::collections::HashMap<u32, usize> =
            list.iter().enumerate().map(|(i, (_, k))| (*k, i + 1)).collect();
        last_placed.push(list.iter().filter(|(_, k)| placed[*k as usize] == Some(c as u32)).map(|(_, k)| at[k]).max());
        position.push(at);
    }
    p.input
        .children
        .iter()
        .enumerate()
        .map(|(k, child)| {
            let mut done = false;
            let choices = p.choices[k]
                .iter()
                .map(|&c| {
                    let cu = c as usize;
                    let center = p.input.centers[cu].id.clone();
                    if done {
                        return ChoiceOutcome::NotNeeded { center };
                    }
                    let (pos, applicants, capacity) = (position[cu][&(k as u32)], lists[cu].len(), p.capacity[cu]);
                    let sibling_priority = sibling_at[k].contains(&c);
                    if placed[k] == Some(c) {
                        done = true;
                        ChoiceOutcome::Placed { center, position: pos, applicants, capacity, sibling_priority }
                    } else {
                        ChoiceOutcome::Full {
                            center,
                            position: pos,
                            applicants,
                            capacity,
                            last_placed: last_placed[cu],
                            sibling_priority,
                        }
                    }
                })
                .collect();
            (child.id.clone(), Explanation { lottery_number: p.lottery[k], choices })
        })
        .collect()
}
