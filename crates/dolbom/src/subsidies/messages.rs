//! A subsidy step that was refused, told in the reader's language with its figures: which line, how much is left,
//! what the grant allows.

use grants::ledger::SpendError;
use grants::plan::PlanError;

use super::store::SubsidyError;
use crate::i18n::{self, Locale};

fn won(locale: Locale, amount: i64) -> String {
    i18n::t_args(locale, "money-won", &[("amount", &i18n::group_thousands(amount))])
}

/// What went wrong, one sentence per problem. `line_name` names a budget line by its code.
pub fn describe(locale: Locale, e: &SubsidyError, line_name: &dyn Fn(&str) -> String) -> Vec<String> {
    let t = |key: &str| i18n::t(locale, key);
    match e {
        SubsidyError::Plan(problems) => problems.iter().map(|p| plan_problem(locale, p, line_name)).collect(),
        SubsidyError::Sheet(_) => vec![t("subsidy-error-points")],
        SubsidyError::Spend(s) => vec![spend_problem(locale, s, line_name)],
        SubsidyError::OverMax { max } => {
            vec![i18n::t_args(locale, "subsidy-error-over-max", &[("max", &won(locale, *max))])]
        }
        SubsidyError::Closed => vec![t("subsidy-error-closed")],
        SubsidyError::AppliedAlready => vec![t("subsidy-error-applied-already")],
        SubsidyError::NotAgreed => vec![t("subsidy-error-not-agreed")],
        SubsidyError::OutOfOrder => vec![t("subsidy-error-out-of-order")],
        SubsidyError::Db(_) => vec![t("error-internal")],
    }
}

fn plan_problem(locale: Locale, p: &PlanError, line_name: &dyn Fn(&str) -> String) -> String {
    match p {
        PlanError::Empty => i18n::t(locale, "subsidy-error-no-lines"),
        PlanError::Unnamed { .. } => i18n::t(locale, "field-required"),
        PlanError::RepeatedCode { code } => {
            i18n::t_args(locale, "subsidy-plan-repeated", &[("line", &line_name(code))])
        }
        PlanError::Negative { code } => i18n::t_args(locale, "subsidy-plan-negative", &[("line", &line_name(code))]),
        PlanError::OverGrant { total, granted } => i18n::t_args(
            locale,
            "subsidy-plan-over-grant",
            &[("total", &won(locale, *total)), ("granted", &won(locale, *granted))],
        ),
        PlanError::BelowSpent { code, amount, spent } => i18n::t_args(
            locale,
            "subsidy-plan-below-spent",
            &[("line", &line_name(code)), ("amount", &won(locale, *amount)), ("spent", &won(locale, *spent))],
        ),
        PlanError::NoChange => i18n::t(locale, "subsidy-plan-no-change"),
    }
}

fn spend_problem(locale: Locale, s: &SpendError, line_name: &dyn Fn(&str) -> String) -> String {
    match s {
        SpendError::NotPositive => i18n::t(locale, "field-number-invalid"),
        SpendError::UnknownLine { .. } => i18n::t(locale, "field-choice-invalid"),
        SpendError::OverLine { code, remaining } => i18n::t_args(
            locale,
            "subsidy-spend-over-line",
            &[("line", &line_name(code)), ("remaining", &won(locale, *remaining))],
        ),
        SpendError::OverCash { on_hand } => {
            i18n::t_args(locale, "subsidy-spend-over-cash", &[("on_hand", &won(locale, *on_hand))])
        }
    }
}
