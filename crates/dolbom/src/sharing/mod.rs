//! Local resources and 권역 sharing: a resource a worker finds in the field (지역자원 발굴) enters the directory after
//! an official's review and is then linked like any service; a 권역 (a group of 행정동s) keeps a pool of donated goods
//! with quantities and runs campaigns (pledges, what was received, what was given to whom through the ledger).

pub mod pool_routes;
pub mod pools;
pub mod resource_routes;
pub mod resources;
