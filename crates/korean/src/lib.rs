//! Korean text analysis for the welfare-service search engine.
//!
//! Everything here is pure string work (no IO, no dictionary files) so the same functions can run when a document
//! is indexed and when a resident types a query; using one code path for both sides is what makes matches line up.
//!
//! - [`normalize`]: one canonical form (NFC, lower-case, fullwidth → ASCII, tidy whitespace).
//! - [`decompose`], [`jamo_string`]: Hangul syllables split into compatibility jamo (ㄷ ㅗ ㄹ …).
//! - [`choseong`], [`is_choseong_query`], [`matches_choseong`]: 초성 search, e.g. `ㄷㅂ` finds 돌봄센터.
//! - [`tokens`]: dictionary-free search tokens (Hangul bigrams, whole Latin/digit words, light particle stripping).
//! - [`jamo_distance`], [`within_one_jamo`]: typo tolerance measured in jamo, not syllables.
//! - [`Synonyms`]: groups of equivalent welfare terms (어린이/아동, 노인/어르신/고령자, …).
//! - [`normalize_name`], [`normalize_address`]: matching keys for person names and addresses.

mod address;
mod choseong;
mod distance;
mod jamo;
mod names;
mod normalize;
mod synonyms;
mod tokens;

pub use address::normalize_address;
pub use choseong::{choseong, is_choseong_query, matches_choseong};
pub use distance::{jamo_distance, within_one_jamo};
pub use jamo::{decompose, is_hangul_syllable, jamo_string};
pub use names::normalize_name;
pub use normalize::normalize;
pub use synonyms::Synonyms;
pub use tokens::{Token, tokens, tokens_with_offsets};
