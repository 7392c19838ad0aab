//! The ledger of one grant: what was granted (the plan in force), disbursed (교부) to the group, spent (집행) per
//! budget line with its receipt, and what remains. Spending is checked before it is written: a line cannot be
//! spent past its amount in the plan in force (only an approved plan change moves money between lines), and a
//! group cannot spend money not yet disbursed to it.

use serde::Serialize;

use crate::Krw;
use crate::plan::Plan;

/// Per budget line: the plan's amount, what was spent, what remains.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LineBalance {
    pub code: String,
    pub name: String,
    pub planned: Krw,
    pub spent: Krw,
    pub remaining: Krw,
}

/// The whole grant at a glance; the lines add up to the totals.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Balance {
    pub granted: Krw,
    pub disbursed: Krw,
    pub spent: Krw,
    /// Disbursed and not spent: what the group holds.
    pub on_hand: Krw,
    /// Granted and not spent.
    pub remaining: Krw,
    pub lines: Vec<LineBalance>,
}

/// The balance of a grant: `granted`, the plan in force, the disbursements and the spending as (line code,
/// amount). Spending on a line the plan no longer has still counts (it was spent under an earlier plan).
pub fn balance(granted: Krw, plan: &Plan, disbursed: &[Krw], spending: &[(String, Krw)]) -> Balance {
    let spent_on = |code: &str| spent_on(spending, code);
    let lines: Vec<LineBalance> = plan
        .lines
        .iter()
        .map(|l| {
            let spent = spent_on(&l.code);
            LineBalance {
                code: l.code.clone(),
                name: l.name.clone(),
                planned: l.amount,
                spent,
                remaining: l.amount - spent,
            }
        })
        .collect();
    let disbursed: Krw = disbursed.iter().sum();
    let spent: Krw = spending.iter().map(|(_, a)| a).sum();
    Balance { granted, disbursed, spent, on_hand: disbursed - spent, remaining: granted - spent, lines }
}

/// What the spending (line code, amount) took from one line.
pub fn spent_on(spending: &[(String, Krw)], code: &str) -> Krw {
    spending.iter().filter(|(c, _)| c == code).map(|(_, a)| a).sum()
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SpendError {
    #[error("an amount must be more than 0")]
    NotPositive,
    #[error("no line {code} in the plan in force")]
    UnknownLine { code: String },
    /// More than the line has left: a plan change must move money to it first.
    #[error("line {code} has {remaining} left")]
    OverLine { code: String, remaining: Krw },
    /// More than the group holds: the next disbursement must come first.
    #[error("{on_hand} disbursed and not spent")]
    OverCash { on_hand: Krw },
}

/// Whether `amount` may be spent from `line` now.
pub fn check_spend(balance: &Balance, line: &str, amount: Krw) -> Result<(), SpendError> {
    if amount <= 0 {
        return Err(SpendError::NotPositive);
    }
    let l =
        balance.lines.iter().find(|l| l.code == line).ok_or_else(|| SpendError::UnknownLine { code: line.into() })?;
    if amount > l.remaining {
        return Err(SpendError::OverLine { code: line.into(), remaining: l.remaining.max(0) });
    }
    if amount > balance.on_hand {
        return Err(SpendError::OverCash { on_hand: balance.on_hand.max(0) });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::plan::BudgetLine;

    fn plan(amounts: &[Krw]) -> Plan {
        Plan {
            lines: amounts
                .iter()
                .enumerate()
                .map(|(i, a)| BudgetLine { code: format!("l{i}"), name: format!("항목 {i}"), amount: *a })
                .collect(),
        }
    }

    #[test]
    fn spending_stays_within_its_line_and_the_cash_disbursed() {
        let p = plan(&[1_000_000, 500_000]);
        let spent = vec![("l0".to_string(), 900_000)];
        let b = balance(1_500_000, &p, &[1_000_000], &spent);
        assert_eq!((b.on_hand, b.remaining, b.lines[0].remaining), (100_000, 600_000, 100_000));
        assert_eq!(check_spend(&b, "l0", 150_000), Err(SpendError::OverLine { code: "l0".into(), remaining: 100_000 }));
        assert_eq!(check_spend(&b, "l1", 200_000), Err(SpendError::OverCash { on_hand: 100_000 }));
        assert_eq!(check_spend(&b, "l9", 1), Err(SpendError::UnknownLine { code: "l9".into() }));
        assert_eq!(check_spend(&b, "l1", 0), Err(SpendError::NotPositive));
        assert_eq!(check_spend(&b, "l1", 100_000), Ok(()));
    }

    proptest! {
        /// Whatever is spent through `check_spend`, the ledger balances: the lines add up to the totals, nothing
        /// is spent past its line or past what was disbursed.
        #[test]
        fn the_ledger_always_balances(
            amounts in prop::collection::vec(0i64..2_000_000, 1..6),
            tries in prop::collection::vec((0usize..6, 1i64..800_000), 0..40),
            paid in prop::collection::vec(1i64..1_500_000, 0..4),
        ) {
            let p = plan(&amounts);
            let granted = p.total();
            let mut spending: Vec<(String, Krw)> = Vec::new();
            for (line, amount) in tries {
                let b = balance(granted, &p, &paid, &spending);
                let code = format!("l{line}");
                if check_spend(&b, &code, amount).is_ok() {
                    spending.push((code, amount));
                }
            }
            let b = balance(granted, &p, &paid, &spending);
            prop_assert_eq!(b.lines.iter().map(|l| l.spent).sum::<Krw>(), b.spent);
            prop_assert_eq!(b.lines.iter().map(|l| l.planned).sum::<Krw>(), b.granted);
            prop_assert!(b.lines.iter().all(|l| l.remaining >= 0));
            prop_assert!(b.on_hand >= 0);
            prop_assert_eq!(b.remaining, b.granted - b.spent);
        }
    }
}
