//! Care applications (issue #6): the services and their rules as data, and the matcher that places applications
//! with facilities and caregivers. The application lifecycle and monitoring come next.

mod assignment;
pub mod caregiver_store;
pub mod flow;
pub mod followup_store;
pub mod hold_store;
pub mod lifecycle;
pub mod matcher;
pub mod model;
pub mod monitor_store;
pub mod offer_store;
pub mod routes;
pub mod rules;
pub mod store;
