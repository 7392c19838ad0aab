//! A budget plan is a list of budget lines (예산 항목: 인건비, 운영비, 사업비 …), each with an amount. A group's plan
//! is approved with its grant; a plan change (사업계획변경) proposes a new list, shown as a diff against the plan in
//! force, and is checked before anyone reviews it: the total stays within the grant, no line drops below what was
//! already spent from it, codes are unique.

use serde::{Deserialize, Serialize};

use crate::Krw;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BudgetLine {
    /// Stable within the plan's history (`personnel`, `rent`, `programme-1` …), so versions can be compared.
    pub code: String,
    pub name: String,
    pub amount: Krw,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    pub lines: Vec<BudgetLine>,
}

impl Plan {
    pub fn total(&self) -> Krw {
        self.lines.iter().map(|l| l.amount).sum()
    }

    pub fn line(&self, code: &str) -> Option<&BudgetLine> {
        self.lines.iter().find(|l| l.code == code)
    }
}

/// What a change does to one line, against the plan in force.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LineChange {
    Added {
        code: String,
        name: String,
        amount: Krw,
    },
    Removed {
        code: String,
        name: String,
        amount: Krw,
    },
    /// The amount, the name, or both changed.
    Changed {
        code: String,
        name: String,
        from: Krw,
        to: Krw,
        renamed_from: Option<String>,
    },
}

impl LineChange {
    /// How much the line's amount moves (negative when it shrinks).
    pub fn delta(&self) -> Krw {
        match self {
            LineChange::Added { amount, .. } => *amount,
            LineChange::Removed { amount, .. } => -amount,
            LineChange::Changed { from, to, .. } => to - from,
        }
    }
}

/// The lines that differ between the plan in force and a proposed one, in the order of the plan in force with
/// added lines last. Lines that did not change are left out.
pub fn diff(current: &Plan, proposed: &Plan) -> Vec<LineChange> {
    let mut out = Vec::new();
    for old in &current.lines {
        match proposed.line(&old.code) {
            None => {
                out.push(LineChange::Removed { code: old.code.clone(), name: old.name.clone(), amount: old.amount })
            }
            Some(new) if new.amount != old.amount || new.name != old.name => out.push(LineChange::Changed {
                code: old.code.clone(),
                name: new.name.clone(),
                from: old.amount,
                to: new.amount,
                renamed_from: (new.name != old.name).then(|| old.name.clone()),
            }),
            Some(_) => {}
        }
    }
    for new in &proposed.lines {
        if current.line(&new.code).is_none() {
            out.push(LineChange::Added { code: new.code.clone(), name: new.name.clone(), amount: new.amount });
        }
    }
    out
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    #[error("the plan has no lines")]
    Empty,
    #[error("line {code} has no name")]
    Unnamed { code: String },
    #[error("line code {code} is used twice")]
    RepeatedCode { code: String },
    #[error("line {code} has a negative amount")]
    Negative { code: String },
    #[error("the plan's total {total} is more than the grant {granted}")]
    OverGrant { total: Krw, granted: Krw },
    /// A line would be set below what was already spent from it (a removed line counts as 0).
    #[error("line {code} would be {amount}, below the {spent} already spent")]
    BelowSpent { code: String, amount: Krw, spent: Krw },
    #[error("the change changes nothing")]
    NoChange,
}

/// Checks a plan on its own: lines named, codes unique, amounts not negative, the total within the grant. Every
/// problem, not only the first.
pub fn check(plan: &Plan, granted: Krw) -> Vec<PlanError> {
    let mut errors = Vec::new();
    if plan.lines.is_empty() {
        errors.push(PlanError::Empty);
    }
    for (i, line) in plan.lines.iter().enumerate() {
        if line.name.trim().is_empty() {
            errors.push(PlanError::Unnamed { code: line.code.clone() });
        }
        if plan.lines[..i].iter().any(|l| l.code == line.code) {
            errors.push(PlanError::RepeatedCode { code: line.code.clone() });
        }
        if line.amount < 0 {
            errors.push(PlanError::Negative { code: line.code.clone() });
        }
    }
    let total = plan.total();
    if total > granted {
        errors.push(PlanError::OverGrant { total, granted });
    }
    errors
}

/// Checks a proposed change against the plan in force and what was spent per line (`spent(code)`): the plan's own
/// checks, no line below its spending, and something must change. Every problem, not only the first.
pub fn check_change(current: &Plan, proposed: &Plan, granted: Krw, spent: impl Fn(&str) -> Krw) -> Vec<PlanError> {
    let mut errors = check(proposed, granted);
    for old in &current.lines {
        let amount = proposed.line(&old.code).map_or(0, |l| l.amount);
        let used = spent(&old.code);
        if amount < used {
            errors.push(PlanError::BelowSpent { code: old.code.clone(), amount, spent: used });
        }
    }
    if diff(current, proposed).is_empty() {
        errors.push(PlanError::NoChange);
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(code: &str, name: &str, amount: Krw) -> BudgetLine {
        BudgetLine { code: code.into(), name: name.into(), amount }
    }

    fn approved() -> Plan {
        Plan {
            lines: vec![
                line("personnel", "강사비", 1_200_000),
                line("materials", "재료비", 500_000),
                line("events", "행사비", 300_000),
            ],
        }
    }

    #[test]
    fn the_diff_names_each_moved_line() {
        let proposed = Plan {
            lines: vec![
                line("personnel", "강사비", 1_000_000),
                line("materials", "교재·재료비", 500_000),
                line("travel", "견학 교통비", 500_000),
            ],
        };
        let changes = diff(&approved(), &proposed);
        assert_eq!(
            changes,
            vec![
                LineChange::Changed {
                    code: "personnel".into(),
                    name: "강사비".into(),
                    from: 1_200_000,
                    to: 1_000_000,
                    renamed_from: None
                },
                LineChange::Changed {
                    code: "materials".into(),
                    name: "교재·재료비".into(),
                    from: 500_000,
                    to: 500_000,
                    renamed_from: Some("재료비".into())
                },
                LineChange::Removed { code: "events".into(), name: "행사비".into(), amount: 300_000 },
                LineChange::Added { code: "travel".into(), name: "견학 교통비".into(), amount: 500_000 },
            ]
        );
        assert_eq!(changes.iter().map(LineChange::delta).sum::<Krw>(), 0, "money moved between lines");
    }

    #[test]
    fn a_change_keeps_within_the_grant_and_above_what_was_spent() {
        let spent = |code: &str| if code == "events" { 120_000 } else { 0 };
        let mut proposed = approved();
        proposed.lines[2].amount = 100_000;
        proposed.lines[0].amount = 1_600_000;
        let errors = check_change(&approved(), &proposed, 2_000_000, spent);
        assert_eq!(
            errors,
            vec![
                PlanError::OverGrant { total: 2_200_000, granted: 2_000_000 },
                PlanError::BelowSpent { code: "events".into(), amount: 100_000, spent: 120_000 },
            ]
        );
        proposed.lines[0].amount = 1_380_000;
        proposed.lines[2].amount = 120_000;
        assert!(check_change(&approved(), &proposed, 2_000_000, spent).is_empty());
        assert_eq!(check_change(&approved(), &approved(), 2_000_000, spent), vec![PlanError::NoChange]);
    }

    #[test]
    fn a_plan_names_every_problem() {
        let bad = Plan { lines: vec![line("a", " ", -1), line("a", "재료비", 10)] };
        assert_eq!(
            check(&bad, 5),
            vec![
                PlanError::Unnamed { code: "a".into() },
                PlanError::Negative { code: "a".into() },
                PlanError::RepeatedCode { code: "a".into() },
                PlanError::OverGrant { total: 9, granted: 5 },
            ]
        );
        assert_eq!(check(&Plan { lines: vec![] }, 0), vec![PlanError::Empty]);
    }
}
