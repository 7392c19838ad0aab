//! Subsidy programmes (보조금 사업, issue #10): officials open a programme, group leaders apply with a budget plan,
//! reviewers score, an official decides and the group signs the agreement (약정); plan changes (사업계획변경) are
//! proposed and decided with every version kept; disbursements and spending per budget line, with receipts, are
//! recorded. The rules are the `grants` crate's; here they are stored, in transactions that check them against what
//! the database holds at that moment, and shown.

pub mod consulting;
pub mod consulting_store;
pub mod demo;
pub mod forms;
pub mod grant_routes;
pub mod grant_view;
pub mod ledger_store;
pub mod messages;
pub mod official_routes;
pub mod queries;
pub mod report;
pub mod routes;
pub mod store;
