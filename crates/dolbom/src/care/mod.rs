//! Care applications (issue #6): the services and their rules as data. Matching, the lifecycle and monitoring
//! come next.

pub mod routes;
pub mod rules;
