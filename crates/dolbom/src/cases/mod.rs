//! Case management across agencies: a case is one agency's work with a household, from intake through needs
//! assessed by domain, a plan, reviews and a closure. Its timeline is read from the tables that hold each event
//! (the case's own, the ledger's, the referrals', the visits'), so nothing is written twice. Who may read a case is
//! who may open its household (`people::reach`); only the agency holding it changes it.

pub mod dashboard;
pub mod demo;
pub mod model;
pub mod routes;
pub mod store;
pub mod timeline;

/// The domains of need, as the referrals and assessments name them.
pub use crate::people::referrals::DOMAINS;
