//! Subsidy programmes (보조금 사업, issue #10): officials open a programme, group leaders apply with a budget plan,
//! reviewers score, an official decides; plan changes (사업계획변경) are proposed and decided with every version
//! kept; disbursements and spending per budget line are recorded. The rules are the `grants` crate's; here they are
//! stored, in transactions that check them against what the database holds at that moment.

pub mod ledger_store;
pub mod store;
