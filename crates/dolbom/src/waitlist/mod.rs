//! Waitlists and seat allocation (issue #7): priority rules as data, the waitlist in the database (one waiting
//! application per child, five distinct choices, facts verified by staff), and rounds that publish their seed
//! first, run once and store every child's explanation. The allocation itself is the pure `allocation` crate
//! (also `dolbom allocate`). Pages, offers between rounds and the figures come next.

pub mod priority;
pub mod round;
pub mod routes;
pub mod store;
