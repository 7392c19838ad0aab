//! Groups of equivalent welfare terms, so a search for 어르신 also finds services written for 노인.

use std::collections::HashMap;

use crate::normalize::normalize;

/// The default groups. Terms inside a group are interchangeable in a search. 장애우 is intentionally absent: it is
/// a discouraged term, and official texts use 장애인.
const DEFAULT_KOREAN_GROUPS: &[&[&str]] = &[
    &["어린이", "아동"],
    &["노인", "어르신", "고령자"],
    &["임산부", "임신부"],
    &["한부모", "미혼모", "미혼부"],
    &["다문화", "결혼이민자"],
    &["청소년", "십대"],
    &["일자리", "취업", "고용"],
    &["주거", "집", "주택"],
    &["돌봄", "보육", "육아"],
    &["장애인", "장애"],
    &["저소득", "취약계층"],
    &["기초생활", "기초수급"],
    &["탈북민", "북한이탈주민"],
    &["노인일자리", "어르신일자리"],
];

/// Groups of equivalent terms. [`Synonyms::expand`] returns a term together with every term that shares a group
/// with it. Groups are not merged transitively: a term in two groups expands to both, but the other members of
/// those groups do not thereby become synonyms of each other (that would chain unrelated words together).
///
/// All terms are stored [`normalize`]d, so lookups are case-, width- and NFC-insensitive.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Synonyms {
    groups: Vec<Vec<String>>,
    groups_by_term: HashMap<String, Vec<usize>>,
}

impl Synonyms {
    /// The built-in welfare vocabulary (어린이/아동, 노인/어르신/고령자, 돌봄/보육/육아, …).
    ///
    /// ```
    /// let synonyms = korean::Synonyms::default_korean();
    /// assert_eq!(synonyms.expand("어르신"), ["어르신", "노인", "고령자"]);
    /// ```
    pub fn default_korean() -> Self {
        let groups = DEFAULT_KOREAN_GROUPS.iter().map(|group| group.iter().map(|term| term.to_string()).collect());
        Self::from_groups(groups.collect())
    }

    /// Builds from caller-supplied groups (e.g. an administrator's list). Each term is normalized; blank terms and
    /// repeats within a group are dropped, and groups left with fewer than two terms are ignored since they would
    /// expand to nothing new.
    pub fn from_groups(groups: Vec<Vec<String>>) -> Self {
        let mut kept_groups: Vec<Vec<String>> = Vec::new();
        let mut groups_by_term: HashMap<String, Vec<usize>> = HashMap::new();
        for group in groups {
            let terms = normalized_distinct_terms(group);
            if terms.len() < 2 {
                continue;
            }
            let group_index = kept_groups.len();
            for term in &terms {
                groups_by_term.entry(term.clone()).or_default().push(group_index);
            }
            kept_groups.push(terms);
        }
        Self { groups: kept_groups, groups_by_term }
    }

    /// The normalized term first, then its equivalents in group order, without duplicates. A term in no group
    /// expands to itself alone; a blank term expands to nothing.
    ///
    /// ```
    /// let synonyms = korean::Synonyms::default_korean();
    /// assert_eq!(synonyms.expand(" 아동 "), ["아동", "어린이"]);
    /// assert_eq!(synonyms.expand("기초연금"), ["기초연금"]);
    /// ```
    pub fn expand(&self, term: &str) -> Vec<String> {
        let term = normalize(term);
        if term.is_empty() {
            return Vec::new();
        }
        let mut expanded = vec![term.clone()];
        for &group_index in self.groups_by_term.get(&term).into_iter().flatten() {
            for equivalent in &self.groups[group_index] {
                if !expanded.contains(equivalent) {
                    expanded.push(equivalent.clone());
                }
            }
        }
        expanded
    }

    /// The stored groups, normalized, in insertion order.
    pub fn groups(&self) -> &[Vec<String>] {
        &self.groups
    }
}

fn normalized_distinct_terms(group: Vec<String>) -> Vec<String> {
    let mut terms: Vec<String> = Vec::with_capacity(group.len());
    for term in group {
        let term = normalize(&term);
        if !term.is_empty() && !terms.contains(&term) {
            terms.push(term);
        }
    }
    terms
}

#[cfg(test)]
mod tests {
    use super::*;

    fn groups(raw: &[&[&str]]) -> Vec<Vec<String>> {
        raw.iter().map(|group| group.iter().map(|term| term.to_string()).collect()).collect()
    }

    #[test]
    fn default_groups_expand_both_ways() {
        let synonyms = Synonyms::default_korean();
        assert_eq!(synonyms.expand("어린이"), ["어린이", "아동"]);
        assert_eq!(synonyms.expand("아동"), ["아동", "어린이"]);
        assert_eq!(synonyms.expand("고령자"), ["고령자", "노인", "어르신"]);
        assert_eq!(synonyms.expand("미혼부"), ["미혼부", "한부모", "미혼모"]);
        assert_eq!(synonyms.expand("북한이탈주민"), ["북한이탈주민", "탈북민"]);
        assert_eq!(synonyms.expand("어르신일자리"), ["어르신일자리", "노인일자리"]);
    }

    #[test]
    fn discouraged_term_is_not_a_synonym() {
        let synonyms = Synonyms::default_korean();
        assert_eq!(synonyms.expand("장애인"), ["장애인", "장애"]);
        assert_eq!(synonyms.expand("장애우"), ["장애우"]);
    }

    #[test]
    fn unknown_and_blank_terms() {
        let synonyms = Synonyms::default_korean();
        assert_eq!(synonyms.expand("긴급복지"), ["긴급복지"]);
        assert!(synonyms.expand("  ").is_empty());
    }

    #[test]
    fn lookups_are_normalized() {
        let synonyms = Synonyms::from_groups(groups(&[&["LH", "한국토지주택공사"]]));
        assert_eq!(synonyms.expand("ＬＨ"), ["lh", "한국토지주택공사"]);
        assert_eq!(
            synonyms.expand("\u{1112}\u{1161}\u{11AB}\u{1100}\u{116E}\u{11A8}토지주택공사"),
            ["한국토지주택공사", "lh"]
        );
    }

    #[test]
    fn term_in_two_groups_expands_to_both_without_chaining() {
        let synonyms = Synonyms::from_groups(groups(&[&["집", "주택"], &["집", "가정"]]));
        assert_eq!(synonyms.expand("집"), ["집", "주택", "가정"]);
        assert_eq!(synonyms.expand("주택"), ["주택", "집"]);
    }

    #[test]
    fn from_groups_drops_blank_duplicate_and_single_term_groups() {
        let synonyms = Synonyms::from_groups(groups(&[&["아동", " 아동 ", "", "어린이"], &["혼자"], &[" ", ""]]));
        assert_eq!(synonyms.groups(), groups(&[&["아동", "어린이"]]));
    }

    #[test]
    fn default_groups_are_already_normalized() {
        for group in Synonyms::default_korean().groups() {
            for term in group {
                assert_eq!(&normalize(term), term);
            }
        }
        assert_eq!(Synonyms::default_korean().groups().len(), DEFAULT_KOREAN_GROUPS.len());
    }
}
