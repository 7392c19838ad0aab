//! 내 돌봄 (`/my`): one page with all of a resident's dealings with the municipality — children, care
//! applications, waiting lists and offers, bookings, saved eligibility checks, groups and notifications — each
//! linking to its own page, and the download of everything held about them (`/my/data.json`).

pub mod checks;
pub mod checks_store;
pub mod deletion;
pub mod deletion_routes;
pub mod retention;
pub mod routes;
pub mod store;
