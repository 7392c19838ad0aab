//! Subsidy programmes (보조금 사업) as pure rules, with no database: a group's budget plan and the changes to it
//! (사업계획변경), the ledger of what was granted, disbursed and spent per budget line, and reviewers' scores.
//! The platform stores what these functions are given and shows what they answer.

pub mod ledger;
pub mod plan;
pub mod review;

/// Whole Korean won.
pub type Krw = i64;
