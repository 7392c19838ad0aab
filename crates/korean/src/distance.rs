//! Typo tolerance measured in jamo.
//!
//! A one-key typo in Korean changes one jamo, not one syllable: 돌봉 for 돌봄 is ㅁ→ㅇ. Counting syllables would
//! call 돌봄/돌봉 and 돌봄/사과 equally far apart (one syllable), so distances are computed over [`jamo_string`].

use crate::jamo::jamo_string;

/// Levenshtein distance (insert, delete, substitute; each costs 1) between the jamo decompositions of `a` and `b`.
/// Symmetric, zero only for equal jamo strings. Quadratic in length: meant for words, not documents.
///
/// ```
/// assert_eq!(korean::jamo_distance("돌봄", "돌봉"), 1);
/// assert_eq!(korean::jamo_distance("돌봄", "돌봄"), 0);
/// assert_eq!(korean::jamo_distance("아동", "아둥"), 1);
/// ```
pub fn jamo_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = jamo_string(a).chars().collect();
    let b: Vec<char> = jamo_string(b).chars().collect();
    levenshtein(&a, &b)
}

/// True when `a` and `b` differ by at most one jamo edit (`jamo_distance(a, b) <= 1`), checked in linear time so it
/// can run against many candidate terms.
///
/// ```
/// assert!(korean::within_one_jamo("어르신", "어르싱"));
/// assert!(!korean::within_one_jamo("어르신", "어린이"));
/// ```
pub fn within_one_jamo(a: &str, b: &str) -> bool {
    let a: Vec<char> = jamo_string(a).chars().collect();
    let b: Vec<char> = jamo_string(b).chars().collect();
    at_most_one_edit(&a, &b)
}

/// Classic two-row dynamic programme; memory is linear in the shorter input.
fn levenshtein(a: &[char], b: &[char]) -> usize {
    let (longer, shorter) = if a.len() >= b.len() { (a, b) } else { (b, a) };
    let mut previous: Vec<usize> = (0..=shorter.len()).collect();
    let mut current = vec![0; shorter.len() + 1];
    for (i, &long_char) in longer.iter().enumerate() {
        current[0] = i + 1;
        for (j, &short_char) in shorter.iter().enumerate() {
            let substitution = previous[j] + usize::from(long_char != short_char);
            let deletion = previous[j + 1] + 1;
            let insertion = current[j] + 1;
            current[j + 1] = substitution.min(deletion).min(insertion);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[shorter.len()]
}

/// After skipping the common prefix, one edit is left only if the rests agree once one character is dropped from
/// the longer side (or from both, for a substitution).
fn at_most_one_edit(a: &[char], b: &[char]) -> bool {
    let (longer, shorter) = if a.len() >= b.len() { (a, b) } else { (b, a) };
    if longer.len() - shorter.len() > 1 {
        return false;
    }
    let common_prefix = shorter.iter().zip(longer).take_while(|(x, y)| x == y).count();
    if common_prefix == shorter.len() {
        return true;
    }
    let longer_rest = &longer[common_prefix + 1..];
    if longer.len() == shorter.len() {
        longer_rest == &shorter[common_prefix + 1..]
    } else {
        longer_rest == &shorter[common_prefix..]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_key_typos_are_one_jamo_apart() {
        assert_eq!(jamo_distance("돌봄", "돌봉"), 1);
        assert_eq!(jamo_distance("복지", "복자"), 1);
        assert_eq!(jamo_distance("센터", "샌터"), 1);
        assert_eq!(jamo_distance("돌봄", "돌보"), 1);
    }

    #[test]
    fn different_words_are_far_apart() {
        assert_eq!(jamo_distance("돌봄", "사과"), 6);
        assert_eq!(jamo_distance("", "돌봄"), 6);
        assert_eq!(jamo_distance("", ""), 0);
    }

    #[test]
    fn counts_latin_characters_too() {
        assert_eq!(jamo_distance("lh", "sh"), 1);
        assert_eq!(jamo_distance("lh임대", "lh임데"), 1);
    }

    #[test]
    fn within_one_jamo_agrees_with_distance() {
        let words = ["돌봄", "돌봉", "돌보", "돌", "봄", "어르신", "어르싱", "어린이", "", "ab", "ba"];
        for a in words {
            for b in words {
                assert_eq!(within_one_jamo(a, b), jamo_distance(a, b) <= 1, "{a} vs {b}");
            }
        }
    }

    #[test]
    fn within_one_jamo_handles_insertions_and_deletions() {
        assert!(within_one_jamo("주거", "주걱"));
        assert!(within_one_jamo("주걱", "주거"));
        assert!(!within_one_jamo("주거", "주거급여"));
    }
}
