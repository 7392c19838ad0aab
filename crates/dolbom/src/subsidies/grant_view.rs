//! What a grant's page shows, gathered once: the application and its programme, the reviewers' sheets and result,
//! every plan version with what it changed against the plan in force before it, the ledger per budget line,
//! disbursements and spending.

use chrono::NaiveDate;
use grants::ledger::Balance;
use grants::plan::{self, BudgetLine, LineChange, Plan};
use grants::review::{Criterion, Outcome};

use super::ledger_store;
use super::queries::{self, Application, NamedSheet, SpendingRow};
use super::store::{self, Programme};
use crate::db::Db;

/// One line of a change as shown: its name, the amount before and after (`None` where it did not exist).
#[derive(Clone, Debug)]
pub struct ChangeRow {
    pub name: String,
    pub from: Option<i64>,
    pub to: Option<i64>,
    pub kind: &'static str,
}

impl ChangeRow {
    fn of(c: &LineChange) -> ChangeRow {
        match c {
            LineChange::Added { name, amount, .. } => {
                ChangeRow { name: name.clone(), from: None, to: Some(*amount), kind: "added" }
            }
            LineChange::Removed { name, amount, .. } => {
                ChangeRow { name: name.clone(), from: Some(*amount), to: None, kind: "removed" }
            }
            LineChange::Changed { name, from, to, .. } => {
                ChangeRow { name: name.clone(), from: Some(*from), to: Some(*to), kind: "changed" }
            }
        }
    }

    pub fn delta(&self) -> i64 {
        self.to.unwrap_or(0) - self.from.unwrap_or(0)
    }
}

#[derive(Clone, Debug)]
pub struct VersionView {
    pub version: i32,
    pub status: String,
    pub reason: String,
    pub decision_reason: String,
    pub lines: Vec<BudgetLine>,
    pub total: i64,
    /// Against the plan in force before it (empty for the first).
    pub changes: Vec<ChangeRow>,
}

/// Every version, each compared with the approved version before it.
pub fn version_views(versions: Vec<(i32, String, Plan, String, String)>) -> Vec<VersionView> {
    let mut in_force: Option<Plan> = None;
    let mut out = Vec::new();
    for (version, status, plan, reason, decision_reason) in versions {
        let changes = match &in_force {
            Some(before) => plan::diff(before, &plan).iter().map(ChangeRow::of).collect(),
            None => Vec::new(),
        };
        out.push(VersionView {
            version,
            status: status.clone(),
            reason,
            decision_reason,
            total: plan.total(),
            lines: plan.lines.clone(),
            changes,
        });
        if status == "approved" {
            in_force = Some(plan);
        }
    }
    out
}

/// A result's score as shown and exported: points with two decimals (`88.00`).
pub fn score_text(o: Option<&Outcome>) -> Option<String> {
    o.map(|o| format!("{:.2}", f64::from(o.score_hundredths) / 100.0))
}

pub struct GrantView {
    pub a: Application,
    pub p: Programme,
    pub criteria: Vec<Criterion>,
    pub sheets: Vec<NamedSheet>,
    pub outcome: Option<Outcome>,
    pub versions: Vec<VersionView>,
    /// The ledger, once approved, and the number of the plan in force.
    pub balance: Option<(Balance, i32)>,
    pub disbursements: Vec<(NaiveDate, i64)>,
    pub spending: Vec<SpendingRow>,
}

impl GrantView {
    pub async fn load(db: &Db, a: Application, p: Programme) -> Result<GrantView, sqlx::Error> {
        let versions = version_views(ledger_store::versions(db, &a.id).await?);
        Ok(GrantView {
            criteria: p.criteria(),
            sheets: queries::sheets(db, &a.id).await?,
            outcome: store::outcome(db, &a.id).await?,
            balance: ledger_store::balance(db, &a.id).await?,
            disbursements: queries::disbursements(db, &a.id).await?,
            spending: queries::spending(db, &a.id).await?,
            versions,
            a,
            p,
        })
    }

    /// The plan in force, or the plan applied with before a decision.
    pub fn current_plan(&self) -> Plan {
        let v = self.versions.iter().rev().find(|v| v.status == "approved").or(self.versions.first());
        Plan { lines: v.map(|v| v.lines.clone()).unwrap_or_default() }
    }

    pub fn waiting_change(&self) -> Option<&VersionView> {
        self.versions.iter().find(|v| v.status == "proposed" && v.version > 1)
    }

    /// A budget line's name by its code, from any version (spending may be on a line a later plan removed).
    pub fn line_name(&self, code: &str) -> String {
        self.versions
            .iter()
            .rev()
            .flat_map(|v| v.lines.iter())
            .find(|l| l.code == code)
            .map(|l| l.name.clone())
            .unwrap_or_else(|| code.to_string())
    }

    pub fn disbursed(&self) -> i64 {
        self.disbursements.iter().map(|d| d.1).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(lines: &[(&str, i64)]) -> Plan {
        Plan {
            lines: lines
                .iter()
                .map(|(c, a)| BudgetLine { code: c.to_string(), name: c.to_string(), amount: *a })
                .collect(),
        }
    }

    #[test]
    fn each_version_is_compared_with_the_plan_in_force_before_it() {
        let views = version_views(vec![
            (1, "approved".into(), plan(&[("a", 100), ("b", 50)]), String::new(), String::new()),
            (2, "rejected".into(), plan(&[("a", 10), ("b", 140)]), String::new(), String::new()),
            (3, "approved".into(), plan(&[("a", 80), ("b", 50), ("c", 20)]), String::new(), String::new()),
        ]);
        assert!(views[0].changes.is_empty());
        let v3: Vec<_> = views[2].changes.iter().map(|c| (c.name.as_str(), c.kind, c.delta())).collect();
        assert_eq!(v3, vec![("a", "changed", -20), ("c", "added", 20)], "against version 1, not the rejected 2");
    }
}
