//! Care applications (issue #6): the services and their rules as data, and the matcher that places applications
//! with facilities and caregivers. The application lifecycle and monitoring come next.

pub mod apply;
mod assignment;
pub mod caregiver_store;
pub mod demo;
pub mod flow;
pub mod followup_store;
pub mod hold_store;
pub mod jobs;
mod ledger;
pub mod lifecycle;
pub mod matcher;
pub mod model;
pub mod monitor;
pub mod monitor_store;
pub mod offer_store;
pub mod profile;
pub mod record;
pub mod routes;
pub mod rules;
pub mod store;
pub mod work;
