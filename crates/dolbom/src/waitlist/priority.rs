//! Priority for a waitlist place as data, not code: which verified facts put a child in which class (1 first),
//! and how many points each fact is worth within a class. The default follows 영유아보육법 시행규칙 제29조 and
//! 보육사업안내 (data/waitlist/priority-default.json); a municipality replaces the file's content, not the code.
//! Only facts staff verified count: a claimed fact without its document checked gives nothing.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

const DEFAULT: &str = include_str!("../../data/waitlist/priority-default.json");

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassRule {
    pub class: u32,
    pub facts: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriorityRules {
    /// Where the rules come from, shown to guardians.
    pub source: String,
    pub classes: Vec<ClassRule>,
    pub points: BTreeMap<String, i64>,
    /// The document that proves each fact.
    pub documents: BTreeMap<String, String>,
    /// How long a guardian has to answer a place offered, in hours.
    #[serde(default = "default_offer_hours")]
    pub offer_hours: i64,
    /// Whether a child whose brother or sister is placed at a centre comes first in its class there (형제자매
    /// 동시 입소). Most municipalities do; one that does not leaves siblings out of the round.
    #[serde(default = "siblings_together")]
    pub siblings_together: bool,
}

fn siblings_together() -> bool {
    true
}

fn default_offer_hours() -> i64 {
    72
}

/// A child's standing: the class and points the allocation uses, and the facts that gave them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Standing {
    /// `None`: no class applies (after every class).
    pub class: Option<u32>,
    pub points: i64,
    pub counted: Vec<String>,
}

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum RulesError {
    #[error("not valid rules JSON: {0}")]
    Malformed(String),
    #[error("class {0} is given twice")]
    DuplicateClass(u32),
    #[error("fact {0} has no document to prove it")]
    NoDocument(String),
    #[error("fact {0} has negative points")]
    NegativePoints(String),
    #[error("an offer must be answerable in 1 hour to 30 days, not {0} hours")]
    OfferHours(i64),
}

impl PriorityRules {
    /// The shipped default.
    pub fn default_rules() -> PriorityRules {
        PriorityRules::parse(DEFAULT).unwrap_or_else(|_| PriorityRules {
            source: String::new(),
            classes: Vec::new(),
            points: BTreeMap::new(),
            documents: BTreeMap::new(),
            offer_hours: default_offer_hours(),
            siblings_together: siblings_together(),
        })
    }

    /// Reads and checks a municipality's rules.
    pub fn parse(text: &str) -> Result<PriorityRules, RulesError> {
        let rules: PriorityRules = serde_json::from_str(text).map_err(|e| RulesError::Malformed(e.to_string()))?;
        let mut seen = std::collections::HashSet::new();
        for c in &rules.classes {
            if !seen.insert(c.class) {
                return Err(RulesError::DuplicateClass(c.class));
            }
        }
        for fact in rules.facts() {
            if !rules.documents.contains_key(&fact) {
                return Err(RulesError::NoDocument(fact));
            }
        }
        if let Some((fact, _)) = rules.points.iter().find(|(_, p)| **p < 0) {
            return Err(RulesError::NegativePoints(fact.clone()));
        }
        if !(1..=24 * 30).contains(&rules.offer_hours) {
            return Err(RulesError::OfferHours(rules.offer_hours));
        }
        Ok(rules)
    }

    /// Every fact the rules know, in a stable order.
    pub fn facts(&self) -> Vec<String> {
        let mut all: Vec<String> = self.classes.iter().flat_map(|c| c.facts.iter().cloned()).collect();
        all.extend(self.points.keys().cloned());
        all.sort();
        all.dedup();
        all
    }

    /// The best class any verified fact gives, and the sum of their points.
    pub fn standing(&self, verified: &[String]) -> Standing {
        let known: Vec<String> = self.facts().into_iter().filter(|f| verified.contains(f)).collect();
        let class = self.classes.iter().filter(|c| c.facts.iter().any(|f| known.contains(f))).map(|c| c.class).min();
        let points = known.iter().map(|f| self.points.get(f).copied().unwrap_or(0)).sum();
        Standing { class, points, counted: known }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn verified_facts_give_the_best_class_and_the_sum_of_points() {
        let rules = PriorityRules::default_rules();
        assert!(rules.source.contains("영유아보육법"));
        let single_dual = rules.standing(&facts(&["single_parent", "dual_income", "made_up"]));
        assert_eq!(
            single_dual,
            Standing { class: Some(1), points: 35, counted: facts(&["dual_income", "single_parent"]) }
        );
        assert_eq!(rules.standing(&facts(&["two_children"])).class, Some(2));
        assert_eq!(rules.standing(&[]), Standing { class: None, points: 0, counted: Vec::new() });
    }

    #[test]
    fn a_municipality_changes_the_data_and_bad_rules_are_refused() {
        let mine = r#"{"source":"남양주시","classes":[{"class":1,"facts":["dual_income"]}],
                       "points":{"dual_income":50},"documents":{"dual_income":"재직증명서"}}"#;
        let rules = PriorityRules::parse(mine).unwrap();
        assert_eq!(rules.standing(&facts(&["dual_income", "single_parent"])).points, 50, "only its own facts count");
        let twice =
            r#"{"source":"","classes":[{"class":1,"facts":[]},{"class":1,"facts":[]}],"points":{},"documents":{}}"#;
        assert_eq!(PriorityRules::parse(twice), Err(RulesError::DuplicateClass(1)));
        let undocumented = r#"{"source":"","classes":[{"class":1,"facts":["x"]}],"points":{},"documents":{}}"#;
        assert_eq!(PriorityRules::parse(undocumented), Err(RulesError::NoDocument("x".into())));
        let negative = r#"{"source":"","classes":[],"points":{"x":-3},"documents":{"x":"d"}}"#;
        assert_eq!(PriorityRules::parse(negative), Err(RulesError::NegativePoints("x".into())));
        assert!(matches!(PriorityRules::parse("{"), Err(RulesError::Malformed(_))));
        let never = r#"{"source":"","classes":[],"points":{},"documents":{},"offer_hours":0}"#;
        assert_eq!(PriorityRules::parse(never), Err(RulesError::OfferHours(0)));
        assert_eq!(rules.offer_hours, 72, "the default time to answer");
    }
}
