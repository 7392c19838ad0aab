//! The resource linkage ledger (issue #8): every service linked to a household, by which agency, for which period
//! and how much, with the duplicate check that keeps the same support from being given twice.

pub mod model;
pub mod routes;
pub mod store;
