//! The subsidy forms, read and checked before anything is stored: budget lines typed as rows (a row left blank is
//! skipped; a line kept from the plan in force keeps its code), amounts in whole won with or without separators,
//! a programme with its rubric, a reviewer's points. Each problem is a field error in the catalog.

use chrono::NaiveDate;
use grants::plan::{BudgetLine, Plan};
use grants::review::Criterion;
use serde::Deserialize;

use crate::cases::model::date;
use crate::error::FieldErrors;

/// Whole won, typed with or without separators and a trailing 원; `None` unless a number of at least 0.
pub fn krw(text: &str) -> Option<i64> {
    let digits: String = text.trim().trim_end_matches('원').chars().filter(|c| *c != ',' && *c != ' ').collect();
    digits.parse::<i64>().ok().filter(|n| *n >= 0 && *n <= 100_000_000_000)
}

pub fn required(errors: &mut FieldErrors, field: &'static str, text: &str, max: usize) {
    if text.trim().is_empty() {
        errors.add(field, "field-required");
    } else if text.chars().count() > max {
        errors.add(field, "field-text-too-long");
    }
}

/// Budget lines as typed: `line_code` (hidden, empty for a new line), `line_name`, `line_amount`.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct LinesForm {
    #[serde(default)]
    pub line_code: Vec<String>,
    #[serde(default)]
    pub line_name: Vec<String>,
    #[serde(default)]
    pub line_amount: Vec<String>,
}

impl LinesForm {
    pub fn from_plan(plan: &Plan, blank_rows: usize) -> LinesForm {
        let mut f = LinesForm::default();
        for l in &plan.lines {
            f.line_code.push(l.code.clone());
            f.line_name.push(l.name.clone());
            f.line_amount.push(l.amount.to_string());
        }
        for _ in 0..blank_rows {
            f.line_code.push(String::new());
            f.line_name.push(String::new());
            f.line_amount.push(String::new());
        }
        f
    }

    /// The rows as (code, name, amount) text, as many as the longest column.
    pub fn rows(&self) -> Vec<(String, String, String)> {
        let n = self.line_name.len().max(self.line_amount.len()).max(self.line_code.len());
        let at = |v: &Vec<String>, i: usize| v.get(i).cloned().unwrap_or_default();
        (0..n).map(|i| (at(&self.line_code, i), at(&self.line_name, i), at(&self.line_amount, i))).collect()
    }

    /// The plan typed. A new line gets the next free code `L1`, `L2`, …; errors are named `line-{row}-name` and
    /// `line-{row}-amount` (rows counted from 1) or `lines` when there is no line at all.
    pub fn read(&self, errors: &mut FieldErrors) -> Plan {
        let rows = self.rows();
        let mut used: Vec<String> = rows.iter().map(|r| r.0.trim().to_string()).filter(|c| !c.is_empty()).collect();
        let mut lines = Vec::new();
        for (i, (code, name, amount)) in rows.iter().enumerate() {
            let (name, amount) = (name.trim(), amount.trim());
            if name.is_empty() && amount.is_empty() && code.trim().is_empty() {
                continue;
            }
            let row = i + 1;
            if name.is_empty() {
                errors.add(format!("line-{row}-name"), "field-required");
            } else if name.chars().count() > 60 {
                errors.add(format!("line-{row}-name"), "field-text-too-long");
            }
            let Some(amount) = krw(amount) else {
                errors.add(format!("line-{row}-amount"), "field-number-invalid");
                continue;
            };
            let code = match code.trim() {
                "" => next_code(&mut used),
                c => c.to_string(),
            };
            lines.push(BudgetLine { code, name: name.to_string(), amount });
        }
        if lines.is_empty() && errors.is_empty() {
            errors.add("lines", "subsidy-error-no-lines");
        }
        Plan { lines }
    }
}

fn next_code(used: &mut Vec<String>) -> String {
    let code = (1..).map(|n| format!("L{n}")).find(|c| !used.contains(c)).unwrap_or_default();
    used.push(code.clone());
    code
}

/// An application, or a plan change (`reason` instead of a title and summary); the budget lines as rows.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct PlanForm {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub line_code: Vec<String>,
    #[serde(default)]
    pub line_name: Vec<String>,
    #[serde(default)]
    pub line_amount: Vec<String>,
}

impl PlanForm {
    pub fn with_lines(lines: LinesForm) -> PlanForm {
        PlanForm {
            line_code: lines.line_code,
            line_name: lines.line_name,
            line_amount: lines.line_amount,
            ..Default::default()
        }
    }

    pub fn lines(&self) -> LinesForm {
        LinesForm {
            line_code: self.line_code.clone(),
            line_name: self.line_name.clone(),
            line_amount: self.line_amount.clone(),
        }
    }

    /// An application's plan, with its title and summary.
    pub fn read_application(&self) -> Result<Plan, FieldErrors> {
        let mut errors = FieldErrors::default();
        required(&mut errors, "title", &self.title, 100);
        required(&mut errors, "summary", &self.summary, 2000);
        let plan = self.lines().read(&mut errors);
        errors.into_result(plan)
    }

    /// A proposed change, with its reason.
    pub fn read_change(&self) -> Result<Plan, FieldErrors> {
        let mut errors = FieldErrors::default();
        required(&mut errors, "reason", &self.reason, 1000);
        let plan = self.lines().read(&mut errors);
        errors.into_result(plan)
    }
}

/// A programme as an official types it, with its rubric as rows of criterion and most points.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct ProgrammeForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub eligibility: String,
    #[serde(default)]
    pub documents: String,
    #[serde(default)]
    pub budget: String,
    #[serde(default)]
    pub max_grant: String,
    #[serde(default)]
    pub opens_on: String,
    #[serde(default)]
    pub closes_on: String,
    #[serde(default)]
    pub criterion_name: Vec<String>,
    #[serde(default)]
    pub criterion_max: Vec<String>,
}

/// A programme read from its form.
pub struct ProgrammeDraft {
    pub budget: i64,
    pub max_grant: i64,
    pub opens_on: NaiveDate,
    pub closes_on: NaiveDate,
    pub rubric: Vec<Criterion>,
}

impl ProgrammeForm {
    pub fn read(&self) -> Result<ProgrammeDraft, FieldErrors> {
        let mut errors = FieldErrors::default();
        required(&mut errors, "name", &self.name, 100);
        let budget = krw(&self.budget).filter(|n| *n > 0);
        let max_grant = krw(&self.max_grant).filter(|n| *n > 0);
        if budget.is_none() {
            errors.add("budget", "field-number-invalid");
        }
        match (max_grant, budget) {
            (None, _) => errors.add("max_grant", "field-number-invalid"),
            (Some(m), Some(b)) if m > b => errors.add("max_grant", "subsidy-error-max-over-budget"),
            _ => {}
        }
        let dates = period(&self.opens_on, &self.closes_on, &mut errors);
        let rubric = self.rubric(&mut errors);
        match (budget, max_grant, dates) {
            (Some(budget), Some(max_grant), Some((opens_on, closes_on))) if errors.is_empty() => {
                Ok(ProgrammeDraft { budget, max_grant, opens_on, closes_on, rubric })
            }
            _ => Err(errors),
        }
    }

    fn rubric(&self, errors: &mut FieldErrors) -> Vec<Criterion> {
        rubric(&self.criterion_name, &self.criterion_max, errors)
    }
}

/// The days an offer is open (`opens_on`, `closes_on`), both readable and in order; else their errors.
pub fn period(opens_on: &str, closes_on: &str, errors: &mut FieldErrors) -> Option<(NaiveDate, NaiveDate)> {
    let (opens_on, closes_on) = (date(opens_on), date(closes_on));
    if opens_on.is_none() {
        errors.add("opens_on", "field-date-invalid");
    }
    match (opens_on, closes_on) {
        (_, None) => errors.add("closes_on", "field-date-invalid"),
        (Some(o), Some(c)) if c < o => errors.add("closes_on", "subsidy-error-closes-before-opens"),
        (Some(o), Some(c)) => return Some((o, c)),
        _ => {}
    }
    None
}

/// A rubric's rows as typed (name, most points), at least four so there is room to add criteria.
pub fn rubric_rows(names: &[String], maxes: &[String]) -> Vec<(String, String)> {
    let at = |v: &[String], i: usize| v.get(i).cloned().unwrap_or_default();
    (0..names.len().max(4)).map(|i| (at(names, i), at(maxes, i))).collect()
}

/// A rubric typed as rows of criterion and most points (1–100); a blank row is skipped, a bad one is named
/// `criterion-{row}`. Grant programmes and the best-practice contest score alike.
pub fn rubric(names: &[String], maxes: &[String], errors: &mut FieldErrors) -> Vec<Criterion> {
    let mut rubric = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let max = maxes.get(i).map(String::as_str).unwrap_or_default();
        if name.trim().is_empty() && max.trim().is_empty() {
            continue;
        }
        match max.trim().parse::<u32>() {
            Ok(m) if (1..=100).contains(&m) && !name.trim().is_empty() => rubric.push(Criterion {
                code: format!("c{}", rubric.len() + 1),
                name: name.trim().to_string(),
                max_points: m,
            }),
            _ => errors.add(format!("criterion-{}", i + 1), "subsidy-error-criterion"),
        }
    }
    if rubric.is_empty() {
        errors.add("criteria", "subsidy-error-no-criteria");
    }
    rubric
}

/// A reviewer's points, one per criterion, each within its most.
pub fn points(typed: &[String], rubric: &[Criterion]) -> Result<Vec<u32>, FieldErrors> {
    let mut errors = FieldErrors::default();
    let mut out = Vec::new();
    for (i, c) in rubric.iter().enumerate() {
        match typed.get(i).and_then(|t| t.trim().parse::<u32>().ok()).filter(|p| *p <= c.max_points) {
            Some(p) => out.push(p),
            None => errors.add(format!("points-{}", i + 1), "subsidy-error-points"),
        }
    }
    errors.into_result(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(rows: &[(&str, &str, &str)]) -> LinesForm {
        LinesForm {
            line_code: rows.iter().map(|r| r.0.to_string()).collect(),
            line_name: rows.iter().map(|r| r.1.to_string()).collect(),
            line_amount: rows.iter().map(|r| r.2.to_string()).collect(),
        }
    }

    #[test]
    fn won_are_read_with_or_without_separators() {
        assert_eq!(krw("1,200,000"), Some(1_200_000));
        assert_eq!(krw(" 300000원 "), Some(300_000));
        assert_eq!(krw("-5"), None);
        assert_eq!(krw("삼만원"), None);
        assert_eq!(krw(""), None);
    }

    #[test]
    fn blank_rows_are_skipped_and_new_lines_get_free_codes() {
        let mut errors = FieldErrors::default();
        let plan = lines(&[("L1", "재료비", "500,000"), ("", "", ""), ("", "강사비", "300000")]).read(&mut errors);
        assert!(errors.is_empty());
        let codes: Vec<_> = plan.lines.iter().map(|l| (l.code.as_str(), l.amount)).collect();
        assert_eq!(codes, vec![("L1", 500_000), ("L2", 300_000)]);
    }

    #[test]
    fn each_bad_row_is_named() {
        let mut errors = FieldErrors::default();
        lines(&[("", "재료비", "많이"), ("", "", "1000")]).read(&mut errors);
        assert_eq!(errors.code("line-1-amount"), Some("field-number-invalid"));
        assert_eq!(errors.code("line-2-name"), Some("field-required"));
        let mut errors = FieldErrors::default();
        lines(&[("", "", "")]).read(&mut errors);
        assert_eq!(errors.code("lines"), Some("subsidy-error-no-lines"));
    }

    #[test]
    fn a_programme_needs_its_money_dates_and_rubric_in_order() {
        let mut f = ProgrammeForm {
            name: "지원사업".into(),
            budget: "10,000,000".into(),
            max_grant: "20,000,000".into(),
            opens_on: "2030-03-01".into(),
            closes_on: "2030-02-01".into(),
            criterion_name: vec!["필요성".into(), "계획".into()],
            criterion_max: vec!["40".into(), "백".into()],
            ..Default::default()
        };
        let errors = f.read().err().unwrap();
        assert_eq!(errors.code("max_grant"), Some("subsidy-error-max-over-budget"));
        assert_eq!(errors.code("closes_on"), Some("subsidy-error-closes-before-opens"));
        assert_eq!(errors.code("criterion-2"), Some("subsidy-error-criterion"));
        f.max_grant = "2,000,000".into();
        f.closes_on = "2030-12-31".into();
        f.criterion_max[1] = "60".into();
        let draft = f.read().unwrap();
        assert_eq!(draft.rubric.iter().map(|c| c.max_points).sum::<u32>(), 100);
    }

    #[test]
    fn points_stay_within_each_criterion() {
        let rubric = vec![
            Criterion { code: "c1".into(), name: "a".into(), max_points: 40 },
            Criterion { code: "c2".into(), name: "b".into(), max_points: 60 },
        ];
        assert_eq!(points(&["35".into(), "50".into()], &rubric).unwrap(), vec![35, 50]);
        let errors = points(&["41".into()], &rubric).unwrap_err();
        assert!(errors.has("points-1") && errors.has("points-2"));
    }
}
