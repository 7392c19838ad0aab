//! The input of a round, and its checks: every problem named with where it is, nothing allocated from bad input.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};

/// The most centres a child may choose (아이사랑's integrated waitlist allows several; five here).
pub const MAX_CHOICES: usize = 5;

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Input {
    pub centers: Vec<Center>,
    pub children: Vec<Child>,
    pub lottery_seed: u64,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Center {
    pub id: String,
    /// Places to fill this round; negative is refused.
    pub capacity: i64,
    /// The centre's own strict order of the children who chose it, when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ranking: Option<Vec<String>>,
    /// Places per age band (e.g. `{"0":3,"1":5,"2":7}` for 만 0–2세반), within `capacity`. A centre with bands
    /// takes a child only into the child's band; one without takes any child.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bands: Option<BTreeMap<String, i64>>,
    /// Mixed classes (영아혼합반 만 0–2세, 유아혼합반 만 3–5세): places any of their bands may take once the band's
    /// own places are full, within `capacity`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mixed: Option<Vec<Mixed>>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Mixed {
    pub bands: Vec<String>,
    pub places: i64,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Child {
    pub id: String,
    /// Centres in order of preference, at most [`MAX_CHOICES`].
    pub choices: Vec<String>,
    /// 1 is the highest class (e.g. 기초생활수급자); children without one come after every class.
    #[serde(default = "lowest_class")]
    pub priority_class: u32,
    #[serde(default)]
    pub points: i64,
    /// Brothers and sisters in the same round: one placed at a centre lifts the other to the top of its class there.
    #[serde(default)]
    pub siblings: Vec<String>,
    /// The child's age band (for centres with bands).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub band: Option<String>,
}

fn lowest_class() -> u32 {
    u32::MAX
}

/// What is wrong with an input; the message names the centre or child.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "error", rename_all = "snake_case")]
pub enum InputError {
    #[error("centre {center}: capacity {capacity} is negative")]
    NegativeCapacity { center: String, capacity: i64 },
    #[error("centre {center}: band {band} has a negative capacity {capacity}")]
    NegativeBandCapacity { center: String, band: String, capacity: i64 },
    #[error("centre {center}: a mixed class of bands {bands:?} has negative places {places}")]
    NegativeMixedPlaces { center: String, bands: Vec<String>, places: i64 },
    #[error("centre {center}: band {band} is in two mixed classes")]
    BandInTwoMixed { center: String, band: String },
    #[error("centre {center} is given twice")]
    DuplicateCenter { center: String },
    #[error("child {child} is given twice")]
    DuplicateChild { child: String },
    #[error("child {child} chooses centre {center}, which is not in the input")]
    UnknownCenter { child: String, center: String },
    #[error("child {child} chooses centre {center} twice")]
    DuplicateChoice { child: String, center: String },
    #[error("child {child} chooses {count} centres; at most {max}")]
    TooManyChoices { child: String, count: usize, max: usize },
    #[error("centre {center}'s ranking lists {child} twice")]
    RankedTwice { center: String, child: String },
    #[error("centre {center}'s ranking leaves out child {child}, who chose it")]
    Unranked { center: String, child: String },
    #[error("an id is empty")]
    EmptyId,
}

impl Input {
    /// Every problem at once, in input order.
    pub fn check(&self) -> Vec<InputError> {
        let mut errors = Vec::new();
        let mut centers = HashSet::new();
        for c in &self.centers {
            if c.id.is_empty() {
                errors.push(InputError::EmptyId);
            }
            if !centers.insert(c.id.as_str()) {
                errors.push(InputError::DuplicateCenter { center: c.id.clone() });
            }
            if c.capacity < 0 {
                errors.push(InputError::NegativeCapacity { center: c.id.clone(), capacity: c.capacity });
            }
            for (band, capacity) in c.bands.iter().flatten().filter(|(_, n)| **n < 0) {
                errors.push(InputError::NegativeBandCapacity {
                    center: c.id.clone(),
                    band: band.clone(),
                    capacity: *capacity,
                });
            }
            check_mixed(c, &mut errors);
        }
        let mut children = HashSet::new();
        let mut chose: HashMap<&str, Vec<&str>> = HashMap::new();
        for k in &self.children {
            if k.id.is_empty() {
                errors.push(InputError::EmptyId);
            }
            if !children.insert(k.id.as_str()) {
                errors.push(InputError::DuplicateChild { child: k.id.clone() });
            }
            if k.choices.len() > MAX_CHOICES {
                errors.push(InputError::TooManyChoices {
                    child: k.id.clone(),
                    count: k.choices.len(),
                    max: MAX_CHOICES,
                });
            }
            let mut seen = HashSet::new();
            for c in &k.choices {
                if !centers.contains(c.as_str()) {
                    errors.push(InputError::UnknownCenter { child: k.id.clone(), center: c.clone() });
                } else if !seen.insert(c.as_str()) {
                    errors.push(InputError::DuplicateChoice { child: k.id.clone(), center: c.clone() });
                } else {
                    chose.entry(c.as_str()).or_default().push(k.id.as_str());
                }
            }
        }
        for c in &self.centers {
            let Some(ranking) = &c.ranking else { continue };
            let mut ranked = HashSet::new();
            for k in ranking {
                if !ranked.insert(k.as_str()) {
                    errors.push(InputError::RankedTwice { center: c.id.clone(), child: k.clone() });
                }
            }
            for k in chose.get(c.id.as_str()).into_iter().flatten() {
                if !ranked.contains(k) {
                    errors.push(InputError::Unranked { center: c.id.clone(), child: k.to_string() });
                }
            }
        }
        errors
    }
}

/// A centre's mixed classes: places not negative, each band in one mixed class at most.
fn check_mixed(c: &Center, errors: &mut Vec<InputError>) {
    let mut seen = HashSet::new();
    for m in c.mixed.iter().flatten() {
        if m.places < 0 {
            errors.push(InputError::NegativeMixedPlaces {
                center: c.id.clone(),
                bands: m.bands.clone(),
                places: m.places,
            });
        }
        for band in &m.bands {
            if !seen.insert(band.as_str()) {
                errors.push(InputError::BandInTwoMixed { center: c.id.clone(), band: band.clone() });
            }
        }
    }
}
