//! Why each child got what it got: for each choice in order, the child's position on that centre's list among
//! everyone who chose it (in the child's age band, when the centre has bands), the places, and where the last place
//! went — or that a better choice came first.

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
    /// The centre has no class for the child's age band.
    NoClass { center: String },
    /// Placed at a choice the child preferred.
    NotNeeded { center: String },
}

#[derive(Clone, Default)]
struct List {
    entries: Vec<(Key, u32)>,
    /// The position the last place on this list went to.
    last_placed: Option<usize>,
}

pub(crate) fn all(p: &Prepared, placed: &[Option<u32>], sibling_at: &[Vec<u32>]) -> BTreeMap<String, Explanation> {
    // Each list (a centre, or a centre's band): everyone who chose it, in its order. A child of an age the centre
    // has no class for is on no list there.
    let mut lists: Vec<Vec<List>> = p.places.iter().map(|places| vec![List::default(); places.slots()]).collect();
    for (k, choices) in p.choices.iter().enumerate() {
        for &c in choices {
            let Some(slot) = p.slot_at(c, k as u32) else { continue };
            let key = p.key(c, k as u32, sibling_at[k].contains(&c));
            lists[c as usize][slot].entries.push((key, k as u32));
        }
    }
    // Each child's position on the list of each of its choices, in choice order.
    let mut position: Vec<[usize; crate::MAX_CHOICES]> = vec![[0; crate::MAX_CHOICES]; p.choices.len()];
    for (c, at) in lists.iter_mut().enumerate() {
        for list in at.iter_mut() {
            list.entries.sort_unstable();
            for (i, (_, k)) in list.entries.iter().enumerate() {
                let ku = *k as usize;
                if let Some(j) = p.choices[ku].iter().position(|x| *x as usize == c) {
                    position[ku][j] = i + 1;
                }
                if placed[ku] == Some(c as u32) {
                    list.last_placed = Some(i + 1);
                }
            }
        }
    }
    p.input
        .children
        .iter()
        .enumerate()
        .map(|(k, child)| {
            let mut done = false;
            let choices = p.choices[k]
                .iter()
                .enumerate()
                .map(|(j, &c)| {
                    let cu = c as usize;
                    let center = p.input.centers[cu].id.clone();
                    if done {
                        return ChoiceOutcome::NotNeeded { center };
                    }
                    let Some(slot) = p.slot_at(c, k as u32) else { return ChoiceOutcome::NoClass { center } };
                    let list = &lists[cu][slot];
                    let (pos, applicants) = (position[k][j], list.entries.len());
                    let capacity = p.places[cu].most(slot);
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
                            last_placed: list.last_placed,
                            sibling_priority,
                        }
                    }
                })
                .collect();
            (child.id.clone(), Explanation { lottery_number: p.lottery[k], choices })
        })
        .collect()
}
