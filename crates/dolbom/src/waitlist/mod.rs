//! Waitlists and seat allocation (issue #7): priority rules as data, the waitlist in the database (one waiting
//! application per child, five distinct choices, facts verified by staff), and rounds that publish their seed
//! first, run once and store every child's explanation. The allocation itself is the pure `allocation` crate
//! (also `dolbom allocate`). A place is an offer first: the guardian accepts it in the set time or it goes
//! to the next child in the centre's order, and the centre enrols the child who accepted.

pub mod bands;
pub mod demo;
pub mod document_store;
pub mod documents;
pub mod figures;
pub mod figures_page;
pub mod figures_store;
pub mod offer_store;
pub mod offers;
pub mod priority;
pub mod round;
pub mod routes;
pub mod rules_page;
pub mod rules_store;
pub mod siting;
pub mod staff;
pub mod store;
