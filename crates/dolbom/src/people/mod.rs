//! Residents and households: the personal records staff work with. Lists show masked names; a whole record is
//! handed out only through [`store::read_resident`], which checks the reader's reach ([`reach`]: their 행정동s or
//! what a consent shares with their agency) and writes the access log first.

pub mod casework_routes;
pub mod consent;
pub mod household_page;
pub mod intake;
pub mod intake_routes;
pub mod model;
pub mod reach;
pub mod referrals;
pub mod routes;
pub mod store;
