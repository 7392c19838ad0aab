//! Care applications (issue #6): the services and their rules as data, and the matcher that places applications
//! with facilities and caregivers. The application lifecycle and monitoring come next.

mod assignment;
pub mod hold_store;
pub mod matcher;
pub mod model;
pub mod offer_store;
pub mod routes;
pub mod rules;
pub mod store;
