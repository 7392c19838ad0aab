//! Record linkage for agencies' recipient lists (issue #8): which records, from 동주민센터, 복지관 and private
//! agencies, are the same person. Names are read the Korean way (Hangul without spacing, a typo measured in jamo,
//! romanised surnames through their usual spellings), birth dates and phones in any usual format with typos told
//! apart from other values. Candidate pairs come from blocks; each pair's agreement per field is scored by
//! Fellegi–Sunter with m and u fitted by EM on the list itself; pairs likely enough join one cluster, and the
//! uncertain ones are kept for a person to review.

mod blocks;
mod compare;
mod fields;
mod index;
mod link;
mod model;
mod names;
mod score;

pub use compare::{FIELDS, Prepared, Record, is_missing, levels, name_level, pattern};
pub use fields::{birth_date, phone};
pub use index::{Candidate, Index};
pub use link::{LINK_AT, Linked, Outcome, REVIEW, candidate_pairs, clusters_of, link, pairwise_f1};
pub use model::Model;
pub use names::{Name, romanize};
pub use score::Scorer;
