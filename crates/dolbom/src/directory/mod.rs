//! The welfare directory: every public, municipal and private service, on Open Referral HSDS 3.0, with the Korean
//! facts (제공주체, 생애주기, 가구상황, 관심주제, 지원형태, 지원주기) as taxonomy terms attached through attributes.

pub mod check;
pub mod explain;
pub mod hsds;
pub mod hsds_io;
pub mod hsds_schema;
pub mod hsds_store;
pub mod hsds_tabular;
pub mod import;
pub mod location_store;
pub mod manual;
pub mod model;
pub mod routes;
pub mod rules;
pub mod search;
pub mod search_routes;
pub mod search_store;
pub mod staff;
pub mod store;
pub mod sync;
pub mod taxonomy;
