//! Why each child got what it got: for each choice in order, the child's position on that centre's list among
//! everyone who chose it (in the child's age band, when the centre has bands), the places, and where the last place
//! went — or that a better choice came first.

use std::collections::{BTreeMap, HashMap};

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
    // Each list (a centre, or a centre's band): everyone who chose it, in its order.
    let mut lists: HashMap<(u32, u32), Vec<(Key, u32)>> = HashMap::new();
    for (k, choices) in p.choices.iter().enumerate() {
        for &c in choices {
            let band = p.band_at(c, k as u32).0;
            lists.entry((c, band)).or_default().push((p.key(c, k as u32, sibling_at[k].contains(&c)), k as u32));
        }
    }
    let mut position: HashMap<(u32, u32), HashMap<u32, usize>> = HashMap::with_capacity(lists.len());
    let mut last_placed: HashMap<(u32, u32), Option<usize>> = HashMap::with_capacity(lists.len());
    for (&(c, band), list) in lists.iter_mut() {
        list.sort_unstable();
        let at: HashMap<u32, usize> = list.iter().enumerate().map(|(i, (_, k))| (*k, i + 1)).collect();
        let last = list.iter().filter(|(_, k)| placed[*k as usize] == Some(c)).map(|(_, k)| at[k]).max();
        last_placed.insert((c, band), last);
        position.insert((c, band), at);
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
                    let (band, band_places) = p.band_at(c, k as u32);
                    let list = (c, band);
                    let (pos, applicants) = (position[&list][&(k as u32)], lists[&list].len());
                    let capacity = p.capacity[cu].min(band_places);
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
                            last_placed: last_placed[&list],
                            sibling_priority,
                        }
                    }
                })
                .collect();
            (child.id.clone(), Explanation { lottery_number: p.lottery[k], choices })
        })
        .collect()
}
