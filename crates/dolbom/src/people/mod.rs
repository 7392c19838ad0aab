//! Residents and households: the personal records staff work with. Lists show masked names; a whole record is
//! handed out only through [`store::read_resident`], which checks the reader's 행정동 scope and writes the access
//! log first.

pub mod consent;
pub mod model;
pub mod referrals;
pub mod routes;
pub mod store;
